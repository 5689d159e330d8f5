// Baseline: the SDK v3 clients a function's composition root constructs, and a handler that does nothing.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const clients = [
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  new SNSClient({}),
  new SFNClient({}),
];
export const handler = async () => ({});
