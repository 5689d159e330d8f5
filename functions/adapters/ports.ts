import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { type FunctionConfig, readConfig } from '../config';
import type { ComplaintStep } from '../domain/complaint-workflow';
import type { Clock, DeliveryScheduler, Notifier, Ports, WebhookPorts } from '../domain/ports';
import type { Step } from '../domain/workflow';
import { awsDeliveryScheduler } from './delivery-scheduler';
import { DynamoComplaintStore } from './dynamo-complaint-store';
import { DynamoDirectory } from './dynamo-directory';
import { DynamoJobStore } from './dynamo-job-store';
import { DynamoOutboxLedger } from './dynamo-outbox';
import { DynamoReportStore } from './dynamo-report-store';
import { DynamoTable } from './dynamo-table';
import { DynamoWebhookStore } from './dynamo-webhook-store';
import { lambdaObservability, type Observability } from './observability';
import { S3Files } from './s3-files';
import { SfnWorkflow } from './sfn-workflow';
import { SnsNotifier } from './sns-notifier';
import { OUTBOX_READING } from './table-layout';
import { secretsManagerSecrets, type WebhookSecrets } from './webhook-secret';
import { dnsResolve, httpSender } from './webhook-sender';

/** Everything a handler is made from: the domain's ports, plus what only the edge needs. */
export interface AppPorts extends Ports, WebhookPorts {
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
  const { deliverer } = config;
  const scheduler: DeliveryScheduler = deliverer
    ? awsDeliveryScheduler(traced(new LambdaClient({})), traced(new SchedulerClient({})), {
        delivererArn: deliverer.arn,
        roleArn: deliverer.schedulerRoleArn ?? '',
        group: deliverer.scheduleGroup ?? 'default',
      })
    : {
        kick: async () => unconfigured('webhook deliverer', 'DELIVERER_ARN'),
        at: async () => unconfigured('webhook deliverer', 'DELIVERER_ARN'),
      };
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
    files: new S3Files(
      traced(new S3Client(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {})),
      config.buckets,
    ),
    ledger: new DynamoOutboxLedger(new DynamoTable(dynamo, config.tableName, systemClock), systemClock),
    // pdf-lib and the font only in the function that renders (outbox-stream/handler.ts).
    formRenderer: { render: async () => unconfigured('form renderer', 'FORM_FONT_FILE') },
    workflow,
    complaintWorkflow,
    webhookSecrets: webhookSecretArn
      ? secretsManagerSecrets(traced(new SecretsManagerClient({})), webhookSecretArn)
      : async () => unconfigured('webhook secret', 'TECH_WEBHOOK_SECRET_ARN'),
    webhooks: new DynamoWebhookStore(dynamo, config.tableName, systemClock),
    sender: httpSender,
    resolve: dnsResolve,
    scheduler,
    webhookTargets: config.webhookTargets,
    wallClock: systemClock,
    observability,
    streamPauseCapMs: OUTBOX_READING.pauseCapMs,
  };
}

/** What each Lambda entry calls at load: a missing variable fails the init, not a request. */
export const fromEnvironment = (): AppPorts => createPorts(readConfig());
