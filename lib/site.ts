import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { SingletonFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { ROUTES } from '../functions/http/routes';
import { PAGES_CONFIG_PATH, type PagesConfig } from '../pages/shared/config';
import { SiteBuckets } from './site-buckets';
import { apiPathPatterns, SiteDistribution } from './site-distribution';
import { SiteSignIn } from './site-sign-in';

export interface SiteProps {
  /** The built pages (`buildPages`): `app/` and `console/`, each with its index.html. */
  readonly pagesDir: string;
  readonly userPool: IUserPool;
  /** The managed-login domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly signInDomain: string;
  readonly logRetention: RetentionDays;
  /** The company's time zone: the pages show every time in it. */
  readonly timeZone: string;
}

/**
 * The two pages on AWS: their bucket, the CloudFront distribution in front of them (and of
 * the API, once `addApi` is called), their sign-in client, and the deployment that copies
 * the built pages and `config.json` into the bucket and invalidates the cache.
 */
export class Site extends Construct {
  readonly buckets: SiteBuckets;
  readonly cdn: SiteDistribution;
  readonly signIn: SiteSignIn;
  readonly deployment: BucketDeployment;
  /** `https://<distribution domain>`. */
  readonly url: string;
  /** What the pages read from `/config.json`. */
  readonly config: PagesConfig;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // The issuer's host serves the OIDC discovery document the pages' library reads first.
    const issuerOrigin = `https://cognito-idp.${stack.region}.${stack.urlSuffix}`;
    this.buckets = new SiteBuckets(this, 'Buckets', { logRetention: props.logRetention });
    this.cdn = new SiteDistribution(this, 'Cdn', {
      content: this.buckets.content,
      logs: this.buckets.logs,
      authOrigins: [props.signInDomain, issuerOrigin],
    });
    this.url = `https://${this.cdn.distribution.distributionDomainName}`;
    this.signIn = new SiteSignIn(this, 'SignIn', { userPool: props.userPool, siteUrl: this.url });
    this.config = {
      auth: {
        kind: 'cognito',
        authority: `${issuerOrigin}/${props.userPool.userPoolId}`,
        clientId: this.signIn.client.userPoolClientId,
        domain: props.signInDomain,
      },
      timeZone: props.timeZone,
    };

    // The deployment's function (a CDK singleton) gets a role and log group of its own, as
    // ServiceFunction does: it may write only that log group, not AWSLambdaBasicExecutionRole's.
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);
    this.deployment = new BucketDeployment(this, 'Deployment', {
      // config.json holds deploy-time values (the pool and client ids), so it is written by
      // the deployment, not built: the same pages run locally and on every environment.
      sources: [Source.asset(props.pagesDir), Source.jsonData(PAGES_CONFIG_PATH.slice(1), this.config)],
      destinationBucket: this.buckets.content,
      // The file names carry no content hash, so a deploy invalidates everything (one path of
      // the 1,000 free a month) and browsers revalidate each load (a 304 from the edge).
      distribution: this.cdn.distribution,
      distributionPaths: ['/*'],
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.seconds(0)),
        CacheControl.mustRevalidate(),
        CacheControl.sMaxAge(Duration.days(365)),
      ],
      // Emptying the bucket when the stack goes lets CloudFormation delete it.
      retainOnDelete: false,
      memoryLimit: 512,
      role,
      logGroup,
    });
    this.acknowledgeDeploymentFunction(role);
  }

  /** Routes the API's paths (from the route table) through the distribution to `domainName`. */
  addApi(domainName: string): void {
    this.cdn.addApi(domainName, apiPathPatterns(ROUTES));
  }

  // CDK's deployment function: its grants and its runtime are aws-cdk-lib's, not ours to narrow.
  private acknowledgeDeploymentFunction(role: Role): void {
    const stack = Stack.of(this);
    const logicalId = (bucket: Bucket) => stack.resolve((bucket.node.defaultChild as CfnBucket).logicalId);
    const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
    // BucketDeployment makes these grants itself (grantRead on the asset, grantReadWrite on
    // the site bucket, the invalidation on *); each finding is one of them.
    const grants: Record<string, string> = {
      'Action::s3:GetBucket*':
        "CDK's grantRead of the pages asset and grantReadWrite of the site bucket: only those two buckets.",
      'Action::s3:GetObject*':
        "CDK's grantRead of the pages asset and grantReadWrite of the site bucket: only those two buckets.",
      'Action::s3:List*':
        "CDK's grants on the asset and the site bucket: the deployment lists the site bucket to prune files no longer built.",
      [`Resource::${assets}`]:
        "The CDK bootstrap assets bucket's objects, read-only: the pages asset is a zip there whose key is its hash, unknown until synth.",
      'Action::s3:Abort*':
        "CDK's grantReadWrite of the site bucket: aborting its own multipart uploads of large files.",
      'Action::s3:DeleteObject*':
        "CDK's grantReadWrite of the site bucket: pruning files no longer built and emptying the bucket when the stack goes.",
      [`Resource::<${logicalId(this.buckets.content)}.Arn>/*`]:
        'Every object of the site bucket: the deployment owns all of them (the built pages and config.json).',
      'Resource::*':
        'cloudfront:CreateInvalidation and GetInvalidation, which BucketDeployment grants on * itself; it invalidates only the distribution it is given.',
    };
    for (const [finding, reason] of Object.entries(grants)) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
    const singleton = this.deployment.node.findChild('CustomResourceHandler') as SingletonFunction;
    const handler = stack.node.findChild(singleton.constructName);
    const runtime =
      "aws-cdk-lib pins the BucketDeployment handler's runtime (Python, with its AWS CLI layer) and moves it on upgrade; it runs only during deployments.";
    for (const id of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      Validations.of(handler).acknowledge({ id, reason: runtime });
    }
    Validations.of(handler).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'A CloudFormation custom resource: CloudFormation waits for its answer and fails and rolls back the deployment without one, so an async dead-letter queue would hold events nobody replays.',
    });
    Validations.of(handler).acknowledge({
      id: 'Serverless-LambdaTracing',
      reason:
        'Runs only while a deployment copies the pages; its own log group records each run, and a trace would show nothing but the S3 copy and the CloudFront invalidation.',
    });
  }
}
