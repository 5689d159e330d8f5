import { taskHandler } from '../adapters/observability';
import { getPorts } from '../adapters/runtime';
import type { Milestone } from '../domain/types';
import { awaitMilestone } from '../domain/use-cases';

interface Input {
  jobId: string;
  milestone: Milestone;
  taskToken: string;
}

/** Invoked by the state machine's .waitForTaskToken tasks: parks the token on the job. */
export const handler = taskHandler((input: Input) =>
  awaitMilestone(getPorts(), input.jobId, input.milestone, input.taskToken),
);
