// One cold start (run by bench/cold-start.ts in a fresh Node process): imports the bundle,
// serves one invocation, and prints performance.now() — milliseconds since the process
// started, Node's boot included — and what the invocation answered.
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: '512',
  awsRequestId: 'c0ffee00-0000-4000-8000-000000000001',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000,
};
const { handler } = await import(process.env.BENCH_BUNDLE);
let outcome;
try {
  const r = await handler(JSON.parse(process.env.BENCH_EVENT), context);
  outcome = r && typeof r === 'object' && 'statusCode' in r ? String(r.statusCode) : 'returned';
} catch (e) {
  outcome = `threw ${e?.name}`;
}
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ ms: performance.now(), outcome })}\n`);
