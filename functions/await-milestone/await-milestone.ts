import { taskHandler } from '../adapters/observability';
import type { AppPorts } from '../adapters/ports';
import type { Milestone } from '../domain/types';
import { type WorkflowSubjectName, workflowSubject } from '../domain/use-cases';

interface Input {
  subject: WorkflowSubjectName;
  /** The subject's id (the job's, for the repair-job machine). */
  id: string;
  milestone: Milestone;
  taskToken: string;
}

/** Invoked by the state machine's .waitForTaskToken tasks: parks the token on the subject's item. */
export const awaitMilestoneHandler = (p: AppPorts) =>
  taskHandler(p.observability, async (input: Input) => {
    const { reached } = await workflowSubject(input.subject).park(
      p,
      input.id,
      input.milestone,
      input.taskToken,
    );
    return { jobId: input.id, milestone: input.milestone, reached };
  });
