import {
  ExecutionAlreadyExists,
  ExecutionLimitExceeded,
  InvalidOutput,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { SfnWorkflow } from '../../../functions/adapters/sfn-workflow';
import { FakeLogger } from '../support/fakes';
import { defined, rejectionOf } from '../support/fixtures';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:ap-east-1:111122223333:stateMachine:repair-job';
const meta = { $metadata: {}, message: 'from the service' };
const STEP = {
  jobId: 'job-1',
  phase: 'await_arrival',
  timeoutSeconds: 600,
  alert: null,
  afterAlert: null,
} as const;

let logger: FakeLogger;
const workflow = (arn: string | undefined) =>
  new SfnWorkflow(new SFNClient({ region: 'ap-east-1' }), arn, logger);

beforeEach(() => {
  sfn.reset();
  logger = new FakeLogger();
});

describe('start', () => {
  it('starts one execution named after the job, with the jobId as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });

    await workflow(ARN).start('job-1');

    expect(defined(sfn.commandCalls(StartExecutionCommand)[0], 'call').args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'job-1',
      input: JSON.stringify({ jobId: 'job-1' }),
    });
  });

  it('with a first step, starts the execution at that step', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });

    await workflow(ARN).start('job-1', STEP);

    expect(defined(sfn.commandCalls(StartExecutionCommand)[0], 'call').args[0].input).toMatchObject({
      name: 'job-1',
      input: JSON.stringify(STEP),
    });
  });

  it('treats an execution that already exists as started', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists(meta));

    await expect(workflow(ARN).start('job-1')).resolves.toBeUndefined();
  });

  it('rethrows any other failure', async () => {
    const failure = new ExecutionLimitExceeded(meta);
    sfn.on(StartExecutionCommand).rejects(failure);

    expect(await rejectionOf(workflow(ARN).start('job-1'))).toBe(failure);
  });

  it('fails fast without a state machine ARN', async () => {
    const error = await rejectionOf(workflow(undefined).start('job-1'));

    expect((error as Error).message).toBe('This function has no state machine ARN set');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('resume', () => {
  it('completes the waiting task with the token and the next step as its output', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});

    await workflow(ARN).resume('tok-1', STEP);

    expect(defined(sfn.commandCalls(SendTaskSuccessCommand)[0], 'call').args[0].input).toEqual({
      taskToken: 'tok-1',
      output: JSON.stringify(STEP),
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut(meta)],
    ['TaskDoesNotExist', new TaskDoesNotExist(meta)],
    ['InvalidToken', new InvalidToken(meta)],
  ])('ignores %s: the token is no longer waiting', async (name, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);

    await expect(workflow(ARN).resume('tok-1', STEP)).resolves.toBeUndefined();
    expect(logger.lines).toEqual([
      { level: 'info', message: 'task token no longer waiting', extra: { reason: name } },
    ]);
  });

  it('rethrows any other failure', async () => {
    const failure = new InvalidOutput(meta);
    sfn.on(SendTaskSuccessCommand).rejects(failure);

    expect(await rejectionOf(workflow(ARN).resume('tok-1', STEP))).toBe(failure);
  });
});
