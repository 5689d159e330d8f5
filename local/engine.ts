import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Logger, Workflow } from '../functions/domain/ports';
import type { Step } from '../functions/domain/workflow';
import type { VirtualClock } from './clock';

// The integration layer between the real ASL file and aws-local-stepfunctions. The engine
// runs every state itself; this layer only answers Task states by their Resource and
// bridges the engine's known gaps (each written down in the README):
// - $$.Task.Token is not generated: a placeholder is put in the context and each
//   waiting task gets a fresh token in its place;
// - TimeoutSecondsPath is read after Parameters (AWS reads the state input): the path is
//   copied into Parameters under a hidden key, evaluated against the state input as on AWS;
// - task timeouts run on setTimeout (and default to 60 s): they are taken over here and
//   run on the virtual clock; the engine's own is set out of reach.

const TOKEN_PLACEHOLDER = '__local_task_token__';
const TIMEOUT_KEY = '__timeoutSeconds';
const ENGINE_TIMEOUT_SECONDS = 2_000_000; // below setTimeout's 2^31 ms ceiling

export type LambdaFn = (payload: unknown) => Promise<unknown>;

export interface EngineOptions {
  aslPath: string;
  /** The input of an execution started without a step: its subject's id under the machine's key. */
  idOnly?: (id: string) => object;
  /** The engines of one stack: settle() waits until all of them are idle. */
  group?: EngineGroup;
  substitutions: Record<string, string>;
  lambdas: Record<string, LambdaFn>;
  publish: (params: Record<string, unknown>) => void | Promise<void>;
  dynamodb: DynamoDBClient;
  clock: VirtualClock;
  logger: Logger;
}

class TaskTimeout extends Error {
  override name = 'States.Timeout';
}

class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

class StackStopped extends Error {
  override name = 'LocalStackStopped';
}

interface Waiter {
  resolve: (output: unknown) => void;
  reject: (e: Error) => void;
}

type TaskState = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
};

export function loadDefinition(
  aslPath: string,
  substitutions: Record<string, string>,
): StateMachineDefinition {
  const text = readFileSync(aslPath, 'utf8').replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No substitution for ${whole} in ${aslPath}`);
    return value;
  });
  return JSON.parse(text);
}

/** The state machines of one stack (jobs, complaints): idle only when every one of them is. */
export class EngineGroup {
  readonly members: LocalWorkflow[] = [];
  isIdle(): boolean {
    return this.members.every((m) => m.ownIdle());
  }
}

export class LocalWorkflow<S = Step> implements Workflow<S> {
  private readonly machine: StateMachine;
  private readonly handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  private readonly waiters = new Map<string, Waiter>();
  private readonly executions = new Map<string, { abort: () => void }>();
  private parked = 0;
  private readonly halted = Promise.withResolvers<never>();
  private stopped = false;
  /** State transitions per execution name, counted from the engine's event log. */
  readonly transitions = new Map<string, number>();

  private readonly group: EngineGroup;

  constructor(private readonly opts: EngineOptions) {
    this.group = opts.group ?? new EngineGroup();
    this.group.members.push(this as LocalWorkflow<never>);
    const definition = loadDefinition(opts.aslPath, opts.substitutions);
    for (const [name, state] of Object.entries(definition.States) as [string, TaskState][]) {
      if (state.Type !== 'Task') continue;
      const timeout = this.takeOverTimeout(state);
      this.handlers[name] = this.taskHandler(state, timeout);
    }
    this.machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  }

  private takeOverTimeout(state: TaskState): { seconds?: number; fromInput: boolean } {
    const path = state.TimeoutSecondsPath;
    const seconds = state.TimeoutSeconds as number | undefined;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = ENGINE_TIMEOUT_SECONDS;
    if (typeof path === 'string') {
      state.Parameters = { ...state.Parameters, [`${TIMEOUT_KEY}.$`]: path };
      return { fromInput: true };
    }
    return { seconds, fromInput: false };
  }

  private taskHandler(state: TaskState, timeout: { seconds?: number; fromInput: boolean }) {
    const resource = String(state.Resource);
    const answer = async (raw: unknown) => {
      const { [TIMEOUT_KEY]: pathSeconds, ...input } = raw as Record<string, unknown>;
      const seconds = timeout.fromInput ? Number(pathSeconds) : timeout.seconds;
      switch (resource) {
        case 'arn:aws:states:::lambda:invoke':
          return { StatusCode: 200, Payload: await this.invoke(input) };
        case 'arn:aws:states:::lambda:invoke.waitForTaskToken':
          return this.waitForToken(input, seconds);
        case 'arn:aws:states:::sns:publish':
          await this.opts.publish(input);
          return { MessageId: randomUUID() };
        case 'arn:aws:states:::dynamodb:updateItem':
          return this.updateItem(input as unknown as UpdateItemCommandInput);
        default:
          throw new TaskError('States.Runtime', `The local stack has no integration for ${resource}`);
      }
    };
    // A task still running when the stack stops (a test holding it) settles then, so the
    // engine's own timer for it goes too and nothing keeps the process alive. After the stop no
    // task runs at all: the engine retries an aborted execution's failed task at once.
    return (raw: unknown) =>
      this.stopped ? this.halted.promise : Promise.race([answer(raw), this.halted.promise]);
  }

  private async invoke(input: Record<string, unknown>): Promise<unknown> {
    const fn = this.opts.lambdas[String(input.FunctionName)];
    if (!fn)
      throw new TaskError(
        'Lambda.ResourceNotFoundException',
        `No local function ${String(input.FunctionName)}`,
      );
    try {
      return await fn(input.Payload);
    } catch (e) {
      // As on AWS, a function error surfaces under its errorType.
      throw new TaskError((e as Error).name || 'Error', (e as Error).message);
    }
  }

  private async waitForToken(input: Record<string, unknown>, seconds: number | undefined): Promise<unknown> {
    const token = randomUUID();
    const payload = { ...(input.Payload as Record<string, unknown>) };
    for (const [k, v] of Object.entries(payload)) if (v === TOKEN_PLACEHOLDER) payload[k] = token;
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    // The timer may fire while the function still runs, before anyone awaits `promise`.
    promise.catch(() => {});
    // Registered before the function runs: it may resume the token itself (early-event race).
    this.waiters.set(token, { resolve, reject });
    let cancelTimer: (() => void) | undefined;
    if (seconds !== undefined && Number.isFinite(seconds)) {
      cancelTimer = this.opts.clock.at(this.opts.clock.now().getTime() + seconds * 1000, () =>
        reject(new TaskTimeout('States.Timeout')),
      );
    }
    try {
      await this.invoke({ FunctionName: input.FunctionName, Payload: payload });
      this.parked++;
      try {
        return await promise;
      } finally {
        this.parked--;
      }
    } finally {
      cancelTimer?.();
      this.waiters.delete(token);
    }
  }

  private async updateItem(input: UpdateItemCommandInput): Promise<unknown> {
    try {
      const out = await this.opts.dynamodb.send(new UpdateItemCommand(input));
      return { Attributes: out.Attributes ?? {} };
    } catch (e) {
      throw new TaskError(`DynamoDB.${(e as Error).name}`, (e as Error).message);
    }
  }

  async start(id: string, first?: S): Promise<void> {
    if (this.executions.has(id)) return;
    const idOnly = this.opts.idOnly ?? ((jobId: string) => ({ jobId }));
    const run = this.machine.run(
      // As StartExecution's input, a JSON text.
      JSON.parse(JSON.stringify(first ?? idOnly(id))),
      {
        overrides: { taskResourceLocalHandlers: this.handlers as never },
        context: { Task: { Token: TOKEN_PLACEHOLDER } },
        noThrowOnAbort: true,
      },
    );
    this.executions.set(id, run);
    this.countTransitions(id, run.eventLogs);
    run.result
      .catch((e: Error) => {
        // A stop settles every running task with StackStopped: not a failure of the job's workflow.
        if (!this.stopped) this.opts.logger.error('execution failed', { execution: id, errorName: e.name });
      })
      .finally(() => this.executions.delete(id));
  }

  private async countTransitions(id: string, events: AsyncGenerator<{ type: string }>): Promise<void> {
    for await (const event of events)
      if (event.type === 'StateEntered') this.transitions.set(id, (this.transitions.get(id) ?? 0) + 1);
  }

  async resume(token: string, next: S): Promise<void> {
    // A token that timed out or was already used is ignored, like TaskTimedOut on AWS.
    // The copy stands in for SendTaskSuccess's JSON output.
    this.waiters.get(token)?.resolve(structuredClone(next));
  }

  /** True when every execution of this machine is parked in a wait. */
  ownIdle(): boolean {
    return this.executions.size === this.parked;
  }

  /** True when every execution of every machine of the stack is parked: nothing happens until an event or a timer. */
  isIdle(): boolean {
    return this.group.isIdle();
  }

  /**
   * What settle() waits for first and after: the stack's stream consumers (local/stack.ts), as
   * executions start from the outbox of the commit that created their subject.
   */
  private committed: ((timeoutMs: number) => Promise<void>) | undefined;

  /** Makes settle() wait for `delivered` too: the executions the committed outbox entries still start. */
  settleWith(delivered: (timeoutMs: number) => Promise<void>): void {
    this.committed = delivered;
  }

  /**
   * Waits until every execution is parked, including those the outbox still has to start: the
   * streams are settled first (the starts delivered), and again after (what the executions wrote).
   */
  async settle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    await this.committed?.(left());
    let quiet = 0;
    while (quiet < 3) {
      if (Date.now() > deadline) throw new Error('The local workflow did not settle');
      await new Promise((r) => setTimeout(r, 2));
      quiet = this.isIdle() ? quiet + 1 : 0;
    }
    await this.committed?.(left());
  }

  get running(): number {
    return this.executions.size;
  }

  stop(): void {
    this.stopped = true;
    for (const run of this.executions.values()) run.abort();
    this.executions.clear();
    this.halted.promise.catch(() => {});
    this.halted.reject(new StackStopped());
    // Settle the waiting tasks too: the engine keeps a timer per running task until it
    // settles. Their executions are aborted; the jobs resume from DynamoDB on the next start.
    for (const w of this.waiters.values()) w.reject(new StackStopped());
    this.waiters.clear();
  }
}
