import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The roles the API knows; each is a Cognito group, or the `custom:role` attribute. */
export const ROLE_GROUPS = ['manager', 'agent', 'resident'] as const;

export interface UserDirectoryProps {
  readonly protectData: boolean;
}

/** Cognito users (residents, agents, managers); the role is a group or `custom:role`. */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    // Accounts are created by the property office, never by sign-up.
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { fullname: { required: false, mutable: true } },
      customAttributes: { role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 32 }) },
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
    const standard = { fullname: true, email: true, phoneNumber: true };
    this.client = this.userPool.addClient('AppClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ ...standard, emailVerified: true, phoneNumberVerified: true })
        .withCustomAttributes('role'),
      // Users may edit their profile but never their own role (only admins set it).
      writeAttributes: new ClientAttributes().withStandardAttributes(standard),
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
