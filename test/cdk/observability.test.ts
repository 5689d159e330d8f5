import { FUNCTION_NAMES } from '../../functions/names';
import { type Json, logicalId, resourcesOfType, type Synthesized, synthApp } from './synth';

let synth: Synthesized;
let alarms: Json[];

beforeAll(() => {
  synth = synthApp();
  alarms = resourcesOfType(synth.statelessSynth, 'AWS::CloudWatch::Alarm').map((a) => a.Properties);
});
afterAll(() => synth.cleanup());

const alarm = (name: string): Json => {
  const found = alarms.find((a) => a.AlarmName === `home-repair-dev-${name}`);
  if (!found) throw new Error(`no alarm ${name}`);
  return found;
};
const fiveMinutesAtLeast = (threshold: number) => ({
  Period: 300,
  EvaluationPeriods: 1,
  Threshold: threshold,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  TreatMissingData: 'notBreaching',
});

describe('alarms', () => {
  it('are the 66 expected, all named for this environment (the alerts topic admits exactly those)', () => {
    const expected = [
      'sla-missed',
      'workflow-failed',
      'workflow-timed-out',
      'workflow-aborted',
      'complaint-workflow-failed',
      'complaint-workflow-timed-out',
      'complaint-workflow-aborted',
      'api-5xx',
      ...FUNCTION_NAMES.flatMap((name) => [`${name}-errors`, `${name}-throttles`]),
      'report-stream-iterator-age',
      'alert-delivery-dlq',
      'report-stream-dlq',
      'outbox-stream-iterator-age',
      'outbox-stream-dlq',
      'deliver-webhooks-dlq',
      'webhook-parked',
      'photo-check-dlq',
    ].map((name) => `home-repair-dev-${name}`);
    expect(expected).toHaveLength(66);
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(expected.sort());
  });

  it('all notify the alerts topic, and nothing else', () => {
    const alerts = { Ref: logicalId(synth.stateful.topics.alerts) };
    for (const a of alarms) {
      expect([a.AlarmName, a.AlarmActions]).toEqual([a.AlarmName, [alerts]]);
      expect(a.OKActions).toBeUndefined();
      expect(a.AlarmDescription).toEqual(expect.any(String));
    }
  });

  it('fire on the first SLA miss, from the service-wide business metric', () => {
    expect(alarm('sla-missed')).toMatchObject({
      Namespace: 'HomeRepair',
      MetricName: 'SlaMissed',
      Dimensions: [{ Name: 'service', Value: 'home-repair' }],
      Statistic: 'Sum',
      ...fiveMinutesAtLeast(1),
    });
  });

  // The repair-job machine's alarms keep their first names; the complaint machine's say whose they are.
  it.each([
    ['workflow-failed', 'ExecutionsFailed', 'job'],
    ['workflow-timed-out', 'ExecutionsTimedOut', 'job'],
    ['workflow-aborted', 'ExecutionsAborted', 'job'],
    ['complaint-workflow-failed', 'ExecutionsFailed', 'complaint'],
    ['complaint-workflow-timed-out', 'ExecutionsTimedOut', 'complaint'],
    ['complaint-workflow-aborted', 'ExecutionsAborted', 'complaint'],
  ] as const)('%s fires on the first %s of the %s machine', (name, metricName, subject) => {
    expect(alarm(name)).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: metricName,
      Dimensions: [
        {
          Name: 'StateMachineArn',
          Value: { Ref: logicalId(synth.stateless.workflows[subject].stateMachine) },
        },
      ],
      Statistic: 'Sum',
      ...fiveMinutesAtLeast(1),
    });
  });

  it('fire when the HTTP API answers five 5xx in five minutes (a lone 503 with Retry-After is expected)', () => {
    expect(alarm('api-5xx')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(synth.stateless.api.api) } }],
      Statistic: 'Sum',
      ...fiveMinutesAtLeast(5),
    });
  });

  it.each(FUNCTION_NAMES)('watch %s for errors and throttles', (name) => {
    const functionName = [
      { Name: 'FunctionName', Value: { Ref: logicalId(synth.stateless.functions.get(name)) } },
    ];
    for (const [suffix, metricName] of [
      ['errors', 'Errors'],
      ['throttles', 'Throttles'],
    ]) {
      expect(alarm(`${name}-${suffix}`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: functionName,
        Statistic: 'Sum',
        ...fiveMinutesAtLeast(1),
      });
    }
  });

  it('fire when the report consumer is ten minutes behind its stream', () => {
    expect(alarm('report-stream-iterator-age')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [
        { Name: 'FunctionName', Value: { Ref: logicalId(synth.stateless.functions.get('report-stream')) } },
      ],
      Statistic: 'Maximum',
      ...fiveMinutesAtLeast(10 * 60 * 1000),
    });
  });

  it('fire as soon as the report consumer gives up a stream batch', () => {
    const queue = logicalId(synth.stateful.reportStreamFailures.queue);
    expect(alarm('report-stream-dlq')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
    });
  });

  it('fire as soon as an undeliverable alert waits in the dead-letter queue', () => {
    const queue = logicalId(synth.stateful.alertSubscriptions.deadLetterQueue);
    expect(alarm('alert-delivery-dlq')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe('dashboard', () => {
  let widgets: Json[];

  beforeAll(() => {
    const [dashboard] = resourcesOfType(synth.statelessSynth, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('home-repair-dev');
    // The body is a Fn::Join of JSON text and references; references become placeholders.
    const parts: Json[] = dashboard.Properties.DashboardBody['Fn::Join'][1];
    const text = parts
      .map((part) => (typeof part === 'string' ? part : part.Ref ? `REF:${part.Ref}` : 'REF'))
      .join('');
    widgets = JSON.parse(text).widgets;
  });

  const widget = (title: string): Json => {
    const found = widgets.find((w) => w.properties.title === title);
    if (!found) throw new Error(`no widget "${title}" in ${widgets.map((w) => w.properties.title)}`);
    return found.properties;
  };
  const metricsText = (title: string) => JSON.stringify(widget(title).metrics);

  it('leads with the on-time arrival rate: 100 × the average of ArrivalOnTime (1 on time, 0 late)', () => {
    const { metrics } = widget('On-time arrival rate (%)');
    expect(metrics[0][0]).toMatchObject({ expression: '100 * onTime' });
    const [namespace, metricName, dimension, value, options] = metrics[1];
    expect([namespace, metricName, dimension, value]).toEqual([
      'HomeRepair',
      'ArrivalOnTime',
      'service',
      'home-repair',
    ]);
    // CloudWatch's default statistic is Average, so CDK leaves it out.
    expect(options.stat ?? 'Average').toBe('Average');
    expect(options).toMatchObject({ id: 'onTime', visible: false });
  });

  it('shows SLA misses and jobs booked, with totals over the time range', () => {
    expect(widget('SLA misses').setPeriodToTimeRange).toBe(true);
    expect(metricsText('SLA misses')).toContain('"SlaMissed"');
    expect(metricsText('Jobs booked')).toContain('"JobsBooked"');
    expect(metricsText('SLA misses and bookings, hourly')).toContain('"sla.arrival_missed"');
  });

  it('counts callbacks due as forms signed minus callbacks done (metric math)', () => {
    const { metrics } = widget('Callbacks due');
    expect(metrics[0][0]).toMatchObject({ expression: 'signed - done' });
    expect(JSON.stringify(metrics)).toContain('"CallbackScheduled"');
    expect(JSON.stringify(metrics)).toContain('"CallbackCompleted"');
  });

  it('shows open jobs as executions started against those that ended', () => {
    const text = metricsText('Open jobs: executions started vs ended');
    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsAborted',
    ]) {
      expect(text).toContain(`"${metric}"`);
    }
    expect(text).toContain('RUNNING_SUM');
  });

  const machineRef = (subject: 'job' | 'complaint') =>
    `REF:${logicalId(synth.stateless.workflows[subject].stateMachine)}`;

  it('shows open jobs and open complaints, each from its own machine', () => {
    const jobs = metricsText('Open jobs: executions started vs ended');
    const complaints = metricsText('Open complaints: executions started vs ended');
    expect(complaints).toContain('RUNNING_SUM');
    expect(complaints).toContain('"ExecutionsStarted"');
    expect([jobs.includes(machineRef('job')), jobs.includes(machineRef('complaint'))]).toEqual([true, false]);
    expect([complaints.includes(machineRef('complaint')), complaints.includes(machineRef('job'))]).toEqual([
      true,
      false,
    ]);
  });

  it('shows failed, timed-out and stopped executions of both machines', () => {
    const text = metricsText('Executions failed, timed out or stopped (both machines)');
    for (const subject of ['job', 'complaint'] as const) {
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
        expect(text).toContain(`"AWS/States","${metric}","StateMachineArn","${machineRef(subject)}"`);
      }
    }
  });

  it('shows API latency percentiles and 5xx', () => {
    expect(metricsText('API latency (ms)')).toMatch(/"Latency".*"p99"/);
    expect(metricsText('API requests and errors')).toContain('"5xx"');
  });
});
