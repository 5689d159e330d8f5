import { type Json, logicalId, resourcesOfType, type Synthesized, synthApp } from './synth';

// The reports' feed on AWS: the table's stream, read by report-stream through an event source
// mapping that retries a failed record alone and gives up into an alarmed queue.

let synth: Synthesized;

beforeAll(() => {
  synth = synthApp();
});
afterAll(() => synth.cleanup());

const allMappings = () => resourcesOfType(synth.statelessSynth, 'AWS::Lambda::EventSourceMapping');
const mappingOf = (name: 'report-stream' | 'outbox-stream') =>
  allMappings().filter(
    (m) => m.Properties.FunctionName.Ref === logicalId(synth.stateless.functions.get(name)),
  );
const mappings = () => mappingOf('report-stream');

describe('the report stream', () => {
  it('is one of the two event source mappings, both on the table stream: report-stream and outbox-stream', () => {
    const { table } = synth.stateful.jobTable;
    expect(allMappings()).toHaveLength(2);
    expect(mappingOf('outbox-stream')[0]?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalId(table), 'StreamArn'] },
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalId(synth.stateful.outboxStreamFailures.queue), 'Arn'] },
        },
      },
    });
    expect(mappings()).toHaveLength(1);
    expect(mappings()[0].Properties).toMatchObject({
      FunctionName: { Ref: logicalId(synth.stateless.functions.get('report-stream')) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(table), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('answers failed records, halves a failing batch, retries ten times, then sends it to the failure queue', () => {
    const queue = synth.stateful.reportStreamFailures.queue;
    expect(mappings()[0].Properties).toMatchObject({
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 24 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] } } },
    });
  });

  it('delivers only the changes of job and complaint items (either filter admits a record)', () => {
    const filters = mappings()[0].Properties.FilterCriteria.Filters;
    expect(filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'JOB#' }] }, sk: { S: ['JOB'] } } } },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'COMPLAINT#' }] }, sk: { S: ['COMPLAINT'] } } } },
    ]);
  });

  it.each([
    ['a job', { pk: 'JOB#j1', sk: 'JOB' }, true],
    ['a complaint', { pk: 'COMPLAINT#c1', sk: 'COMPLAINT' }, true],
    ["a job's history", { pk: 'JOB#j1', sk: 'EVT#2027-01-01T00:00:00.000Z#000001#0' }, false],
    ["a complaint's history", { pk: 'COMPLAINT#c1', sk: 'EVT#2027-01-01T00:00:00.000Z#000001#0' }, false],
    ['a receipt', { pk: 'IDEM#k', sk: 'RECEIPT' }, false],
    ['a report counter', { pk: 'REPORT#2027-01#*', sk: 'TOTAL' }, false],
    ['a stream marker', { pk: 'APPLIED#e1', sk: 'APPLIED' }, false],
  ])('%s %j is let through: %s', (_what, keys, passes) => {
    // The patterns' subset that is used here: exact values and prefixes of string keys.
    const filters = mappings()[0].Properties.FilterCriteria.Filters.map((f: { Pattern: string }) =>
      JSON.parse(f.Pattern),
    );
    const matches = (rules: Json[], value: string) =>
      rules.some((rule) => (typeof rule === 'string' ? rule === value : value.startsWith(rule.prefix)));
    const admitted = filters.some((f: Json) =>
      Object.entries(f.dynamodb.Keys).every(([key, typed]) =>
        matches((typed as Json).S, (keys as Record<string, string>)[key] ?? ''),
      ),
    );
    expect(admitted).toBe(passes);
  });

  it('may send to the failure queue and nowhere else', () => {
    const role = logicalId(synth.stateless.functions.get('report-stream').serviceRole);
    const sqs = resourcesOfType(synth.statelessSynth, 'AWS::IAM::Policy')
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('sqs:')));
    expect(sqs).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [logicalId(synth.stateful.reportStreamFailures.queue), 'Arn'] },
      }),
    ]);
  });

  it('serves GET /reports/monthly from monthly-report, behind the JWT authorizer', () => {
    const route = resourcesOfType(synth.statelessSynth, 'AWS::ApiGatewayV2::Route').find(
      (r) => r.Properties.RouteKey === 'GET /reports/monthly',
    );
    expect(route?.Properties.AuthorizationType).toBe('JWT');
  });
});
