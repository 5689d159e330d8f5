import { Duration, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  type HeadersFrameOption,
  type HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Route } from '../functions/http/routes';
import {
  FRAME_OPTIONS,
  HSTS,
  pageSecurityHeaders,
  REFERRER_POLICY,
} from '../functions/http/security-headers';
import { PAGES } from '../pages/build';
import { PAGES_CONFIG_PATH } from '../pages/shared/config';
import { SITE_REWRITE_FUNCTION } from './paths';
import { LOG_PREFIXES } from './site-buckets';

/**
 * The distribution's path pattern for each first path segment of the API's routes:
 * `/jobs*` when both `/jobs` and `/jobs/…` are routes, `/webhooks/*` when only deeper
 * paths are, `/openapi.json` when only the path itself is. A new route is routed with its table.
 */
export function apiPathPatterns(routes: readonly Pick<Route, 'path'>[]): string[] {
  const bySegment = new Map<string, { exact: boolean; deeper: boolean }>();
  for (const { path } of routes) {
    const [, segment = '', ...rest] = path.split('/');
    const seen = bySegment.get(segment) ?? { exact: false, deeper: false };
    bySegment.set(segment, rest.length === 0 ? { ...seen, exact: true } : { ...seen, deeper: true });
  }
  const reserved = [...PAGES, PAGES_CONFIG_PATH.slice(1), ''];
  return [...bySegment].map(([segment, { exact, deeper }]) => {
    // The pages, their config and `/` are the site's; a route there would be shadowed or shadow them.
    if (reserved.includes(segment)) throw new Error(`API route under /${segment} collides with the site`);
    return exact && deeper ? `/${segment}*` : exact ? `/${segment}` : `/${segment}/*`;
  });
}

export interface SiteDistributionProps {
  /** The built pages and `config.json`. */
  readonly content: IBucket;
  /** Where CloudFront writes its standard logs. */
  readonly logs: IBucket;
  /** The sign-in service's origins the pages talk to (allowed in the CSP). */
  readonly authOrigins: readonly string[];
}

/**
 * One CloudFront distribution in front of the pages (S3, through origin access control) and,
 * from `addApi`, of the HTTP API on the same origin, so the pages need no CORS.
 */
export class SiteDistribution extends Construct {
  readonly distribution: Distribution;
  readonly rewrite: CloudFrontFunction;
  readonly securityHeaders: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);
    this.rewrite = new CloudFrontFunction(this, 'PageRoutes', {
      comment: "Serves a page's index.html for its browser routes; / goes to /app/",
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromFile({ filePath: SITE_REWRITE_FUNCTION }),
    });
    const csp = pageSecurityHeaders({ authOrigin: props.authOrigins })['content-security-policy'] as string;
    this.securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'The pages security headers (functions/http/security-headers.ts)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS.maxAgeSeconds),
          includeSubdomains: HSTS.includeSubDomains,
          preload: HSTS.preload,
          override: true,
        },
        frameOptions: { frameOption: FRAME_OPTIONS as HeadersFrameOption, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY as HeadersReferrerPolicy, override: true },
      },
    });
    const pages: BehaviorOptions = {
      origin: S3BucketOrigin.withOriginAccessControl(props.content),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      functionAssociations: [{ function: this.rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      responseHeadersPolicy: this.securityHeaders,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Home repair pages and API',
      // The default behaviour serves /config.json and answers / (the function redirects it
      // to /app/: a default root object could only serve a file at /, not redirect).
      defaultBehavior: pages,
      additionalBehaviors: Object.fromEntries(PAGES.map((page) => [`/${page}/*`, pages])),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: LOG_PREFIXES.cloudFront,
    });
    const distribution = this.distribution;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: residents book from their phones wherever they are (travelling, roaming), and the API behind it is authenticated; an allow-list of countries is a business decision for docs/deploy.md, not a default.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF web ACL by default: a CloudFront-scope web ACL must live in us-east-1 (a stack of its own) and bills per ACL, rule and request; the HTTP API stage throttle bounds the API. docs/deploy.md lists it as a production step.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'No custom domain yet: with the default *.cloudfront.net certificate CloudFront fixes the viewer security policy at TLSv1 and it cannot be raised; a custom domain with an ACM certificate (docs/deploy.md) allows TLSv1.2_2021.',
    });
  }

  /** Sends the API's paths to the HTTP API at `domainName`, uncached, with the viewer's headers. */
  addApi(domainName: string, pathPatterns: readonly string[]): void {
    const api: BehaviorOptions = {
      origin: new HttpOrigin(domainName),
      // A redirected POST would lose its body; plain HTTP is refused instead.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Every header (Authorization, Idempotency-Key, the webhook's signature) and query
      // string, except Host: API Gateway routes on its own host name.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.securityHeaders,
    };
    for (const pattern of pathPatterns) this.distribution.addBehavior(pattern, api.origin, api);
  }
}
