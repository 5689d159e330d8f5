import { STALLED_ALERT } from '../domain/types';
import { tableSubstitutions } from './table-layout';

// The `${…}` values of statemachines/repair-job.asl.json, for lib/ (CDK definitionSubstitutions)
// and the local engine alike: only the ARNs differ between the two.

export interface RepairJobResources {
  workflowStepArn: string;
  awaitMilestoneArn: string;
  alertsTopicArn: string;
  tableName: string;
}

export const repairJobSubstitutions = (r: RepairJobResources): Record<string, string> => ({
  WorkflowStepFunctionArn: r.workflowStepArn,
  AwaitMilestoneFunctionArn: r.awaitMilestoneArn,
  AlertsTopicArn: r.alertsTopicArn,
  StalledAlertType: STALLED_ALERT,
  ...tableSubstitutions(r.tableName),
});
