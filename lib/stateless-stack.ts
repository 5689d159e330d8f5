import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { JOB_ITEM, KEY, STREAM_READING } from '../functions/adapters/table-layout';
import { FUNCTION_NAMES } from '../functions/names';
import type { RepairConfig } from './config';
import { RepairAlarms } from './repair-alarms';
import { RepairApi } from './repair-api';
import { RepairDashboard } from './repair-dashboard';
import { RepairFunctions, type Topics } from './repair-functions';
import { RepairWorkflow } from './repair-workflow';
import { Site } from './site';

/** What the stateless stack uses from the stateful one, and nothing more. */
export interface StatelessStackProps extends StackProps {
  readonly config: RepairConfig;
  readonly table: ITable;
  readonly topics: Topics;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The managed-login domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly signInDomain: string;
  /** The built pages (`buildPages` in pages/build.ts) to deploy. */
  readonly pagesDir: string;
  readonly webhookSecret: ISecret;
  /** Where the report stream's event source sends the batches it gave up on. */
  readonly reportStreamFailures: IQueue;
  /** Dead-letter queues to alarm on, by a short name used in the alarm's name. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
}

/**
 * Code and its wiring: the functions, the HTTP API, the state machine, alarms and dashboard,
 * and the site (the pages, their sign-in client, the distribution in front of both).
 */
export class StatelessStack extends Stack {
  readonly functions: RepairFunctions;
  readonly workflow: RepairWorkflow;
  readonly api: RepairApi;
  readonly site: Site;
  readonly alarms: RepairAlarms;
  readonly dashboard: RepairDashboard;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, topics } = props;
    this.functions = new RepairFunctions(this, 'Functions', {
      table,
      topics,
      webhookSecret: props.webhookSecret,
      config,
    });
    const fn = this.functions.get.bind(this.functions);
    this.workflow = new RepairWorkflow(this, 'Workflow', {
      stateMachineName: `${config.prefix}-repair-job`,
      workflowStep: fn('workflow-step'),
      awaitMilestone: fn('await-milestone'),
      alerts: topics.alerts,
      table,
      logRetention: config.logRetentionDays,
    });
    const { stateMachine } = this.workflow;
    fn('create-job').addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(fn('create-job'));
    for (const name of ['cancel-job', 'record-callback', 'technician-webhook'] as const) {
      stateMachine.grantTaskResponse(fn(name));
    }
    // await-milestone completes at once when its milestone already happened (the early-event race).
    fn('await-milestone').addToRolePolicy(
      new PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [this.workflow.stateMachineArnByName],
      }),
    );
    // The site first: its sign-in client is part of the API's audience, and the API's paths
    // are added to its distribution afterwards (the distribution needs the API's domain).
    this.site = new Site(this, 'Site', {
      pagesDir: props.pagesDir,
      userPool: props.userPool,
      signInDomain: props.signInDomain,
      logRetention: config.logRetentionDays,
      timeZone: config.timeZone,
    });
    fn('report-stream').addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record the stream keeps, so a first deployment misses nothing of its last day.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: STREAM_READING.batchSize,
        // The consumer answers the first record that failed; a batch that throws is halved until the bad record stands alone.
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: STREAM_READING.retryAttempts,
        // As long as the stream keeps a record: a backlog after an outage is worked off, not dropped.
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(props.reportStreamFailures),
        // Only job items count; the rest (history, receipts, the consumer's own counters and
        // markers) never invokes it. The handler checks again: the local poller has no filter.
        filters: [
          FilterCriteria.filter({
            dynamodb: { Keys: { [KEY.sort]: { S: FilterRule.isEqual(JOB_ITEM.sort) } } },
          }),
        ],
      }),
    );
    this.api = new RepairApi(this, 'Api', {
      userPool: props.userPool,
      userPoolClients: [props.userPoolClient, this.site.signIn.client],
      functions: fn,
      corsOrigins: config.corsOrigins,
      logRetention: config.logRetentionDays,
    });
    this.site.addApi(this.api.domainName);

    const functions = Object.fromEntries(FUNCTION_NAMES.map((name) => [name, fn(name)]));
    this.alarms = new RepairAlarms(this, 'Alarms', {
      prefix: config.prefix,
      alerts: topics.alerts,
      functions,
      stateMachine,
      api: this.api.api,
      deadLetterQueues: props.deadLetterQueues,
      streamConsumers: { 'report-stream': fn('report-stream') },
    });
    this.dashboard = new RepairDashboard(this, 'Dashboard', {
      dashboardName: config.prefix,
      stateMachine,
      api: this.api.api,
      functions,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'SiteUrl', {
      value: `${this.site.url}/`,
      description: 'The pages (/app/ residents, /console/ staff) and the API on one origin',
    });
    new CfnOutput(this, 'PagesClientId', {
      value: this.site.signIn.client.userPoolClientId,
      description: "Cognito app client of the pages (managed login; in the site's config.json)",
    });
    new CfnOutput(this, 'StateMachineArn', {
      value: stateMachine.stateMachineArn,
      description: 'Repair-job workflow',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.dashboard.dashboard.dashboardName,
      description: 'CloudWatch dashboard',
    });
  }
}
