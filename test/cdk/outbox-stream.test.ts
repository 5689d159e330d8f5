import { logicalId, resourcesOfType, type Synthesized, synthApp } from './synth';

// The outbox's delivery on AWS: the table's stream read by outbox-stream, retried for as long as
// the stream keeps a record (an SNS outage delays messages, loses none), then a failure queue
// whose depth alarms, as does the consumer's iterator age.

let synth: Synthesized;

beforeAll(() => {
  synth = synthApp();
});
afterAll(() => synth.cleanup());

const mapping = () => {
  const fn = logicalId(synth.stateless.functions.get('outbox-stream'));
  const found = resourcesOfType(synth.statelessSynth, 'AWS::Lambda::EventSourceMapping').filter(
    (m) => m.Properties.FunctionName.Ref === fn,
  );
  expect(found).toHaveLength(1);
  return found[0].Properties;
};

describe('the outbox stream', () => {
  it('answers failed records, halves a failing batch, retries without a count for a day, then gives up to its queue', () => {
    const queue = synth.stateful.outboxStreamFailures.queue;
    expect(mapping()).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 24 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] } } },
    });
  });

  it("is fed the jobs' and complaints' history items and the outbox entries they insert, nothing else", () => {
    const filters = mapping().FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));
    expect(filters).toEqual([
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'JOB#' }] }, sk: { S: [{ prefix: 'EVT#' }] } } } },
      {
        eventName: ['INSERT'],
        dynamodb: { Keys: { pk: { S: [{ prefix: 'JOB#' }] }, sk: { S: [{ prefix: 'OUTBOX#' }] } } },
      },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'COMPLAINT#' }] }, sk: { S: [{ prefix: 'EVT#' }] } } } },
      {
        eventName: ['INSERT'],
        dynamodb: { Keys: { pk: { S: [{ prefix: 'COMPLAINT#' }] }, sk: { S: [{ prefix: 'OUTBOX#' }] } } },
      },
    ]);
  });

  it('alarms on its iterator age and on its failure queue', () => {
    const alarms = resourcesOfType(synth.statelessSynth, 'AWS::CloudWatch::Alarm').map(
      (a) => a.Properties.AlarmName as string,
    );
    expect(alarms).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/outbox-stream-iterator-age$/),
        expect.stringMatching(/outbox-stream-dlq$/),
      ]),
    );
  });
});
