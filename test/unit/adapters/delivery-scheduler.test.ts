import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { atExpression, awsDeliveryScheduler } from '../../../functions/adapters/delivery-scheduler';

const lambda = mockClient(LambdaClient);
const scheduler = mockClient(SchedulerClient);
const CONFIG = {
  delivererArn: 'arn:aws:lambda:ap-east-1:123456789012:function:deliver',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  group: 'webhooks',
};
const QUEUE = { endpointId: 'ep_AAAAAAAAAAAAAAAA', subject: { kind: 'job' as const, id: 'j-1' } };
const ports = () => awsDeliveryScheduler(new LambdaClient({}), new SchedulerClient({}), CONFIG);

beforeEach(() => {
  lambda.reset();
  scheduler.reset();
});

it('a kick is an asynchronous invoke of the deliverer with the queue', async () => {
  await ports().kick(QUEUE);

  const [call] = lambda.commandCalls(InvokeCommand);
  expect(call?.args[0].input).toMatchObject({ FunctionName: CONFIG.delivererArn, InvocationType: 'Event' });
  expect(JSON.parse(Buffer.from(call?.args[0].input.Payload as Uint8Array).toString())).toEqual(QUEUE);
});

it('a retry is a one-time schedule, at the second rounded up, deleted after it ran', async () => {
  await ports().at(QUEUE, new Date('2026-12-02T08:00:00.200Z'));

  const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
  expect(input).toMatchObject({
    GroupName: 'webhooks',
    ScheduleExpression: 'at(2026-12-02T08:00:01)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: { Arn: CONFIG.delivererArn, RoleArn: CONFIG.roleArn },
  });
  expect(JSON.parse(input?.Target?.Input ?? '')).toEqual(QUEUE);
  expect(input?.Name?.length).toBeLessThanOrEqual(64);
});

it('the same retry asked twice is one schedule: the conflict is not an error', async () => {
  scheduler
    .on(CreateScheduleCommand)
    .rejects(new ConflictException({ Message: 'exists', message: 'exists', $metadata: {} }));

  await expect(ports().at(QUEUE, new Date('2026-12-02T08:00:00.000Z'))).resolves.toBeUndefined();
});

it('at() is never earlier than asked', () => {
  expect(atExpression(new Date('2026-12-02T08:00:00.000Z'))).toBe('at(2026-12-02T08:00:00)');
  expect(atExpression(new Date('2026-12-02T08:00:00.001Z'))).toBe('at(2026-12-02T08:00:01)');
});
