// What one job costs on AWS: the counts measured on the local stack times the published
// on-demand list prices in us-east-1 (no free tier): Step Functions Standard $0.025 per 1,000
// transitions; Lambda arm64 $0.20 per 1M requests and $0.0000133334 per GB-s (512 MB, as in
// lib/service-function.ts); DynamoDB on-demand $0.625 per 1M WRU and $0.125 per 1M RRU; SNS
// $0.50 per 1M publishes; HTTP API $1.00 per 1M requests. Not included: SNS deliveries (SMS
// and email, priced per message and country), KMS, CloudWatch Logs, X-Ray traces, DynamoDB
// storage and Lambda INIT billing.

export interface CostInput {
  transitions: number;
  lambdaInvocations: number;
  /** Billed duration assumed per invocation, ms. */
  lambdaMs: number;
  wru: number;
  rru: number;
  snsPublishes: number;
  apiRequests: number;
}

export interface CostBreakdown {
  input: CostInput;
  /** USD per 1,000 jobs, by service. */
  per1000Jobs: Record<string, number>;
  per1000JobsUsd: number;
}

export function costPerJob(input: CostInput): CostBreakdown {
  const i = input;
  const perJob: Record<string, number> = {
    'Step Functions transitions': i.transitions * 0.000025,
    'Lambda requests': i.lambdaInvocations * 0.0000002,
    'Lambda duration': i.lambdaInvocations * 0.5 * (i.lambdaMs / 1000) * 0.0000133334,
    'DynamoDB writes': i.wru * 0.000000625,
    'DynamoDB reads': i.rru * 0.000000125,
    'SNS publishes': i.snsPublishes * 0.0000005,
    'HTTP API requests': i.apiRequests * 0.000001,
  };
  const per1000Jobs = Object.fromEntries(Object.entries(perJob).map(([k, v]) => [k, v * 1000]));
  return { input, per1000Jobs, per1000JobsUsd: Object.values(per1000Jobs).reduce((a, b) => a + b, 0) };
}
