import { taskHandler } from '../adapters/observability';
import { getPorts } from '../adapters/runtime';
import { loadPhase, timerFired } from '../domain/use-cases';

interface Input {
  action: 'load' | 'timer';
  jobId: string;
}

/** The state machine's questions to the domain: what next (load), and what a fired timer means (timer). */
export const handler = taskHandler((input: Input) =>
  input.action === 'timer' ? timerFired(getPorts(), input.jobId) : loadPhase(getPorts(), input.jobId),
);
