import * as fs from 'node:fs';
import * as path from 'node:path';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { ROUTES } from '../../functions/http/routes';
import { HSTS, pageSecurityHeaders } from '../../functions/http/security-headers';
import { SITE_REWRITE_FUNCTION } from '../../lib/paths';
import { apiPathPatterns } from '../../lib/site-distribution';
import { buildSitePages, PagesBuildError } from '../../lib/site-pages';
import { PAGES } from '../../pages/build';
import { type Json, logicalId, placeholder, resourcesOfType, type Synthesized, synthApp } from './synth';

let synth: Synthesized;

beforeAll(() => {
  synth = synthApp({ logRetentionDays: 60 });
});
afterAll(() => synth.cleanup());

const resources = () => synth.statelessSynth.resources;
const resourceOf = (construct: Parameters<typeof logicalId>[0]): Json => resources()[logicalId(construct)];
const site = () => synth.stateless.site;
const distributionConfig = (): Json => resourceOf(site().cdn.distribution).Properties.DistributionConfig;
const behaviors = (): Json[] => distributionConfig().CacheBehaviors;
const behavior = (pattern: string): Json => {
  const found = behaviors().find((b) => b.PathPattern === pattern);
  if (!found) throw new Error(`no behaviour ${pattern}`);
  return found;
};
const originOf = (b: Json): Json => distributionConfig().Origins.find((o: Json) => o.Id === b.TargetOriginId);

/** A string CloudFormation joins at deploy, with its Ref/GetAtt parts as readable placeholders. */
const joined = (value: Json): string =>
  typeof value === 'string' ? value : value['Fn::Join'][1].map(placeholder).join('');

// The sign-in origins the pages talk to, in the placeholders `joined` renders.
const signInDomain = () =>
  `https://<Ref:${logicalId(synth.stateful.users.domain)}>.auth.<Ref:AWS::Region>.amazoncognito.com`;
const ISSUER_ORIGIN = 'https://cognito-idp.<Ref:AWS::Region>.<Ref:AWS::URLSuffix>';

describe('site bucket', () => {
  const bucket = () => resourceOf(site().buckets.content);
  const policy = () =>
    resourcesOfType(synth.statelessSynth, 'AWS::S3::BucketPolicy').find(
      (p) => p.Properties.Bucket.Ref === logicalId(site().buckets.content),
    );

  it('blocks every kind of public access, encrypts with S3-managed keys and keeps no versions', () => {
    expect(bucket().Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket().Properties.VersioningConfiguration).toBeUndefined();
  });

  it('refuses requests without TLS', () => {
    expect(policy().Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('lets only CloudFront read it, for this distribution alone (origin access control)', () => {
    const allows = policy().Properties.PolicyDocument.Statement.filter((s: Json) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(allow).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(site().buckets.content), 'Arn'] }, '/*']] },
    });
    expect(joined(allow.Condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:<Ref:AWS::Partition>:cloudfront::<Ref:AWS::AccountId>:distribution/<Ref:${logicalId(site().cdn.distribution)}>`,
    );
    const [oac] = resourcesOfType(synth.statelessSynth, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const s3Origin = originOf(distributionConfig().DefaultCacheBehavior);
    expect(s3Origin.DomainName).toEqual({
      'Fn::GetAtt': [logicalId(site().buckets.content), 'RegionalDomainName'],
    });
    expect(s3Origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it("writes its access logs, and CloudFront's, to the log bucket, kept as long as context says", () => {
    const logs = logicalId(site().buckets.logs);
    expect(bucket().Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs },
      LogFilePrefix: 's3/',
    });
    expect(distributionConfig().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logs, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    expect(resources()[logs].Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 60, Status: 'Enabled' })],
      },
    });
  });
});

describe('distribution', () => {
  const pagePatterns = PAGES.map((page) => `/${page}/*`);
  const apiPatterns = apiPathPatterns(ROUTES);

  it('routes each first path segment of the route table to the API', () => {
    // Today's table; a route added under a new segment adds its pattern here by itself.
    expect(apiPatterns).toEqual(expect.arrayContaining(['/jobs*', '/openapi.json', '/webhooks/*']));
    expect(
      behaviors()
        .map((b) => b.PathPattern)
        .sort(),
    ).toEqual([...pagePatterns, ...apiPatterns].sort());
  });

  it('derives the patterns from the routes, so a new route is routed and a page cannot be shadowed', () => {
    const route = (p: string) => ({ path: p });
    expect(apiPathPatterns([route('/reports'), route('/reports/{id}'), route('/health')])).toEqual([
      '/reports*',
      '/health',
    ]);
    expect(apiPathPatterns([route('/webhooks/a'), route('/webhooks/b')])).toEqual(['/webhooks/*']);
    expect(() => apiPathPatterns([route('/console/export')])).toThrow('API route under /console collides');
    expect(() => apiPathPatterns([route('/config.json')])).toThrow('collides with the site');
  });

  it.each(apiPathPatterns(ROUTES))(
    'sends %s to the HTTP API, uncached, with every viewer header but Host',
    (pattern) => {
      const b = behavior(pattern);
      expect(b).toMatchObject({
        CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        ViewerProtocolPolicy: 'https-only',
        ResponseHeadersPolicyId: { Ref: logicalId(site().cdn.securityHeaders) },
      });
      expect(b.FunctionAssociations).toBeUndefined();
      expect(originOf(b)).toMatchObject({
        DomainName: {
          'Fn::Select': [
            2,
            { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId(synth.stateless.api.api), 'ApiEndpoint'] }] },
          ],
        },
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      });
    },
  );

  it('matches every route of the table with an API behaviour', () => {
    const matches = (pattern: string, p: string) =>
      new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(p);
    for (const { path: routePath } of ROUTES) {
      const concrete = routePath.replace(/\{[^}]+\}/g, 'J-1');
      expect(apiPatterns.filter((pattern) => matches(pattern, concrete))).toHaveLength(1);
      expect(pagePatterns.filter((pattern) => matches(pattern, concrete))).toEqual([]);
    }
  });

  it.each(['default', ...pagePatterns])(
    'serves %s from the bucket through the rewrite function',
    (pattern) => {
      const b = pattern === 'default' ? distributionConfig().DefaultCacheBehavior : behavior(pattern);
      expect(b).toMatchObject({
        CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId,
        ViewerProtocolPolicy: 'redirect-to-https',
        ResponseHeadersPolicyId: { Ref: logicalId(site().cdn.securityHeaders) },
        FunctionAssociations: [
          {
            EventType: 'viewer-request',
            FunctionARN: { 'Fn::GetAtt': [logicalId(site().cdn.rewrite), 'FunctionARN'] },
          },
        ],
      });
      expect(originOf(b).S3OriginConfig).toBeDefined();
    },
  );

  it('turns no error into a page: the API keeps its own 403 and 404', () => {
    expect(distributionConfig().CustomErrorResponses).toBeUndefined();
  });

  it('deploys lib/site-rewrite.js as a cloudfront-js-2.0 function', () => {
    const fn = resourceOf(site().cdn.rewrite);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.Properties.FunctionCode).toBe(fs.readFileSync(SITE_REWRITE_FUNCTION, 'utf8'));
  });
});

describe('the rewrite function', () => {
  // CloudFront calls `handler(event)`; the file is plain JavaScript, run here as it is deployed.
  const handler = new Function(`${fs.readFileSync(SITE_REWRITE_FUNCTION, 'utf8')}\nreturn handler;`)() as (
    event: Json,
  ) => Json;
  const run = (uri: string) => handler({ request: { method: 'GET', uri, querystring: {}, headers: {} } });

  it.each([
    ['/app/', '/app/index.html'],
    ['/console/', '/console/index.html'],
    ['/console/jobs/123', '/console/index.html'],
    ['/app/jobs/J-1/history', '/app/index.html'],
    ['/app/main.js', '/app/main.js'],
    ['/console/style.css', '/console/style.css'],
    ['/app/index.html', '/app/index.html'],
    ['/config.json', '/config.json'],
  ])('sends %s to %s', (uri, expected) => {
    expect(run(uri)).toMatchObject({ uri: expected });
  });

  it.each([
    ['/', '/app/'],
    ['/app', '/app/'],
    ['/console', '/console/'],
  ])('redirects %s to %s', (uri, location) => {
    expect(run(uri)).toEqual({
      statusCode: 302,
      statusDescription: 'Found',
      headers: { location: { value: location } },
    });
  });
});

describe('security headers', () => {
  const config = () => resourceOf(site().cdn.securityHeaders).Properties.ResponseHeadersPolicyConfig;

  it('are the headers of functions/http/security-headers.ts, with the sign-in origins allowed', () => {
    const headers = config().SecurityHeadersConfig;
    const hsts = headers.StrictTransportSecurity;
    const deployed = {
      'content-security-policy': joined(headers.ContentSecurityPolicy.ContentSecurityPolicy),
      'strict-transport-security': [
        `max-age=${hsts.AccessControlMaxAgeSec}`,
        ...(hsts.IncludeSubdomains ? ['includeSubDomains'] : []),
        ...(hsts.Preload ? ['preload'] : []),
      ].join('; '),
      'x-frame-options': headers.FrameOptions.FrameOption,
      'x-content-type-options': headers.ContentTypeOptions ? 'nosniff' : undefined,
      'referrer-policy': headers.ReferrerPolicy.ReferrerPolicy,
    };
    expect(deployed).toEqual(pageSecurityHeaders({ authOrigin: [signInDomain(), ISSUER_ORIGIN] }));
    for (const header of Object.values(headers) as Json[]) expect(header.Override).toBe(true);
  });

  it('allow scripts only from the site, never inline, and nothing to frame the pages', () => {
    const headers = config().SecurityHeadersConfig;
    const csp = joined(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const directive = (name: string) =>
      csp
        .split('; ')
        .find((d) => d.startsWith(`${name} `))
        ?.split(' ')
        .slice(1);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(directive('frame-ancestors')).toEqual(["'none'"]);
    expect(directive('connect-src')).toEqual(["'self'", signInDomain(), ISSUER_ORIGIN]);
    expect(headers).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 2 * 365 * 24 * 3600,
        IncludeSubdomains: true,
        Preload: true,
      },
      FrameOptions: { FrameOption: 'DENY' },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
    });
    expect(HSTS.maxAgeSeconds).toBe(63072000);
  });
});

describe('sign-in for the pages', () => {
  const client = () => resourceOf(site().signIn.client).Properties;
  const pageUrls = () =>
    PAGES.map((page) => `https://<GetAtt:${logicalId(site().cdn.distribution)}.DomainName>/${page}/`);

  it('is a public client (no secret) with the authorization code grant only, as PKCE needs', () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      UserPoolId: { Ref: logicalId(synth.stateful.users.userPool) },
    });
    expect(client().ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('returns to each page of the distribution after sign-in and sign-out', () => {
    expect(client().CallbackURLs.map(joined)).toEqual(pageUrls());
    expect(client().LogoutURLs.map(joined)).toEqual(pageUrls());
  });

  it('issues tokens for an hour and refresh tokens for a day', () => {
    expect(client()).toMatchObject({
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 24 * 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('reads the role and the properties, like the app client, and may write neither', () => {
    expect(client().ReadAttributes).toEqual(expect.arrayContaining(['custom:role', 'custom:properties']));
    expect(client().WriteAttributes).not.toContain('custom:role');
    expect(client().WriteAttributes).not.toContain('custom:properties');
    const appClient = synth.statefulSynth.resources[logicalId(synth.stateful.users.client)].Properties;
    expect(client().ReadAttributes).toEqual(appClient.ReadAttributes);
    expect(client().WriteAttributes).toEqual(appClient.WriteAttributes);
  });

  it("assigns Cognito's managed-login style to the client, on a managed-login domain named after the environment", () => {
    expect(resourcesOfType(synth.statelessSynth, 'AWS::Cognito::ManagedLoginBranding')).toEqual([
      expect.objectContaining({
        Properties: {
          ClientId: { Ref: logicalId(site().signIn.client) },
          UserPoolId: { Ref: logicalId(synth.stateful.users.userPool) },
          UseCognitoProvidedValues: true,
        },
      }),
    ]);
    const domain = synth.statefulSynth.resources[logicalId(synth.stateful.users.domain)];
    expect(domain.Properties).toMatchObject({
      ManagedLoginVersion: 2,
      UserPoolId: { Ref: logicalId(synth.stateful.users.userPool) },
    });
    expect(joined(domain.Properties.Domain)).toBe('home-repair-dev-<Ref:AWS::AccountId>');
  });

  it('outputs the site URL and the managed-login domain', () => {
    expect(joined(synth.statelessSynth.raw.Outputs.SiteUrl.Value)).toBe(
      `https://<GetAtt:${logicalId(site().cdn.distribution)}.DomainName>/`,
    );
    expect(joined(synth.statefulSynth.raw.Outputs.UserPoolDomain.Value)).toBe(signInDomain());
  });
});

describe('deployment', () => {
  const custom = (): Json => resourcesOfType(synth.statelessSynth, 'Custom::CDKBucketDeployment')[0];
  const assetDir = (key: string) => path.join(synth.assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);

  it('copies the built pages and config.json into the bucket, prunes and invalidates everything', () => {
    expect(resourcesOfType(synth.statelessSynth, 'Custom::CDKBucketDeployment')).toHaveLength(1);
    expect(custom().Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalId(site().buckets.content) },
      DistributionId: { Ref: logicalId(site().cdn.distribution) },
      DistributionPaths: ['/*'],
      Prune: true,
      RetainOnDelete: false,
      SystemMetadata: { 'cache-control': 'public, max-age=0, must-revalidate, s-maxage=31536000' },
    });
    const [pages] = custom().Properties.SourceObjectKeys;
    for (const page of PAGES)
      expect(fs.existsSync(path.join(assetDir(pages), page, 'index.html'))).toBe(true);
  });

  it("writes config.json at the root: Cognito, its issuer, the pages client, the managed-login domain and the company's time zone", () => {
    const [, config] = custom().Properties.SourceObjectKeys;
    const markers: Record<string, Json> = custom().Properties.SourceMarkers[1];
    const text = fs
      .readFileSync(path.join(assetDir(config), 'config.json'), 'utf8')
      .replace(/<<marker:0xbaba:\d+>>/g, (marker) => placeholder(markers[marker]));
    expect(JSON.parse(text)).toEqual({
      auth: {
        kind: 'cognito',
        authority: `${ISSUER_ORIGIN}/<Ref:${logicalId(synth.stateful.users.userPool)}>`,
        clientId: `<Ref:${logicalId(site().signIn.client)}>`,
        domain: signInDomain(),
      },
      timeZone: 'Asia/Shanghai',
    });
  });
});

describe('building the pages at synth', () => {
  it('stops with the file that is missing, naming pages/build.ts', () => {
    const build = () => {
      throw new Error("ENOENT: no such file or directory, copyfile '/repo/pages/console/index.html'");
    };
    expect(() => buildSitePages('/tmp/unused', build)).toThrow(PagesBuildError);
    expect(() => buildSitePages('/tmp/unused', build)).toThrow(
      "The site's pages did not build (pages/build.ts): ENOENT: no such file or directory, copyfile '/repo/pages/console/index.html'",
    );
  });

  it('hands the built folder to the deployment', () => {
    expect(buildSitePages('/tmp/out', (dir) => ({ dir, scripts: { app: '', console: '' } }))).toBe(
      '/tmp/out',
    );
  });
});
