import { SendTaskSuccessCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Logger, Workflow } from '../domain/ports';

// A token that is no longer waiting (timed out, already resumed) is not an error for us:
// the job's state in DynamoDB is the truth, and the machine re-reads it.
const GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** One state machine's executions, named after the job (or complaint) each times. */
export class SfnWorkflow<S> implements Workflow<S> {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string | undefined,
    private readonly logger: Logger,
    /** The input of an execution started without a step: its subject's id under the machine's key. */
    private readonly idOnly: (id: string) => object = (jobId) => ({ jobId }),
  ) {}

  async start(id: string, first?: S): Promise<void> {
    if (!this.stateMachineArn) throw new Error('This function has no state machine ARN set');
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: id,
          input: JSON.stringify(first ?? this.idOnly(id)),
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'ExecutionAlreadyExists') throw e;
    }
  }

  async resume(token: string, next: S): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(next) }));
    } catch (e) {
      if (!GONE.has((e as Error).name)) throw e;
      this.logger.info('task token no longer waiting', { reason: (e as Error).name });
    }
  }
}
