import { taskHandler } from '../adapters/observability';
import type { AppPorts } from '../adapters/ports';
import type { Milestone } from '../domain/types';
import { awaitMilestone } from '../domain/use-cases';

interface Input {
  jobId: string;
  milestone: Milestone;
  taskToken: string;
}

/** Invoked by the state machine's .waitForTaskToken tasks: parks the token on the job. */
export const awaitMilestoneHandler = (p: AppPorts) =>
  taskHandler(p.observability, (input: Input) =>
    awaitMilestone(p, input.jobId, input.milestone, input.taskToken),
  );
