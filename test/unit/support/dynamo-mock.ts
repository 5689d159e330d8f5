import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { defined, NOW } from './fixtures';

// The DynamoDB document client as the adapters' unit tests mock it (adapter tests only: the
// integration tests run the same adapters against DynamoDB Local).

export const ddb = mockClient(DynamoDBDocumentClient);
export const TABLE = 'repair-jobs';
export const NOW_S = Math.floor(NOW.getTime() / 1000);

/** The error DynamoDB throws when a transaction's conditions fail, one reason per item. */
export const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    $metadata: {},
    message: 'Transaction cancelled',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** The items of the first TransactWrite the adapter sent. */
export const transactItems = () => {
  const input = defined(ddb.commandCalls(TransactWriteCommand)[0], 'TransactWrite call').args[0].input;
  return defined(input.TransactItems, 'TransactItems');
};
