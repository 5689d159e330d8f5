import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { RepairConfig } from './config';
import { JobTable } from './job-table';
import { NotificationTopics } from './notification-topics';
import { RepairApi } from './repair-api';
import { RepairFunctions } from './repair-functions';
import { RepairWorkflow } from './repair-workflow';
import { UserDirectory } from './user-directory';
import { WebhookSecret } from './webhook-secret';

export interface RepairStackProps extends StackProps {
  readonly config: RepairConfig;
}

/**
 * Everything for one stage. Stateful constructs (table, topics and key, users, webhook
 * secret) are kept apart from the stateless ones so they can move to their own stack.
 */
export class RepairStack extends Stack {
  readonly jobTable: JobTable;
  readonly topics: NotificationTopics;
  readonly users: UserDirectory;
  readonly webhookSecret: WebhookSecret;
  readonly functions: RepairFunctions;
  readonly workflow: RepairWorkflow;
  readonly api: RepairApi;

  constructor(scope: Construct, id: string, props: RepairStackProps) {
    const { config } = props;
    // Stack tags: CloudFormation propagates them to every resource.
    super(scope, id, { ...props, tags: { project: 'home-repair', stage: config.stage, ...props.tags } });

    // Stateful
    this.jobTable = new JobTable(this, 'Jobs');
    this.topics = new NotificationTopics(this, 'Notifications', { alertEmails: config.alertEmails });
    this.users = new UserDirectory(this, 'Users');
    this.webhookSecret = new WebhookSecret(this, 'TechnicianWebhook');

    // Stateless
    const table = this.jobTable.table;
    this.functions = new RepairFunctions(this, 'Functions', {
      table,
      topics: this.topics,
      webhookSecret: this.webhookSecret.secret,
      propertyPolicy: config.propertyPolicy,
    });
    const fn = this.functions.get.bind(this.functions);
    this.workflow = new RepairWorkflow(this, 'Workflow', {
      stateMachineName: `home-repair-${config.stage}-repair-job`,
      workflowStep: fn('workflow-step'),
      awaitMilestone: fn('await-milestone'),
      alerts: this.topics.alerts,
      table,
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
    this.api = new RepairApi(this, 'Api', {
      userPool: this.users.userPool,
      userPoolClient: this.users.client,
      functions: fn,
      corsOrigins: config.corsOrigins,
    });

    const output = (outputId: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description });
    output('ApiUrl', this.api.url, 'Base URL of the HTTP API');
    output('UserPoolId', this.users.userPool.userPoolId, 'Cognito user pool');
    output('UserPoolClientId', this.users.client.userPoolClientId, 'Cognito app client (JWT audience)');
    output('AlertsTopicArn', this.topics.alerts.topicArn, "Managers' alerts");
    output('ResidentsTopicArn', this.topics.residents.topicArn, 'Resident notifications');
    output('TechniciansTopicArn', this.topics.technicians.topicArn, 'Technician notifications');
    output('StateMachineArn', stateMachine.stateMachineArn, 'Repair-job workflow');
    output('TableName', table.tableName, 'Jobs table');
    output('TechnicianWebhookSecretArn', this.webhookSecret.secret.secretArn, 'Webhook signing secret');
  }
}
