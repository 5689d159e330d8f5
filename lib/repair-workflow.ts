import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineSubstitutions } from '../functions/adapters/state-machine';
import { REPAIR_JOB_ASL } from './paths';
import { KMS_PUBLISH_ACKNOWLEDGEMENT } from './repair-functions';

export interface RepairWorkflowProps {
  readonly stateMachineName: string;
  readonly workflowStep: IFunction;
  readonly awaitMilestone: IFunction;
  readonly alerts: ITopic;
  readonly table: ITable;
  readonly logRetention: RetentionDays;
}

/** The repair-job state machine, deployed from the same ASL file the local stack runs. */
export class RepairWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /**
   * The ARN built from the fixed name, for the task Lambda the machine itself invokes:
   * a reference to the resource would make function → policy → machine → function a cycle.
   */
  readonly stateMachineArnByName: string;

  constructor(scope: Construct, id: string, props: RepairWorkflowProps) {
    super(scope, id);
    const { stateMachineName, workflowStep, awaitMilestone, alerts, table, logRetention } = props;
    const logGroup = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps CloudWatch's resource policy under its size limit.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(REPAIR_JOB_ASL),
      definitionSubstitutions: stateMachineSubstitutions({
        workflowStepArn: workflowStep.functionArn,
        awaitMilestoneArn: awaitMilestone.functionArn,
        alertsTopicArn: alerts.topicArn,
        tableName: table.tableName,
      }),
      tracingEnabled: true,
      // Execution data stays out of the logs: state carries alert texts about residents' homes.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    // Exactly what the ASL's Task states do: the two functions by their unqualified ARN
    // (grantInvoke would add every version and alias), the alert's publish and its mark.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [workflowStep.functionArn, awaitMilestone.functionArn],
      }),
    );
    alerts.grantPublish(this.stateMachine);
    Validations.of(this.stateMachine.role).acknowledge(KMS_PUBLISH_ACKNOWLEDGEMENT);
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn] }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only what logging and tracing need: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and friends) and X-Ray actions support no resource-level permissions.',
    });
    this.stateMachineArnByName = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
