import { SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Logger, Workflow } from '../domain/ports';
import type { Step } from '../domain/workflow';

// A token that is no longer waiting (timed out, already resumed) is not an error for us:
// the job's state in DynamoDB is the truth, and the machine re-reads it.
const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

export class SfnWorkflow implements Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string | undefined,
    private readonly logger: Logger,
  ) {}

  async start(jobId: string, first?: Step): Promise<void> {
    if (!this.stateMachineArn) throw new Error('Missing environment variable STATE_MACHINE_ARN');
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: jobId,
          input: JSON.stringify(first ?? { jobId }),
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'ExecutionAlreadyExists') throw e;
    }
  }

  async resume(token: string, next: Step): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(next) }));
    } catch (e) {
      if (!GONE.has((e as Error).name)) throw e;
      this.logger.info('task token no longer waiting', { reason: (e as Error).name });
    }
  }
}
