import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { type FunctionConfig, readConfig } from '../config';
import type { ComplaintStep } from '../domain/complaint-workflow';
import type { Clock, Notifier, Ports } from '../domain/ports';
import type { Step } from '../domain/workflow';
import { DynamoComplaintStore } from './dynamo-complaint-store';
import { DynamoDirectory } from './dynamo-directory';
import { DynamoJobStore } from './dynamo-job-store';
import { DynamoOutboxLedger } from './dynamo-outbox';
import { DynamoReportStore } from './dynamo-report-store';
import { DynamoTable } from './dynamo-table';
import { lambdaObservability, type Observability } from './observability';
import { SfnWorkflow } from './sfn-workflow';
import { SnsNotifier } from './sns-notifier';
import { OUTBOX_READING } from './table-layout';
import { secretsManagerSecrets, type WebhookSecrets } from './webhook-secret';

/** Everything a handler is made from: the domain's ports, plus what only the edge needs. */
export interface AppPorts extends Ports {
  webhookSecrets: WebhookSecrets;
  observability: Observability;
  /**
   * The outbox consumer's longest pause before it answers a failed record (OUTBOX_READING): on
   * Lambda, which retries at once; 0 locally, where the poller backs off itself.
   */
  streamPauseCapMs: number;
}

export const systemClock: Clock = { now: () => new Date() };

/** A port this function was not configured for: using it is a deployment bug, said plainly. */
function unconfigured(what: string, variable: string): never {
  throw new Error(`This function has no ${what} (${variable} is not set)`);
}

/**
 * The composition root on Lambda: each entry builds its ports once, at load, from the config
 * parsed once (functions/config.ts). The local stack builds its own (local/stack.ts).
 */
export function createPorts(config: FunctionConfig): AppPorts {
  const observability = lambdaObservability();
  const { logger, traced } = observability;
  const { topics, stateMachineArn, webhookSecretArn } = config;
  const dynamo = traced(
    new DynamoDBClient(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
  );
  const notifier: Notifier = topics
    ? new SnsNotifier(traced(new SNSClient({})), topics)
    : { publish: async () => unconfigured('topics', 'ALERTS_TOPIC_ARN') };
  // Every waiting function resumes task tokens; only the outbox consumer starts executions.
  const sfn = traced(new SFNClient({}));
  const workflow = new SfnWorkflow<Step>(sfn, stateMachineArn, logger);
  const complaintWorkflow = new SfnWorkflow<ComplaintStep>(
    sfn,
    config.complaintStateMachineArn,
    logger,
    (complaintId) => ({ complaintId }),
  );
  return {
    clock: systemClock,
    logger,
    metrics: observability.metrics,
    settings: config.settings,
    store: new DynamoJobStore(dynamo, config.tableName, systemClock),
    complaints: new DynamoComplaintStore(dynamo, config.tableName, systemClock),
    reports: new DynamoReportStore(dynamo, config.tableName, systemClock),
    directory: new DynamoDirectory(dynamo, config.tableName, systemClock),
    notifier,
    ledger: new DynamoOutboxLedger(new DynamoTable(dynamo, config.tableName, systemClock), systemClock),
    workflow,
    complaintWorkflow,
    webhookSecrets: webhookSecretArn
      ? secretsManagerSecrets(traced(new SecretsManagerClient({})), webhookSecretArn)
      : async () => unconfigured('webhook secret', 'TECH_WEBHOOK_SECRET_ARN'),
    observability,
    streamPauseCapMs: OUTBOX_READING.pauseCapMs,
  };
}

/** What each Lambda entry calls at load: a missing variable fails the init, not a request. */
export const fromEnvironment = (): AppPorts => createPorts(readConfig());
