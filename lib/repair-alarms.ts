import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { businessMetric } from './metrics';

export interface RepairAlarmsProps {
  /** Alarm names start with it; the alerts topic's policy admits exactly those alarms. */
  readonly prefix: string;
  readonly alerts: ITopic;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly jobMachine: IStateMachine;
  readonly complaintMachine: IStateMachine;
  readonly api: IHttpApi;
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** Functions fed by a stream: their IteratorAge says how far behind the figures are. */
  readonly streamConsumers: Readonly<Record<string, IFunction>>;
}

/** A stream consumer may lag the commits by this much before anyone is told. */
export const ITERATOR_AGE_ALARM = Duration.minutes(10);

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Every alarm notifies the alerts topic. Most fire on the first occurrence in five
 * minutes: each is something that should never happen (a crashed handler, a failed
 * execution, an undeliverable alert) or, for SLA misses, the thing the company sells.
 */
export class RepairAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: RepairAlarmsProps) {
    super(scope, id);
    const { prefix, api } = props;
    this.action = new SnsAction(props.alerts);
    const alarm = (name: string, metric: IMetric, description: string, threshold = 1) =>
      this.add(name, `${prefix}-${name}`, metric, description, threshold);

    alarm('sla-missed', businessMetric('SlaMissed'), 'A repair job missed an SLA (arrival or callback).');
    const period = { period: FIVE_MINUTES };
    // The repair-job machine's alarms keep the names they were first deployed with.
    for (const [name, machine, what] of [
      ['workflow', props.jobMachine, 'A repair-job'],
      ['complaint-workflow', props.complaintMachine, 'A complaint'],
    ] as const) {
      alarm(`${name}-failed`, machine.metricFailed(period), `${what} execution failed.`);
      alarm(`${name}-timed-out`, machine.metricTimedOut(period), `${what} execution timed out.`);
      alarm(`${name}-aborted`, machine.metricAborted(period), `${what} execution was stopped.`);
    }
    // A lone 503 (contention, with Retry-After) is expected; five in five minutes are not.
    alarm('api-5xx', api.metricServerError(period), 'The HTTP API answered 5 or more 5xx.', 5);
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}-errors`, fn.metricErrors(period), `${name} threw an unhandled error.`);
      alarm(`${name}-throttles`, fn.metricThrottles(period), `${name} was throttled.`);
    }
    for (const [name, fn] of Object.entries(props.streamConsumers)) {
      alarm(
        `${name}-iterator-age`,
        fn.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
        `${name} is ${ITERATOR_AGE_ALARM.toMinutes()} minutes or more behind its stream: what follows a commit (figures, messages) lags it.`,
        ITERATOR_AGE_ALARM.toMilliseconds(),
      );
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}-dlq`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        `Messages wait in the ${name} dead-letter queue: something was not delivered.`,
      );
    }
  }

  private add(id: string, alarmName: string, metric: IMetric, description: string, threshold: number) {
    const created = new Alarm(this, id, {
      alarmName,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(this.action);
    this.alarms.push(created);
  }
}
