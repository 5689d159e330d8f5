import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Clock } from '../domain/ports';
import type { Ports } from '../domain/use-cases';
import { domainSettings, requireEnv } from './config';
import { DynamoJobStore } from './dynamo-job-store';
import { logger, metrics, tracer } from './observability';
import { SfnWorkflow } from './sfn-workflow';
import { SnsNotifier } from './sns-notifier';

// The composition root. On AWS every port is built from the environment, once per
// container. The local stack installs its own clock, notifier and workflow engine
// (installLocalPorts) before it invokes any handler; the DynamoDB store is the same.

export interface LocalOverrides {
  clock: Clock;
  notifier: Ports['notifier'];
  workflow: Ports['workflow'];
}

let overrides: LocalOverrides | undefined;
let ports: Ports | undefined;

export function installLocalPorts(local: LocalOverrides): void {
  overrides = local;
  ports = undefined;
}

export const systemClock: Clock = { now: () => new Date() };

function dynamoClient(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  return tracer.captureAWSv3Client(new DynamoDBClient(endpoint ? { endpoint } : {}));
}

export function getPorts(): Ports {
  if (ports) return ports;
  const clock = overrides?.clock ?? systemClock;
  const built: Ports = {
    clock,
    logger,
    metrics,
    settings: domainSettings(),
    store: new DynamoJobStore(dynamoClient(), requireEnv('TABLE_NAME'), clock),
    notifier:
      overrides?.notifier ??
      new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({})), {
        alerts: process.env.ALERTS_TOPIC_ARN ?? '',
        residents: process.env.RESIDENTS_TOPIC_ARN ?? '',
        technicians: process.env.TECHNICIANS_TOPIC_ARN ?? '',
      }),
    workflow:
      overrides?.workflow ??
      new SfnWorkflow(tracer.captureAWSv3Client(new SFNClient({})), process.env.STATE_MACHINE_ARN, logger),
  };
  ports = built;
  return built;
}
