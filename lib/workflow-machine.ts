import * as fs from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineSubstitutions } from '../functions/adapters/state-machine';
import { grantOnTable } from './job-table';
import { KMS_PUBLISH_ACKNOWLEDGEMENT } from './repair-functions';

export interface WorkflowMachineProps {
  readonly stateMachineName: string;
  /** The ASL file (statemachines/*.asl.json), deployed as it is with its `${…}` substituted. */
  readonly definitionFile: string;
  /**
   * The partitions its one direct write ("Mark the alert sent") may update, as a
   * dynamodb:LeadingKeys pattern: `JOB#*` for the repair-job machine, `COMPLAINT#*` for complaints.
   */
  readonly updatesPartitions: string;
  readonly workflowStep: IFunction;
  readonly awaitMilestone: IFunction;
  readonly alerts: ITopic;
  readonly table: ITable;
  readonly logRetention: RetentionDays;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/**
 * One Standard state machine on the workflow protocol, deployed from the same ASL file the
 * local stack runs: the repair jobs' and the complaints' are both this construct, on the same
 * two task functions, topic and table.
 */
export class WorkflowMachine extends Construct {
  readonly stateMachine: StateMachine;
  /**
   * The ARN built from the fixed name, for the task Lambda the machine itself invokes:
   * a reference to the resource would make function → policy → machine → function a cycle.
   */
  readonly stateMachineArnByName: string;

  constructor(scope: Construct, id: string, props: WorkflowMachineProps) {
    super(scope, id);
    const { stateMachineName, definitionFile, workflowStep, awaitMilestone, alerts, table } = props;
    const logGroup = new LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps CloudWatch's resource policy under its size limit.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(definitionFile),
      definitionSubstitutions: substitutionsFor(
        definitionFile,
        stateMachineSubstitutions({
          workflowStepArn: workflowStep.functionArn,
          awaitMilestoneArn: awaitMilestone.functionArn,
          alertsTopicArn: alerts.topicArn,
          tableName: table.tableName,
        }),
      ),
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
    // The mark is an UpdateItem on the machine's own items only: the job machine cannot touch
    // a complaint, nor either of them a receipt, a quota or the report counters.
    grantOnTable(table, this.stateMachine, ['dynamodb:UpdateItem'], [props.updatesPartitions]);
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

/**
 * The values of the placeholders the file uses, and only those: both machines' files share one
 * set of names (functions/adapters/state-machine.ts), each uses part of it. A placeholder
 * without a value stops synth here rather than failing the deployment.
 */
function substitutionsFor(file: string, values: Record<string, string>): Record<string, string> {
  const used = [
    ...new Set([...fs.readFileSync(file, 'utf8').matchAll(PLACEHOLDER)].map((m) => m[1] as string)),
  ];
  const missing = used.filter((name) => !(name in values));
  if (missing.length) throw new Error(`${file} uses placeholders without a value: ${missing.join(', ')}`);
  return Object.fromEntries(used.map((name) => [name, values[name] as string]));
}
