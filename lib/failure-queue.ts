import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface FailureQueueProps {
  readonly protectData: boolean;
  /** What gives up into it, as the cdk-nag acknowledgement says it. */
  readonly source: string;
}

/**
 * Where Lambda sends what it gave up on, for an operator to read and replay: a stream consumer's
 * batch (its shard and sequence numbers, readable while the stream keeps them, 24 hours), or an
 * asynchronous run (the webhook deliverer's, the photos' content check). Nothing consumes it; its
 * depth alarms (lib/repair-alarms.ts).
 */
export class FailureQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
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
        reason: `This queue is itself the on-failure destination of ${props.source}; nothing consumes it, so it needs no dead-letter queue of its own. Its depth alarms.`,
      });
    }
  }
}
