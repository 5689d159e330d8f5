import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  COMPLAINT_ITEM,
  JOB_ITEM,
  KEY,
  OUTBOX_ITEM,
  OUTBOX_READING,
  STREAM_READING,
} from '../functions/adapters/table-layout';
import { UPLOAD_PREFIX } from '../functions/domain/photos';
import type { Bucket } from '../functions/domain/ports';
import type { WorkflowSubjectName } from '../functions/domain/use-cases';
import { FUNCTION_NAMES } from '../functions/names';
import type { RepairConfig } from './config';
import { COMPLAINT_ASL, REPAIR_JOB_ASL } from './paths';
import { RepairAlarms } from './repair-alarms';
import { RepairApi } from './repair-api';
import { RepairDashboard } from './repair-dashboard';
import { RepairFunctions, type Topics } from './repair-functions';
import { Site } from './site';
import { grantWorkflows } from './workflow-grants';
import { WorkflowMachine } from './workflow-machine';

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
  /** The photos and forms buckets, by the functions' names for them. */
  readonly buckets: Readonly<Record<Bucket, IBucket>>;
  /** Where the report stream's event source sends the batches it gave up on. */
  readonly reportStreamFailures: IQueue;
  /** Where the outbox stream's event source sends the batches it gave up on. */
  readonly outboxStreamFailures: IQueue;
  /** Where the webhook deliverer's asynchronous runs go when Lambda gave up on them. */
  readonly webhookDeliveryFailures: IQueue;
  /** Where the photos' content checks that failed for good go. */
  readonly photoCheckFailures: IQueue;
  /** Dead-letter queues to alarm on, by a short name used in the alarm's name. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
}

/** The items the report consumer is fed: jobs and complaints, by both keys. */
const STREAMED_ITEMS = [JOB_ITEM, COMPLAINT_ITEM];
/**
 * The outbox consumer's: the history items of jobs and complaints (their events) and the outbox
 * entries a commit inserts (only INSERTs: its own delivered marks and the entries' expiry never
 * invoke it).
 */
const OUTBOX_RECORDS = [JOB_ITEM, COMPLAINT_ITEM].flatMap((item) => [
  FilterCriteria.filter({
    dynamodb: {
      Keys: {
        [KEY.partition]: { S: FilterRule.beginsWith(item.partitionPrefix) },
        [KEY.sort]: { S: FilterRule.beginsWith(item.historyPrefix) },
      },
    },
  }),
  FilterCriteria.filter({
    eventName: FilterRule.isEqual('INSERT'),
    dynamodb: {
      Keys: {
        [KEY.partition]: { S: FilterRule.beginsWith(item.partitionPrefix) },
        [KEY.sort]: { S: FilterRule.beginsWith(OUTBOX_ITEM.sortPrefix) },
      },
    },
  }),
]);

/**
 * Code and its wiring: the functions, the HTTP API, the two state machines, alarms and
 * dashboard, and the site (the pages, their sign-in client, the distribution in front of both).
 */
export class StatelessStack extends Stack {
  readonly functions: RepairFunctions;
  /** The repair jobs' machine and the complaints', by the workflow subject each times. */
  readonly workflows: Record<WorkflowSubjectName, WorkflowMachine>;
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
      deliveryFailures: props.webhookDeliveryFailures,
      buckets: props.buckets,
      config,
    });
    const fn = this.functions.get.bind(this.functions);
    const machine = (id: string, name: string, definitionFile: string, updatesPartitions: string) =>
      new WorkflowMachine(this, id, {
        stateMachineName: `${config.prefix}-${name}`,
        definitionFile,
        updatesPartitions,
        workflowStep: fn('workflow-step'),
        awaitMilestone: fn('await-milestone'),
        alerts: topics.alerts,
        table,
        logRetention: config.logRetentionDays,
      });
    // The job machine keeps the construct id it was first deployed with: a new one would replace it.
    this.workflows = {
      job: machine('Workflow', 'repair-job', REPAIR_JOB_ASL, `${JOB_ITEM.partitionPrefix}*`),
      complaint: machine(
        'ComplaintWorkflow',
        'complaint',
        COMPLAINT_ASL,
        `${COMPLAINT_ITEM.partitionPrefix}*`,
      ),
    };
    grantWorkflows(this.functions, this.workflows);
    // The site first: its sign-in client is part of the API's audience, and the API's paths
    // are added to its distribution afterwards (the distribution needs the API's domain).
    this.site = new Site(this, 'Site', {
      pagesDir: props.pagesDir,
      userPool: props.userPool,
      signInDomain: props.signInDomain,
      logRetention: config.logRetentionDays,
      timeZone: config.timeZone,
    });
    // Only job and complaint items count (any one filter admits a record); the rest (history,
    // receipts, the consumer's own counters and markers) never invokes it. The handler checks
    // again: the local poller has no filter.
    const reportItems = STREAMED_ITEMS.map((item) =>
      FilterCriteria.filter({
        dynamodb: {
          Keys: {
            [KEY.partition]: { S: FilterRule.beginsWith(item.partitionPrefix) },
            [KEY.sort]: { S: FilterRule.isEqual(item.sort) },
          },
        },
      }),
    );
    fn('report-stream').addEventSource(streamSource(table, props.reportStreamFailures, reportItems));
    fn('outbox-stream').addEventSource(
      streamSource(table, props.outboxStreamFailures, OUTBOX_RECORDS, {
        // A message outlasts an outage of SNS or Step Functions: no count of retries, only the
        // age limit of all the stream keeps; the handler pauses before answering a failure
        // (OUTBOX_READING.pauseCapMs), as Lambda retries a stream batch at once.
        retryAttempts: OUTBOX_READING.retryAttempts,
        maxRecordAge: Duration.seconds(OUTBOX_READING.maxRecordAgeSeconds),
      }),
    );
    this.checkPhotos(props.buckets.photos, fn('check-photo'), props.photoCheckFailures);
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
      jobMachine: this.workflows.job.stateMachine,
      complaintMachine: this.workflows.complaint.stateMachine,
      api: this.api.api,
      deadLetterQueues: props.deadLetterQueues,
      streamConsumers: { 'report-stream': fn('report-stream'), 'outbox-stream': fn('outbox-stream') },
    });
    this.dashboard = new RepairDashboard(this, 'Dashboard', {
      dashboardName: config.prefix,
      jobMachine: this.workflows.job.stateMachine,
      complaintMachine: this.workflows.complaint.stateMachine,
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
      value: this.workflows.job.stateMachine.stateMachineArn,
      description: 'Repair-job workflow',
    });
    new CfnOutput(this, 'ComplaintStateMachineArn', {
      value: this.workflows.complaint.stateMachine.stateMachineArn,
      description: 'Complaint workflow',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.dashboard.dashboard.dashboardName,
      description: 'CloudWatch dashboard',
    });
  }

  /**
   * The photos' content check: S3 tells EventBridge of every new object (lib/file-buckets.ts); this
   * rule passes on the uploads only (the checked copies under photos/ are the check's own). What
   * the function failed on after Lambda's own retries goes to the failures queue (its depth
   * alarms); the upload stays, pending, until the lifecycle rule removes it.
   */
  private checkPhotos(photos: IBucket, check: IFunction, failures: IQueue): void {
    const rule = new Rule(this, 'PhotoUploaded', {
      description: 'A photo uploaded through a presigned POST: check its content',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [photos.bucketName] }, object: { key: [{ prefix: UPLOAD_PREFIX }] } },
      },
      targets: [new LambdaFunction(check, { retryAttempts: 8, maxEventAge: Duration.hours(2) })],
    });
    Validations.of(rule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        "The target's dead-letter queue would be the stateful stack's, whose queue policy would then name this rule: a cycle between the stacks. EventBridge retries the asynchronous invoke 8 times over 2 hours (it only fails while Lambda refuses it); what the function fails on goes to the same failures queue through its on-failure destination.",
    });
    check.configureAsyncInvoke({ onFailure: new SqsDestination(failures), retryAttempts: 2 });
  }
}

/** A stream consumer's event source mapping: the table's stream, the records `filters` admit. */
function streamSource(
  table: ITable,
  failures: IQueue,
  filters: Record<string, unknown>[],
  reading: { retryAttempts: number; maxRecordAge: Duration } = {
    retryAttempts: STREAM_READING.retryAttempts,
    maxRecordAge: Duration.days(1),
  },
) {
  return new DynamoEventSource(table, {
    // From the oldest record the stream keeps, so a first deployment misses nothing of its last day.
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: STREAM_READING.batchSize,
    // The consumer answers the first record that failed; a batch that throws is halved until the bad record stands alone.
    reportBatchItemFailures: true,
    bisectBatchOnError: true,
    // By default as long as the stream keeps a record: a backlog after an outage is worked off, not dropped.
    ...reading,
    onFailure: new SqsDlq(failures),
    filters,
  });
}
