import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  SingleValueWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { businessMetric } from './metrics';

export interface RepairDashboardProps {
  readonly dashboardName: string;
  readonly jobMachine: IStateMachine;
  readonly complaintMachine: IStateMachine;
  readonly api: IHttpApi;
  readonly functions: Readonly<Record<string, IFunction>>;
}

const HOUR = Duration.hours(1);

/**
 * One page for the operations manager: the service standard first (on-time arrivals,
 * SLA misses, bookings, callbacks due), then the workflows, the API and the functions.
 * Totals are over the dashboard's time range (two weeks unless changed).
 */
export class RepairDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: RepairDashboardProps) {
    super(scope, id);
    const { jobMachine: jobs, complaintMachine: complaints, api } = props;
    const hourly = { period: HOUR };
    const onTimeRate = new MathExpression({
      label: 'On-time arrivals (%)',
      expression: '100 * onTime',
      usingMetrics: { onTime: businessMetric('ArrivalOnTime', { statistic: 'Average', ...hourly }) },
      period: HOUR,
    });
    const callbacksDue = new MathExpression({
      label: 'Callbacks due (forms signed − callbacks done, in range)',
      expression: 'RUNNING_SUM(FILL(signed, 0)) - RUNNING_SUM(FILL(done, 0))',
      usingMetrics: {
        signed: businessMetric('CallbackScheduled', hourly),
        done: businessMetric('CallbackCompleted', hourly),
      },
      period: HOUR,
    });
    const totals = (title: string, metrics: IMetric[]) =>
      new SingleValueWidget({ title, metrics, setPeriodToTimeRange: true, width: 6, height: 4 });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });
    // An execution per job or complaint: those started and not yet ended are the open ones.
    const openExecutions = (title: string, sm: IStateMachine) =>
      graph(
        title,
        [
          new MathExpression({
            label: 'Open executions (started − ended, in range)',
            expression:
              'RUNNING_SUM(FILL(started, 0)) - RUNNING_SUM(FILL(ok, 0) + FILL(failed, 0) + FILL(aborted, 0) + FILL(timedOut, 0))',
            usingMetrics: {
              started: sm.metricStarted(hourly),
              ok: sm.metricSucceeded(hourly),
              failed: sm.metricFailed(hourly),
              aborted: sm.metricAborted(hourly),
              timedOut: sm.metricTimedOut(hourly),
            },
            period: HOUR,
          }),
        ],
        [
          sm.metricStarted({ ...hourly, label: 'Started' }),
          sm.metricSucceeded({ ...hourly, label: 'Succeeded' }),
          sm.metricFailed({ ...hourly, label: 'Failed' }),
        ],
      );
    const functions = Object.entries(props.functions);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(14),
    });
    this.dashboard.addWidgets(
      totals('On-time arrival rate (%)', [
        new MathExpression({
          label: 'On time (%)',
          expression: '100 * onTime',
          usingMetrics: { onTime: businessMetric('ArrivalOnTime', { statistic: 'Average' }) },
        }),
      ]),
      totals('SLA misses', [businessMetric('SlaMissed', { label: 'SLA misses' })]),
      totals('Jobs booked', [businessMetric('JobsBooked', { label: 'Jobs booked' })]),
      totals('Callbacks due', [
        new MathExpression({
          label: 'Forms signed − callbacks done',
          expression: 'signed - done',
          usingMetrics: {
            signed: businessMetric('CallbackScheduled'),
            done: businessMetric('CallbackCompleted'),
          },
        }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('On-time arrival rate (%), hourly', [onTimeRate]),
      graph(
        'SLA misses and bookings, hourly',
        [
          businessMetric('SlaMissed', { ...hourly, label: 'SLA misses (all)' }),
          ...(['sla.arrival_missed', 'sla.callback_missed'] as const).map((type) =>
            businessMetric('SlaMissed', { ...hourly, label: type, dimensionsMap: { type } }),
          ),
        ],
        [businessMetric('JobsBooked', { ...hourly, label: 'Jobs booked' })],
      ),
    );
    this.dashboard.addWidgets(
      openExecutions('Open jobs: executions started vs ended', jobs),
      graph(
        'Callbacks due',
        [callbacksDue],
        [
          businessMetric('CallbackScheduled', { ...hourly, label: 'Forms signed (callback scheduled)' }),
          businessMetric('CallbackCompleted', { ...hourly, label: 'Callbacks completed' }),
        ],
      ),
    );
    this.dashboard.addWidgets(
      openExecutions('Open complaints: executions started vs ended', complaints),
      graph(
        'Executions failed, timed out or stopped (both machines)',
        (
          [
            ['repair-job', jobs],
            ['complaint', complaints],
          ] as const
        ).flatMap(([name, sm]) => [
          sm.metricFailed({ ...hourly, label: `${name} failed` }),
          sm.metricTimedOut({ ...hourly, label: `${name} timed out` }),
          sm.metricAborted({ ...hourly, label: `${name} stopped` }),
        ]),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'API latency (ms)',
        (['p50', 'p90', 'p99'] as const).map((statistic) =>
          api.metricLatency({ statistic, label: statistic, period: Duration.minutes(5) }),
        ),
      ),
      graph(
        'API requests and errors',
        [api.metricCount({ label: 'Requests', period: Duration.minutes(5) })],
        [
          api.metricClientError({ label: '4xx', period: Duration.minutes(5) }),
          api.metricServerError({ label: '5xx', period: Duration.minutes(5) }),
        ],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        functions.map(([name, fn]) => fn.metricErrors({ label: name, ...hourly })),
      ),
      graph(
        'Function throttles',
        functions.map(([name, fn]) => fn.metricThrottles({ label: name, ...hourly })),
      ),
    );
  }
}
