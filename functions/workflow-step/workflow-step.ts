import { taskHandler } from '../adapters/observability';
import type { AppPorts } from '../adapters/ports';
import { loadPhase, timerFired } from '../domain/use-cases';

interface Input {
  action: 'load' | 'timer';
  jobId: string;
}

/** The state machine's questions to the domain: what next (load), and what a fired timer means (timer). */
export const workflowStepHandler = (p: AppPorts) =>
  taskHandler(p.observability, (input: Input) =>
    input.action === 'timer' ? timerFired(p, input.jobId) : loadPhase(p, input.jobId),
  );
