// What `/config.json` tells the pages at run time: how to sign in. CDK writes it at deploy
// (lib/), the local front door serves the local one (local/pages.ts).

export type PagesConfig = {
  /** The company's time zone, for every time the pages show (default Asia/Shanghai). */
  timeZone?: string;
} & (
  | { auth: { kind: 'local' } }
  | {
      auth: {
        kind: 'cognito';
        /** The OIDC issuer: https://cognito-idp.<region>.amazonaws.com/<userPoolId> */
        authority: string;
        clientId: string;
        /** The managed login domain: https://<prefix>.auth.<region>.amazoncognito.com */
        domain: string;
      };
    }
);
