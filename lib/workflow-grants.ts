import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { WorkflowSubjectName } from '../functions/domain/use-cases';
import type { FunctionName } from '../functions/names';
import type { RepairFunctions } from './repair-functions';
import type { WorkflowMachine } from './workflow-machine';

export interface WorkflowAccess {
  /** The variable functions/config.ts reads the machine's ARN from. */
  readonly arnVariable: string;
  /** Start executions (StartExecution needs the ARN, so they are told it). */
  readonly starters: readonly FunctionName[];
  /** Resume parked task tokens once their write committed (a token names its machine). */
  readonly resumers: readonly FunctionName[];
}

/**
 * Who starts and who resumes each machine. Every execution starts from the outbox of the commit
 * that created its job or complaint (the booking, a callback's rework, a follow-up, a complaint
 * filed or opened by a callback; functions/domain/outbox.ts), so only the outbox consumer starts
 * them; whatever records what a wait waits for resumes it after its commit
 * (functions/domain/commits.ts `afterCommit`).
 */
export const WORKFLOW_ACCESS: Record<WorkflowSubjectName, WorkflowAccess> = {
  job: {
    arnVariable: 'STATE_MACHINE_ARN',
    starters: ['outbox-stream'],
    // reschedule-job: a moved deadline hands the parked arrival wait back, to be timed again.
    resumers: ['cancel-job', 'reschedule-job', 'record-callback', 'technician-webhook'],
  },
  complaint: {
    arnVariable: 'COMPLAINT_STATE_MACHINE_ARN',
    starters: ['outbox-stream'],
    resumers: ['handle-complaint'],
  },
};

/**
 * The functions' grants on the machines. await-milestone, which both machines invoke, resumes
 * at once when its milestone already happened (the early-event race): through the ARNs built
 * from the fixed names, as a reference would be a cycle. workflow-step never resumes (a timer's
 * decision clears the timed-out token), so it gets nothing here.
 */
export function grantWorkflows(
  functions: RepairFunctions,
  machines: Record<WorkflowSubjectName, WorkflowMachine>,
): void {
  for (const [subject, access] of Object.entries(WORKFLOW_ACCESS) as [
    WorkflowSubjectName,
    WorkflowAccess,
  ][]) {
    const { stateMachine } = machines[subject];
    for (const name of access.starters) {
      functions.get(name).addEnvironment(access.arnVariable, stateMachine.stateMachineArn);
      stateMachine.grantStartExecution(functions.get(name));
    }
    for (const name of access.resumers) stateMachine.grantTaskResponse(functions.get(name));
  }
  functions.get('await-milestone').addToRolePolicy(
    new PolicyStatement({
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
      resources: Object.values(machines).map((machine) => machine.stateMachineArnByName),
    }),
  );
}
