import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { getPorts, logger } from '../adapters/runtime';
import type { Milestone } from '../domain/types';
import { awaitMilestone } from '../domain/use-cases';

interface Input {
  jobId: string;
  milestone: Milestone;
  taskToken: string;
}

/** Invoked by the state machine's .waitForTaskToken tasks: parks the token on the job. */
export const handler = middy<Input, unknown>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((input) => awaitMilestone(getPorts(), input.jobId, input.milestone, input.taskToken));
