// Baseline for technician-webhook: the same clients plus Secrets Manager (functions/adapters/webhook-secret.ts).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const clients = [
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  new SNSClient({}),
  new SFNClient({}),
  new SecretsManagerClient({}),
];
export const handler = async () => ({});
