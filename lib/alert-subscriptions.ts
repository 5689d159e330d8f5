import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Subscription, SubscriptionFilter, SubscriptionProtocol } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEVERITIES } from '../functions/domain/types';
import type { AlertRecipient } from './config';

export interface AlertSubscriptionsProps {
  readonly alerts: ITopic;
  /** The alerts topic's ARN as a plain string (a reference would be a key → topic → key cycle). */
  readonly alertsArn: string;
  /** The topics' key, which also encrypts the dead-letter queue. */
  readonly key: IKey;
  readonly recipients: readonly AlertRecipient[];
  readonly protectData: boolean;
}

/**
 * The managers' email and SMS subscriptions to the alerts topic, each filtered on the
 * `severity` and `type` message attributes the workflow publishes, and each with a
 * dead-letter queue, so an alert SNS cannot deliver waits there instead of vanishing.
 */
export class AlertSubscriptions extends Construct {
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertSubscriptionsProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      // SNS can only dead-letter into an encrypted queue whose customer key lets it in.
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const ruleId of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.deadLetterQueue).acknowledge({
        id: ruleId,
        reason:
          'This queue is itself the dead-letter queue of the alert subscriptions (SNS RedrivePolicy); nothing consumes it, so it needs no DLQ of its own. Its depth alarms.',
      });
    }
    props.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlertsDeadLetterQueue',
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': props.alertsArn } },
      }),
    );
    // The Subscription construct itself: SmsSubscription drops `deadLetterQueue`.
    props.recipients.forEach((recipient, index) => {
      new Subscription(this, `${recipient.protocol}${index}`, {
        topic: props.alerts,
        protocol: recipient.protocol === 'email' ? SubscriptionProtocol.EMAIL : SubscriptionProtocol.SMS,
        endpoint: recipient.endpoint,
        filterPolicy: filterPolicyFor(recipient),
        deadLetterQueue: this.deadLetterQueue,
      });
    });
  }
}

/**
 * The filter for one recipient, or none when it takes every alert. Unfiltered is not a
 * detail: CloudWatch alarm notifications carry no message attributes, and SNS matches
 * no attribute filter (not even `exists: false`) against a message without attributes,
 * so the alarms reach exactly the unfiltered recipients.
 */
export function filterPolicyFor(recipient: AlertRecipient): Record<string, SubscriptionFilter> | undefined {
  const policy: Record<string, SubscriptionFilter> = {};
  if (SEVERITIES.some((severity) => !recipient.severities.includes(severity))) {
    policy.severity = SubscriptionFilter.stringFilter({ allowlist: [...recipient.severities] });
  }
  if (recipient.types) policy.type = SubscriptionFilter.stringFilter({ allowlist: [...recipient.types] });
  return Object.keys(policy).length > 0 ? policy : undefined;
}
