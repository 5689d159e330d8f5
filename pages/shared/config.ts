// What the pages read from `/config.json` before anything else: how to sign in. One type for
// both writers: lib/site.ts deploys it next to the pages on AWS, the local front door
// (local/server.ts) serves `{ "auth": { "kind": "local" } }`.

/** Where both pages fetch it, at the site's root. */
export const PAGES_CONFIG_PATH = '/config.json';

/** The local stack: the front door issues the tokens (`POST /_local/tokens`). */
export interface LocalAuthConfig {
  readonly kind: 'local';
}

/** Cognito managed login, authorization code with PKCE (oidc-client-ts). */
export interface CognitoAuthConfig {
  readonly kind: 'cognito';
  /** The OIDC issuer, `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly authority: string;
  /** The pages' public app client (no secret). */
  readonly clientId: string;
  /** The managed-login domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domain: string;
}

export interface PagesConfig {
  readonly auth: LocalAuthConfig | CognitoAuthConfig;
  /** The company's time zone, for every time the pages show (default Asia/Shanghai). */
  readonly timeZone?: string;
}
