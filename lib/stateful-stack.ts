import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlertSubscriptions } from './alert-subscriptions';
import type { RepairConfig } from './config';
import { FailureQueue } from './failure-queue';
import { FileBuckets } from './file-buckets';
import { JobTable } from './job-table';
import { NotificationTopics } from './notification-topics';
import { UserDirectory } from './user-directory';
import { WebhookSecret } from './webhook-secret';

export interface StatefulStackProps extends StackProps {
  readonly config: RepairConfig;
}

/**
 * What outlives a deployment: the jobs table, the photo and form buckets, the topics and their key with the managers'
 * subscriptions and their dead-letter queue, the stream consumers' failure queues, the users, the
 * webhook secret. With
 * `protectData` (prod) the data-holding ones are retained and deletion-protected.
 */
export class StatefulStack extends Stack {
  readonly jobTable: JobTable;
  readonly reportStreamFailures: FailureQueue;
  readonly outboxStreamFailures: FailureQueue;
  readonly webhookDeliveryFailures: FailureQueue;
  /** The photos' content checks that failed for good (the uploads stay pending; lib/stateless-stack.ts). */
  readonly photoCheckFailures: FailureQueue;
  readonly files: FileBuckets;
  readonly topics: NotificationTopics;
  readonly alertSubscriptions: AlertSubscriptions;
  readonly users: UserDirectory;
  readonly webhookSecret: WebhookSecret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { protectData, prefix, alertRecipients } = props.config;
    this.jobTable = new JobTable(this, 'Jobs', { protectData });
    const failures = (queueId: string, source: string) =>
      new FailureQueue(this, queueId, { protectData, source });
    this.reportStreamFailures = failures('ReportStreamFailures', "the report stream's event source mapping");
    this.outboxStreamFailures = failures('OutboxStreamFailures', "the outbox stream's event source mapping");
    // After Lambda's two retries of an async run: which queue was to be drained. The deliveries
    // themselves stay pending in the table, listed and retryable by hand.
    this.webhookDeliveryFailures = failures(
      'WebhookDeliveryFailures',
      "the webhook deliverer's asynchronous runs",
    );
    this.photoCheckFailures = failures(
      'PhotoCheckFailures',
      "the photos' content check (its EventBridge rule's target, and the function's async on-failure destination)",
    );
    this.files = new FileBuckets(this, 'Files', { protectData });
    this.topics = new NotificationTopics(this, 'Notifications', { prefix, protectData });
    this.alertSubscriptions = new AlertSubscriptions(this, 'AlertSubscriptions', {
      alerts: this.topics.alerts,
      alertsArn: this.topics.alertsArnByName,
      key: this.topics.key,
      recipients: alertRecipients,
      protectData,
    });
    this.users = new UserDirectory(this, 'Users', { protectData, prefix });
    this.webhookSecret = new WebhookSecret(this, 'TechnicianWebhook', { protectData });

    const output = (outputId: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description });
    output('TableName', this.jobTable.table.tableName, 'Jobs table');
    output('UserPoolId', this.users.userPool.userPoolId, 'Cognito user pool');
    output('UserPoolClientId', this.users.client.userPoolClientId, 'Cognito app client (JWT audience)');
    output(
      'UserPoolDomain',
      this.users.domain.baseUrl(),
      'Cognito managed-login domain (the pages sign in there)',
    );
    output('AlertsTopicArn', this.topics.alerts.topicArn, "Managers' alerts");
    output('ResidentsTopicArn', this.topics.residents.topicArn, 'Resident notifications');
    output('TechniciansTopicArn', this.topics.technicians.topicArn, 'Technician notifications');
    output('AlertDeadLetterQueueUrl', this.alertSubscriptions.deadLetterQueue.queueUrl, 'Undelivered alerts');
    output(
      'ReportStreamFailureQueueUrl',
      this.reportStreamFailures.queue.queueUrl,
      'Stream batches the report consumer gave up on',
    );
    output(
      'OutboxStreamFailureQueueUrl',
      this.outboxStreamFailures.queue.queueUrl,
      'Stream batches the outbox consumer gave up on',
    );
    output(
      'PhotosBucketName',
      this.files.photos.bucketName,
      'Photos (uploads are checked, then kept under photos/)',
    );
    output('FormsBucketName', this.files.forms.bucketName, 'Archived repair forms (Object Lock, two years)');
    output('TechnicianWebhookSecretArn', this.webhookSecret.secret.secretArn, 'Webhook signing secret');
  }
}
