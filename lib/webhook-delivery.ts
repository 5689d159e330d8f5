import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface WebhookDeliveryProps {
  readonly prefix: string;
  /** The deliverer's physical name: its ARN is known before it exists (it invokes and schedules itself). */
  readonly delivererName: string;
}

/**
 * What runs the outbound webhooks' deliverer besides its callers' asynchronous invokes: an
 * EventBridge Scheduler group for the retries' one-time schedules, and the role Scheduler assumes
 * to invoke the deliverer (that one function, from this account only).
 */
export class WebhookDelivery extends Construct {
  readonly delivererArn: string;
  readonly group: CfnScheduleGroup;
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.delivererArn = stack.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: props.delivererName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.group = new CfnScheduleGroup(this, 'Retries', { name: `${props.prefix}-webhook-retries` });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler invokes the webhook deliverer for a retry',
    });
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [this.delivererArn],
      }),
    );
  }

  /** Where the deliverer may create schedules: its group's, no other. */
  get scheduleArns(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.name}/*`,
    });
  }
}
