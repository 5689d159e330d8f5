import { Duration } from 'aws-cdk-lib';
import {
  CfnManagedLoginBranding,
  type IUserPool,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { PAGES } from '../pages/build';
import { clientAttributes } from './user-directory';

export interface SiteSignInProps {
  readonly userPool: IUserPool;
  /** `https://<distribution domain>`, without a trailing slash. */
  readonly siteUrl: string;
}

/**
 * The pages' app client: public (a browser keeps no secret), authorization code with PKCE
 * through Cognito managed login, returning to the page that asked. It lives beside the
 * distribution, in the stateless stack, because its return URLs are the distribution's
 * domain; in the stateful stack that would make the two stacks depend on each other.
 */
export class SiteSignIn extends Construct {
  readonly client: UserPoolClient;
  /** Each page's URL, where managed login returns after sign-in and sign-out. */
  readonly returnUrls: string[];

  constructor(scope: Construct, id: string, props: SiteSignInProps) {
    super(scope, id);
    this.returnUrls = PAGES.map((page) => `${props.siteUrl}/${page}/`);
    this.client = new UserPoolClient(this, 'PagesClient', {
      userPool: props.userPool,
      generateSecret: false,
      // Managed login checks the password with SRP on the client's behalf; the pages call no
      // user-pool API themselves.
      authFlows: { userSrp: true },
      oAuth: {
        // No implicit grant: tokens come only from the token endpoint, for a PKCE-checked code.
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PHONE, OAuthScope.PROFILE],
        callbackUrls: this.returnUrls,
        logoutUrls: this.returnUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // A browser keeps its tokens where scripts can read them: short-lived, and a refresh
      // token that covers a working day, not a month.
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      enableTokenRevocation: true,
      ...clientAttributes(),
    });
    // Managed login renders a client's pages only once a style is assigned to it; Cognito's
    // own look is enough here.
    new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }
}
