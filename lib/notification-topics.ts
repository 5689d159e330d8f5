import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationTopicsProps {
  readonly alertEmails: readonly string[];
}

/** The three SNS topics (managers' alerts, residents, technicians), encrypted with one customer key. */
export class NotificationTopics extends Construct {
  readonly key: Key;
  readonly alerts: Topic;
  readonly residents: Topic;
  readonly technicians: Topic;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the home-repair notification topics',
      enableKeyRotation: true,
    });
    const topic = (topicId: string, displayName: string) =>
      new Topic(this, topicId, { displayName, masterKey: this.key, enforceSSL: true });
    this.alerts = topic('Alerts', 'Home repair alerts');
    this.residents = topic('Residents', 'Home repair resident notices');
    this.technicians = topic('Technicians', 'Home repair technician notices');
    for (const email of props.alertEmails) {
      this.alerts.addSubscription(new EmailSubscription(email));
    }
  }

  get all(): Topic[] {
    return [this.alerts, this.residents, this.technicians];
  }
}
