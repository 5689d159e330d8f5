import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface StreamFailuresProps {
  readonly protectData: boolean;
  /** Whose event source mapping gives up into it: `report`, `outbox`. */
  readonly consumer: string;
  /** What gives up into it, when not a stream's event source mapping (the photos' content check). */
  readonly source?: string;
}

/**
 * Where a stream consumer's event source mapping sends what it gave up on (after its retries,
 * or a record older than a day): the shard and sequence numbers of the batch, so an operator can
 * read those records again while the stream keeps them (24 hours) and replay what they missed.
 * Its depth alarms (lib/repair-alarms.ts).
 */
export class StreamFailures extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: StreamFailuresProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      // SQS-managed keys: Lambda sends to it with sqs:SendMessage alone, no key grant.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const ruleId of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.queue).acknowledge({
        id: ruleId,
        reason: `This queue is itself the on-failure destination of ${props.source ?? `the ${props.consumer} stream's event source mapping`}; nothing consumes it, so it needs no dead-letter queue of its own. Its depth alarms.`,
      });
    }
  }
}
