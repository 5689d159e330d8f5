import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface NotificationTopicsProps {
  /** Topics are named `<prefix>-alerts` etc.; alarms named `<prefix>-…` may publish to the alerts topic. */
  readonly prefix: string;
  readonly protectData: boolean;
}

/** The three SNS topics (managers' alerts, residents, technicians), encrypted with one customer key. */
export class NotificationTopics extends Construct {
  readonly key: Key;
  readonly alerts: Topic;
  readonly residents: Topic;
  readonly technicians: Topic;
  /**
   * The alerts topic's ARN built from its fixed name, for the key policy: a reference to
   * the topic would make key → topic → key a cycle.
   */
  readonly alertsArnByName: string;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the home-repair notification topics',
      enableKeyRotation: true,
      // It encrypts nothing that outlives 14 days (SNS keeps no messages; the alert DLQ keeps
      // them 14 days), so even prod schedules its deletion, cancellable for 30 days,
      // instead of paying for an orphan forever.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(props.protectData ? 30 : 7),
    });
    const topic = (topicId: string, name: string, displayName: string) =>
      new Topic(this, topicId, {
        topicName: `${props.prefix}-${name}`,
        displayName,
        masterKey: this.key,
        enforceSSL: true,
      });
    this.alerts = topic('Alerts', 'alerts', 'Home repair alerts');
    this.residents = topic('Residents', 'residents', 'Home repair resident notices');
    this.technicians = topic('Technicians', 'technicians', 'Home repair technician notices');
    this.alertsArnByName = Stack.of(this).formatArn({ service: 'sns', resource: `${props.prefix}-alerts` });
    this.allowAlarms(props.prefix);
  }

  get all(): Topic[] {
    return [this.alerts, this.residents, this.technicians];
  }

  // CloudWatch publishes alarm notifications as its service principal: it needs the topic
  // policy and, the topic being encrypted, the key. Both only for this stage's alarms.
  private allowAlarms(alarmNamePrefix: string): void {
    const stack = Stack.of(this);
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${alarmNamePrefix}-*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.alerts.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.alerts.topicArn],
        conditions,
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsUseKey',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );
  }
}
