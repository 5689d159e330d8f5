import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_TYPES } from '../../functions/domain/types';
import type { WorkflowSubjectName } from '../../functions/domain/use-cases';
import { FUNCTION_NAMES, type FunctionName } from '../../functions/names';
import { COMPLAINT_ASL, REPAIR_JOB_ASL, STATE_MACHINES_DIR } from '../../lib/paths';
import {
  actionsOf,
  allowStatementsOfRole,
  type Json,
  logicalId,
  placeholder,
  REPO_ROOT,
  type Synthesized,
  statementsOfFunction,
  statementsOfRole,
  synthApp,
} from './synth';

// asl-validator ships no type declarations.
const aslValidator: (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
} = require('asl-validator');

const PLACEHOLDER = /\$\{([^}]+)\}/g;
const aslFiles = fs
  .readdirSync(STATE_MACHINES_DIR)
  .filter((file) => file.endsWith('.asl.json'))
  .map((file) => path.join(STATE_MACHINES_DIR, file));

/** Both machines, each from its own file, updating only its own items. */
const MACHINES = [
  {
    subject: 'job',
    name: 'home-repair-dev-repair-job',
    file: REPAIR_JOB_ASL,
    layout: { JobPartitionFormat: 'JOB#{}', JobSortKey: 'JOB' },
    partitions: 'JOB#*',
  },
  {
    subject: 'complaint',
    name: 'home-repair-dev-complaint',
    file: COMPLAINT_ASL,
    layout: { ComplaintPartitionFormat: 'COMPLAINT#{}', ComplaintSortKey: 'COMPLAINT' },
    partitions: 'COMPLAINT#*',
  },
] as const satisfies readonly {
  subject: WorkflowSubjectName;
  name: string;
  file: string;
  layout: Record<string, string>;
  partitions: string;
}[];
type Machine = (typeof MACHINES)[number];

let synth: Synthesized;
let machines: Json[];

beforeAll(() => {
  synth = synthApp({ logRetentionDays: 180 });
  machines = Object.values(template().findResources('AWS::StepFunctions::StateMachine'));
});
const template = () => synth.statelessSynth.template;
const resources = () => synth.statelessSynth.resources;
afterAll(() => synth.cleanup());

// fromFile() ships the ASL as an S3 asset; CloudFormation applies DefinitionSubstitutions on deploy.
const assetText = (machine: Json): string =>
  fs.readFileSync(
    path.join(synth.assemblyDir, `asset.${machine.Properties.DefinitionS3Location.Key}`),
    'utf8',
  );

const substitute = (text: string, values: Record<string, string>): string =>
  text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);

const machineFor = (aslFile: string): Json | undefined =>
  machines.find((m) => assetText(m) === fs.readFileSync(aslFile, 'utf8'));

const workflowOf = (m: Machine) => synth.stateless.workflows[m.subject];
const resourceOf = (m: Machine): Json => resources()[logicalId(workflowOf(m).stateMachine)];
const byJson = (a: Json, b: Json) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe('the state machines', () => {
  it('are two Standard machines, one per ASL file, named after the environment, traced and logged', () => {
    expect(machines).toHaveLength(2);
    expect([...aslFiles].sort()).toEqual(MACHINES.map((m) => m.file).sort());
    expect(machines.map((m) => m.Properties.StateMachineName).sort()).toEqual(
      MACHINES.map((m) => m.name).sort(),
    );
    for (const m of machines) {
      expect(m.Properties).toMatchObject({
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: false,
          Destinations: [
            { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
          ],
        },
      });
    }
  });

  it.each(aslFiles)('bind every placeholder in %s, and nothing else', (aslFile) => {
    const machine = machineFor(aslFile);
    expect(machine).toBeDefined();
    const text = fs.readFileSync(aslFile, 'utf8');
    const used = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(used);
  });
});

describe.each(MACHINES)('the $subject state machine', (m) => {
  it('is deployed from its own ASL file, under its name', () => {
    expect(resourceOf(m).Properties.StateMachineName).toBe(m.name);
    expect(assetText(resourceOf(m))).toBe(fs.readFileSync(m.file, 'utf8'));
  });

  it('logs to a vended-logs group kept as long as context says', () => {
    const destination = resourceOf(m).Properties.LoggingConfiguration.Destinations[0];
    const logGroup = resources()[destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]];
    expect(logGroup.Properties).toEqual({
      LogGroupName: `/aws/vendedlogs/states/${m.name}`,
      RetentionInDays: 180,
    });
  });

  it('publishes only alert types that recipients can filter on', () => {
    const machine = resourceOf(m);
    const text = substitute(assetText(machine), machine.Properties.DefinitionSubstitutions);
    const literalTypes = [...text.matchAll(/"type":\s*\{[^}]*"StringValue":\s*"([^"]+)"/g)].map((x) => x[1]);
    expect(literalTypes.length).toBeGreaterThan(0);
    for (const type of literalTypes) expect(ALERT_TYPES).toContain(type);
  });

  it('publishes each queued alert with its property (the unitId prefix), so a subscription can filter by it', () => {
    const asl = JSON.parse(fs.readFileSync(m.file, 'utf8'));
    expect(asl.States['Alert the managers'].Parameters.MessageAttributes.property).toEqual({
      DataType: 'String',
      'StringValue.$': '$.alert.property',
    });
  });

  it('deploys the ASL file with each placeholder bound to the right resource', () => {
    const { functions } = synth.stateless;
    const { topics, jobTable } = synth.stateful;
    const machine = resourceOf(m);
    const deployed = substitute(
      assetText(machine),
      Object.fromEntries(
        Object.entries(machine.Properties.DefinitionSubstitutions).map(([k, v]) => [k, placeholder(v)]),
      ),
    );
    const expected = substitute(fs.readFileSync(m.file, 'utf8'), {
      WorkflowStepFunctionArn: `<GetAtt:${logicalId(functions.get('workflow-step'))}.Arn>`,
      AwaitMilestoneFunctionArn: `<GetAtt:${logicalId(functions.get('await-milestone'))}.Arn>`,
      AlertsTopicArn: `<Ref:${logicalId(topics.alerts)}>`,
      TableName: `<Ref:${logicalId(jobTable.table)}>`,
      // The table layout and the stalled alert's type, written out as the contract has them.
      PartitionKey: 'pk',
      SortKey: 'sk',
      ...m.layout,
      AlertsAttribute: 'alerts',
      SentAttribute: 'sent',
      VersionAttribute: 'version',
      StalledAlertType: 'workflow.stalled',
    });
    expect(deployed).not.toMatch(PLACEHOLDER);
    expect(JSON.parse(deployed)).toEqual(JSON.parse(expected));
  });

  it('deploys a definition that asl-validator accepts', () => {
    const machine = resourceOf(m);
    const sample = (name: string) =>
      name.endsWith('FunctionArn')
        ? `arn:aws:lambda:eu-west-1:123456789012:function:${name}`
        : name.endsWith('TopicArn')
          ? `arn:aws:sns:eu-west-1:123456789012:${name}`
          : name;
    const values = Object.fromEntries(
      Object.keys(machine.Properties.DefinitionSubstitutions).map((name) => [name, sample(name)]),
    );
    const result = aslValidator(JSON.parse(substitute(assetText(machine), values)));
    expect({ isValid: result.isValid, errors: result.errorsText('\n') }).toEqual({
      isValid: true,
      errors: '',
    });
  });

  it('has a role whose actions are exactly the service integrations its ASL file uses', () => {
    // arn:aws:states:::<service>:<api>[.waitForTaskToken] → <service>:<Api>; lambda:invoke is InvokeFunction.
    const integrations = [
      ...fs.readFileSync(m.file, 'utf8').matchAll(/"arn:aws:states:::([a-z]+):(\w+)/g),
    ].map(([, service, api]) =>
      service === 'lambda' && api === 'invoke'
        ? 'lambda:InvokeFunction'
        : `${service}:${(api as string)[0]?.toUpperCase()}${(api as string).slice(1)}`,
    );
    const role = logicalId(workflowOf(m).stateMachine.role);
    const granted = actionsOf(statementsOfRole(resources(), role)).filter(
      (a) => !/^(logs|xray|kms):/.test(a),
    );
    expect(granted.sort()).toEqual([...new Set(integrations)].sort());
  });

  it('may invoke exactly the two task functions and publish alerts', () => {
    const { functions } = synth.stateless;
    const { topics } = synth.stateful;
    const statements = statementsOfRole(resources(), logicalId(workflowOf(m).stateMachine.role));
    const business = actionsOf(statements).filter((a) => !/^(logs|xray):/.test(a));
    expect(business.sort()).toEqual(
      [
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        'lambda:InvokeFunction',
        'sns:Publish',
      ].sort(),
    );
    const resourcesOf = (action: string) =>
      statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
    // Unqualified ARNs, as the ASL names them: no `:*` for versions and aliases.
    expect(resourcesOf('lambda:InvokeFunction').sort(byJson)).toEqual(
      [functions.get('await-milestone'), functions.get('workflow-step')]
        .map((fn) => ({ 'Fn::GetAtt': [logicalId(fn), 'Arn'] }))
        .sort(byJson),
    );
    expect(resourcesOf('sns:Publish')).toEqual([{ Ref: logicalId(topics.alerts) }]);
    expect(resourcesOf('kms:GenerateDataKey*')).toEqual([{ 'Fn::GetAtt': [logicalId(topics.key), 'Arn'] }]);
  });

  it(`may UpdateItem only items whose partition key is like ${m.partitions}`, () => {
    const statements = allowStatementsOfRole(resources(), logicalId(workflowOf(m).stateMachine.role));
    const updates = statements.filter((st) =>
      [st.Action].flat().some((a: string) => a.startsWith('dynamodb:')),
    );
    expect(updates).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: { 'Fn::GetAtt': [logicalId(synth.stateful.jobTable.table), 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [m.partitions] } },
      },
    ]);
    // The pattern is the one the ASL's "Mark the alert sent" writes to.
    const format = Object.values(m.layout)[0] as string;
    expect(format.replace('{}', '*')).toBe(m.partitions);
  });
});

describe('workflow grants to the functions', () => {
  const statementsOf = (name: FunctionName) => statementsOfFunction(synth, name);
  const START = ['states:StartExecution'];
  const RESPOND = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];
  /**
   * What each function may do on each machine: the outbox consumer starts every execution (from
   * the outbox of the commit that created its job or complaint); a function answers the tokens of
   * the waits it ends. Every other function (await-milestone aside) gets nothing.
   */
  const GRANTS: Partial<Record<FunctionName, Partial<Record<WorkflowSubjectName, string[]>>>> = {
    'outbox-stream': { job: START, complaint: START },
    // The job's own wait (its rework's and complaint's executions start from the outbox).
    'record-callback': { job: RESPOND },
    'cancel-job': { job: RESPOND },
    // A moved deadline hands the parked arrival wait back.
    'reschedule-job': { job: RESPOND },
    'technician-webhook': { job: RESPOND },
    'handle-complaint': { complaint: RESPOND },
  };
  const VARIABLES: Record<WorkflowSubjectName, string> = {
    job: 'STATE_MACHINE_ARN',
    complaint: 'COMPLAINT_STATE_MACHINE_ARN',
  };
  const machineRef = (subject: WorkflowSubjectName) => ({
    Ref: logicalId(synth.stateless.workflows[subject].stateMachine),
  });

  /** The function's states: actions, by the machine they are granted on. */
  const grantsOf = (name: FunctionName) => {
    const found: Record<string, Set<string>> = {};
    for (const s of statementsOf(name)) {
      for (const action of s.actions.filter((a) => a.startsWith('states:'))) {
        for (const resource of s.resources) {
          const subject =
            MACHINES.find((m) => JSON.stringify(machineRef(m.subject)) === JSON.stringify(resource))
              ?.subject ?? JSON.stringify(resource);
          found[subject] ??= new Set();
          found[subject].add(action);
        }
      }
    }
    return Object.fromEntries(
      Object.entries(found).map(([subject, actions]) => [subject, [...actions].sort()]),
    );
  };

  it.each(FUNCTION_NAMES.filter((n) => n !== 'await-milestone'))(
    '%s may start and resume exactly the executions it creates and ends',
    (name) => {
      expect(grantsOf(name)).toEqual(GRANTS[name] ?? {});
    },
  );

  it.each(FUNCTION_NAMES)('%s is told the ARN of each machine it starts, and no other', (name) => {
    const env = resources()[logicalId(synth.stateless.functions.get(name))].Properties.Environment.Variables;
    for (const m of MACHINES) {
      const starts = GRANTS[name]?.[m.subject]?.includes('states:StartExecution') ?? false;
      expect([VARIABLES[m.subject], env[VARIABLES[m.subject]]]).toEqual([
        VARIABLES[m.subject],
        starts ? machineRef(m.subject) : undefined,
      ]);
    }
  });

  it('names the variables functions/config.ts reads', () => {
    const config = fs.readFileSync(path.join(REPO_ROOT, 'functions', 'config.ts'), 'utf8');
    for (const variable of Object.values(VARIABLES)) expect(config).toMatch(new RegExp(`\\b${variable}: `));
  });

  it('lets await-milestone answer task tokens of both machines through the ARNs built from the fixed names', () => {
    const states = statementsOf('await-milestone').filter((s) =>
      s.actions.some((a) => a.startsWith('states:')),
    );
    expect(states).toHaveLength(1);
    expect(states[0]?.actions.sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    const rendered = (states[0]?.resources ?? []).map((arn: Json) =>
      arn['Fn::Join'][1].map((part: Json) => (typeof part === 'string' ? part : '*')).join(''),
    );
    expect(rendered.sort()).toEqual(MACHINES.map((m) => `arn:*:states:*:*:stateMachine:${m.name}`).sort());
  });
});

describe('the templates', () => {
  // CDK does not detect cycles inside one stack; CloudFormation would reject them at deploy.
  it.each(['stateful', 'stateless'] as const)('%s has no dependency cycle between resources', (which) => {
    const stackResources: Record<string, Json> = (
      which === 'stateful' ? synth.statefulSynth : synth.statelessSynth
    ).raw.Resources;
    const edges = new Map<string, Set<string>>();
    const collect = (node: Json, into: Set<string>): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const child of node) collect(child, into);
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string') into.add(value);
        else if (key === 'Fn::GetAtt') into.add((value as string[])[0] as string);
        else if (key === 'Fn::Sub') {
          const text = Array.isArray(value) ? value[0] : value;
          for (const m of String(text).matchAll(/\$\{([^.}!]+)/g)) into.add(m[1] as string);
          if (Array.isArray(value)) collect(value[1], into);
        } else collect(value, into);
      }
    };
    for (const [id, resource] of Object.entries(stackResources)) {
      const deps = new Set<string>([resource.DependsOn ?? []].flat());
      collect(resource.Properties, deps);
      edges.set(id, new Set([...deps].filter((dep) => dep in stackResources)));
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (id: string, trail: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(id)), id].join(' → '));
        return;
      }
      state.set(id, 'visiting');
      for (const dep of edges.get(id) ?? []) visit(dep, [...trail, id]);
      state.set(id, 'done');
    };
    for (const id of edges.keys()) visit(id, []);
    expect(cycles).toEqual([]);
  });
});
