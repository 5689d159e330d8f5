import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Bucket as BucketName } from '../functions/domain/ports';

export interface FileBucketsProps {
  readonly protectData: boolean;
}

/** Records are kept two years (S23): the forms' retention, and how long photos stay. */
export const RECORD_RETENTION = Duration.days(731);

/**
 * The evidence: residents' and technicians' photos, and the archived repair forms (S12, S14).
 * Both private (public access blocked, TLS only), versioned, encrypted with their own customer
 * key, access-logged. Photos announce new objects to EventBridge, where the content check
 * subscribes (a rule in the stateless stack: S3's own notifications would tie this stack to it).
 */
export class FileBuckets extends Construct {
  readonly key: Key;
  readonly logs: Bucket;
  readonly photos: Bucket;
  readonly forms: Bucket;

  constructor(scope: Construct, id: string, props: FileBucketsProps) {
    super(scope, id);
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new Key(this, 'Key', {
      description: 'Photos and repair forms',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // A target of S3 server access logs cannot use a customer key (S3 user guide); S3-managed.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: RECORD_RETENTION }],
      removalPolicy,
    });
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      // S3 Bucket Keys: one data key per bucket and period, not one KMS call per object.
      bucketKeyEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logs,
      removalPolicy,
    };
    this.photos = new Bucket(this, 'Photos', {
      ...common,
      serverAccessLogsPrefix: 'photos/',
      lifecycleRules: [
        // An upload is checked within seconds and then deleted; one never checked goes after a day.
        // Versioning keeps a deleted upload as a noncurrent version: a rejected file (not an image,
        // perhaps hostile) goes for good a day later, not after the photos' 30 days.
        { prefix: 'uploads/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
        {
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    // EventBridge notifications set on the bucket itself: CDK's `eventBridgeEnabled` would add a
    // custom-resource Lambda to set what CloudFormation can set directly.
    (this.photos.node.defaultChild as CfnBucket).addPropertyOverride(
      'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
      true,
    );
    this.forms = new Bucket(this, 'Forms', {
      ...common,
      serverAccessLogsPrefix: 'forms/',
      objectLockEnabled: true,
      // Governance, not compliance: a privileged operator (s3:BypassGovernanceRetention, logged)
      // can still remove a form written by mistake or owed to an erasure request; no one else can.
      objectLockDefaultRetention: ObjectLockRetention.governance(RECORD_RETENTION),
    });
  }

  /** The bucket behind each of the functions' bucket names (functions/domain/ports.ts). */
  get byName(): Record<BucketName, Bucket> {
    return { photos: this.photos, forms: this.forms };
  }
}
