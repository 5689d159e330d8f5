// What counts as DynamoDB being briefly unavailable, for every adapter on the table: such a
// failure becomes UnavailableError (503 with Retry-After, or a stream record retried), never a 500.

const TRANSIENT = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);
// Network failures; matched in the message too, because the SDK may wrap an error that is
// not an `Error` of its realm (seen under jest) into "AWS SDK error wrapper for …".
const NETWORK = /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN)\b|socket hang up/;

export function isTransient(e: unknown): boolean {
  const err = e as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    TRANSIENT.has(err.name ?? '') ||
    NETWORK.test(`${err.code ?? ''} ${err.message ?? ''}`) ||
    (err.$metadata?.httpStatusCode ?? 0) >= 500
  );
}
