import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { getPorts, logger } from '../adapters/runtime';
import { loadPhase, timerFired } from '../domain/use-cases';

interface Input {
  action: 'load' | 'timer';
  jobId: string;
}

/** The state machine's questions to the domain: what next (load), and what a fired timer means (timer). */
export const handler = middy<Input, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((input) =>
    input.action === 'timer' ? timerFired(getPorts(), input.jobId) : loadPhase(getPorts(), input.jobId),
  );
