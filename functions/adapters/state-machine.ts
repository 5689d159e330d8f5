import { STALLED_ALERT } from '../domain/types';
import { tableSubstitutions } from './table-layout';

// The `${…}` values of the state machines (statemachines/repair-job.asl.json and
// complaint.asl.json share them: the same task functions, topic and table), for lib/ (CDK
// definitionSubstitutions) and the local engine alike: only the ARNs differ between the two.

export interface WorkflowResources {
  workflowStepArn: string;
  awaitMilestoneArn: string;
  alertsTopicArn: string;
  tableName: string;
}

export const stateMachineSubstitutions = (r: WorkflowResources): Record<string, string> => ({
  WorkflowStepFunctionArn: r.workflowStepArn,
  AwaitMilestoneFunctionArn: r.awaitMilestoneArn,
  AlertsTopicArn: r.alertsTopicArn,
  StalledAlertType: STALLED_ALERT,
  ...tableSubstitutions(r.tableName),
});
