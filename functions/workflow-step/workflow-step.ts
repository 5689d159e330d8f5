import { taskHandler } from '../adapters/observability';
import type { AppPorts } from '../adapters/ports';
import { type WorkflowSubjectName, workflowSubject } from '../domain/use-cases';

interface Input {
  subject: WorkflowSubjectName;
  action: 'load' | 'timer';
  /** The subject's id (the job's, for the repair-job machine). */
  id: string;
}

/** The state machine's questions to the domain: what next (load), and what a fired timer means (timer). */
export const workflowStepHandler = (p: AppPorts) =>
  taskHandler(p.observability, (input: Input) => {
    const subject = workflowSubject(input.subject);
    return input.action === 'timer' ? subject.timerFired(p, input.id) : subject.load(p, input.id);
  });
