import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  ManagedLoginVersion,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolClientOptions,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The roles the API knows; each is a Cognito group, or the `custom:role` attribute. */
export const ROLE_GROUPS = ['manager', 'agent', 'resident'] as const;

export interface UserDirectoryProps {
  readonly protectData: boolean;
  /** `home-repair-<env>`: the managed-login domain's prefix. */
  readonly prefix: string;
}

/**
 * What every app client may read and write: users edit their profile but never their own
 * role or properties (only admins set them); both are readable so they are in the ID token.
 */
export function clientAttributes(): Pick<UserPoolClientOptions, 'readAttributes' | 'writeAttributes'> {
  const standard = { fullname: true, email: true, phoneNumber: true };
  return {
    readAttributes: new ClientAttributes()
      .withStandardAttributes({ ...standard, emailVerified: true, phoneNumberVerified: true })
      .withCustomAttributes('role', 'properties'),
    writeAttributes: new ClientAttributes().withStandardAttributes(standard),
  };
}

/** Cognito users (residents, agents, managers); the role is a group or `custom:role`. */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    // Accounts are created by the property office, never by sign-up.
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { fullname: { required: false, mutable: true } },
      customAttributes: {
        role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 32 }),
        // Staff limited to some properties: their codes, comma-separated ("A1,B2"); absent = the
        // whole company. Adding a custom attribute to a pool is an in-place update.
        properties: new StringAttribute({ mutable: true, minLen: 1, maxLen: 2048 }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Lower precedence wins when a token's user is in several groups.
    ROLE_GROUPS.forEach((groupName, precedence) => {
      this.userPool.addGroup(`${groupName}Group`, {
        groupName,
        precedence,
        description: `Home repair ${groupName}s`,
      });
    });
    this.client = this.userPool.addClient('AppClient', {
      authFlows: { userSrp: true },
      // The apps sign in with SRP. Without this CDK would give the client the implicit and
      // code grants with https://example.com as return URL, usable now that the pool has a
      // managed-login domain; the pages' own client does OAuth.
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      ...clientAttributes(),
    });
    // Managed login (authorization code with PKCE) for the pages; its app client is the site's
    // (lib/site-sign-in.ts), whose return URLs are the distribution's. A prefix domain is unique
    // per region across all accounts, so the account id keeps `home-repair-<env>` from colliding.
    this.domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: `${props.prefix}-${Stack.of(this).account}` },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is OPTIONAL (TOTP): residents sign in on their phones to book a repair and cannot be made to enrol an authenticator; staff accounts enrol one.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials tier: the Plus tier bills every monthly active resident with no free tier, and accounts are created by the office, never by sign-up, which removes most of what its threat protection guards against.',
    });
  }
}
