import { createHash } from 'node:crypto';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DeliveryQueue, DeliveryScheduler } from '../domain/ports';

// When the deliverer runs (functions/deliver-webhooks) on AWS. Soon: an asynchronous invoke
// (Lambda retries it and keeps it off the caller's path). At a time: an EventBridge Scheduler
// one-time schedule, `at(…)` in UTC, deleted by Scheduler once it has run
// (ActionAfterCompletion DELETE), so nothing piles up; a run that finds its queue not due yet
// simply schedules again. Schedules are named by queue and second, so the same retry asked
// twice is one schedule (ConflictException: it exists).

export interface AwsSchedulerConfig {
  delivererArn: string;
  /** The role Scheduler assumes to invoke the deliverer (lambda:InvokeFunction on it only). */
  roleArn: string;
  group: string;
}

/** The deliverer's event: which queue to drain. */
export type DeliveryRun = DeliveryQueue;

const scheduleName = (q: DeliveryQueue, when: Date) =>
  `wh-${createHash('sha256').update(`${q.endpointId}#${q.subject.kind}#${q.subject.id}`).digest('hex').slice(0, 32)}-${Math.ceil(when.getTime() / 1000)}`;

/** `at(yyyy-mm-ddThh:mm:ss)`, rounded up to the second: a run never comes before its time. */
export const atExpression = (when: Date) =>
  `at(${new Date(Math.ceil(when.getTime() / 1000) * 1000).toISOString().slice(0, 19)})`;

export function awsDeliveryScheduler(
  lambda: LambdaClient,
  scheduler: SchedulerClient,
  config: AwsSchedulerConfig,
): DeliveryScheduler {
  return {
    async kick(queue) {
      await lambda.send(
        new InvokeCommand({
          FunctionName: config.delivererArn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(queue satisfies DeliveryRun)),
        }),
      );
    },
    async at(queue, when) {
      try {
        await scheduler.send(
          new CreateScheduleCommand({
            Name: scheduleName(queue, when),
            GroupName: config.group,
            ScheduleExpression: atExpression(when),
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: {
              Arn: config.delivererArn,
              RoleArn: config.roleArn,
              Input: JSON.stringify(queue satisfies DeliveryRun),
              RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
            },
          }),
        );
      } catch (e) {
        if (!(e instanceof ConflictException)) throw e;
      }
    },
  };
}
