// What one job costs on AWS, from the counts measured on the local stack and the
// published on-demand prices in us-east-1 (no free tiers, no savings plans).

export const PRICES_US_EAST_1 = {
  /** Step Functions Standard: $0.025 per 1,000 state transitions. */
  stepFunctionsPerTransition: 0.025 / 1000,
  /** Lambda arm64: $0.20 per 1M requests. */
  lambdaPerRequest: 0.2 / 1_000_000,
  /** Lambda arm64: $0.0000133334 per GB-second (first 7.5 billion GB-s a month). */
  lambdaPerGbSecond: 0.0000133334,
  /** The functions' memory (lib/service-function.ts). */
  lambdaMemoryGb: 512 / 1024,
  /** DynamoDB on-demand: $0.625 per million write request units. */
  dynamoPerWru: 0.625 / 1_000_000,
  /** DynamoDB on-demand: $0.125 per million read request units. */
  dynamoPerRru: 0.125 / 1_000_000,
  /** SNS standard topic: $0.50 per 1M publish requests (deliveries are extra, see RESULTS.md). */
  snsPerPublish: 0.5 / 1_000_000,
  /** API Gateway HTTP API: $1.00 per million requests (first 300 million a month). */
  httpApiPerRequest: 1.0 / 1_000_000,
} as const;

export interface CostInput {
  transitions: number;
  lambdaInvocations: number;
  /** Billed duration per invocation, ms. */
  lambdaMs: number;
  wru: number;
  rru: number;
  snsPublishes: number;
  apiRequests: number;
}

export interface CostBreakdown {
  input: CostInput;
  /** USD per 1,000 jobs, by service. */
  per1000: {
    stepFunctions: number;
    lambdaRequests: number;
    lambdaDuration: number;
    dynamoWrites: number;
    dynamoReads: number;
    sns: number;
    httpApi: number;
  };
  per1000Jobs: number;
}

export function costPerJob(input: CostInput): CostBreakdown {
  const p = PRICES_US_EAST_1;
  const per1000 = {
    stepFunctions: 1000 * input.transitions * p.stepFunctionsPerTransition,
    lambdaRequests: 1000 * input.lambdaInvocations * p.lambdaPerRequest,
    lambdaDuration:
      1000 * input.lambdaInvocations * p.lambdaMemoryGb * (input.lambdaMs / 1000) * p.lambdaPerGbSecond,
    dynamoWrites: 1000 * input.wru * p.dynamoPerWru,
    dynamoReads: 1000 * input.rru * p.dynamoPerRru,
    sns: 1000 * input.snsPublishes * p.snsPerPublish,
    httpApi: 1000 * input.apiRequests * p.httpApiPerRequest,
  };
  return { input, per1000, per1000Jobs: Object.values(per1000).reduce((a, b) => a + b, 0) };
}

export const COST_FORMULA =
  'cost per 1000 jobs = 1000 × ( T × $0.000025 + I × $0.0000002 + I × 0.5 GB × d s × $0.0000133334' +
  ' + WRU × $0.000000625 + RRU × $0.000000125 + P × $0.0000005 + H × $0.000001 )';
