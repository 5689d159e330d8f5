import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where CloudFront's and S3's access logs go in the log bucket. */
export const LOG_PREFIXES = { cloudFront: 'cloudfront/', siteBucket: 's3/' } as const;

export interface SiteBucketsProps {
  /** How long access logs are kept (INFINITE: no expiry). */
  readonly logRetention: RetentionDays;
}

/**
 * The site's files and its access logs. The files are the output of `pages/build.ts` and come
 * back from any commit, so the content bucket is stateless: no versioning (a previous site is
 * a rebuild, not an object version), and it goes with the stack (the deployment empties it).
 */
export class SiteBuckets extends Construct {
  readonly content: Bucket;
  readonly logs: Bucket;

  constructor(scope: Construct, id: string, props: SiteBucketsProps) {
    super(scope, id);
    const days = props.logRetention === RetentionDays.INFINITE ? undefined : props.logRetention;
    this.logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Like the API's access-log group, S3-managed keys: a customer key would need a key
      // policy for the log-delivery services and would cost without protecting more.
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront's standard logs are written under an ACL grant, so ACLs must stay enabled;
      // the bucket still owns what is written.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        {
          expiration: days === undefined ? undefined : Duration.days(days),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Like the API's access-log group: logs go with the environment, kept `logRetentionDays` until then.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    this.content = new Bucket(this, 'Content', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // The pages are public once served; a customer key would add a key policy for
      // CloudFront and a cost without hiding anything. S3-managed keys still encrypt at rest.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: LOG_PREFIXES.siteBucket,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
