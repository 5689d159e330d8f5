import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { ALERT_TYPES } from '../../functions/domain/types';
import { FUNCTION_NAMES, type FunctionName } from '../../functions/names';
import { REPAIR_JOB_ASL, STATE_MACHINES_DIR } from '../../lib/paths';
import {
  actionsOf,
  type Json,
  logicalId,
  placeholder,
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

describe('repair-job state machine', () => {
  it('is one Standard machine named after the environment, with tracing and ALL-level logging', () => {
    expect(machines).toHaveLength(1);
    template().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'home-repair-dev-repair-job',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
        ],
      },
    });
  });

  it('logs to a vended-logs group kept as long as context says', () => {
    const destination = machines[0].Properties.LoggingConfiguration.Destinations[0];
    const logGroup = resources()[destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]];
    expect(logGroup.Properties).toEqual({
      LogGroupName: '/aws/vendedlogs/states/home-repair-dev-repair-job',
      RetentionInDays: 180,
    });
  });

  it('publishes only alert types that recipients can filter on', () => {
    const machine = machines[0];
    const text = substitute(assetText(machine), machine.Properties.DefinitionSubstitutions);
    const literalTypes = [...text.matchAll(/"type":\s*\{[^}]*"StringValue":\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(literalTypes.length).toBeGreaterThan(0);
    for (const type of literalTypes) expect(ALERT_TYPES).toContain(type);
  });

  it('deploys the ASL file with each placeholder bound to the right resource', () => {
    const { functions } = synth.stateless;
    const { topics, jobTable } = synth.stateful;
    const machine = machines[0];
    const deployed = substitute(
      assetText(machine),
      Object.fromEntries(
        Object.entries(machine.Properties.DefinitionSubstitutions).map(([k, v]) => [k, placeholder(v)]),
      ),
    );
    const expected = substitute(fs.readFileSync(REPAIR_JOB_ASL, 'utf8'), {
      WorkflowStepFunctionArn: `<GetAtt:${logicalId(functions.get('workflow-step'))}.Arn>`,
      AwaitMilestoneFunctionArn: `<GetAtt:${logicalId(functions.get('await-milestone'))}.Arn>`,
      AlertsTopicArn: `<Ref:${logicalId(topics.alerts)}>`,
      TableName: `<Ref:${logicalId(jobTable.table)}>`,
      // The table layout and the stalled alert's type, written out as the contract has them.
      PartitionKey: 'pk',
      SortKey: 'sk',
      JobPartitionFormat: 'JOB#{}',
      JobSortKey: 'JOB',
      AlertsAttribute: 'alerts',
      SentAttribute: 'sent',
      VersionAttribute: 'version',
      StalledAlertType: 'workflow.stalled',
    });
    expect(deployed).not.toMatch(PLACEHOLDER);
    expect(JSON.parse(deployed)).toEqual(JSON.parse(expected));
  });

  it.each(aslFiles)('binds every placeholder in %s, and nothing else', (aslFile) => {
    const machine = machineFor(aslFile);
    expect(machine).toBeDefined();
    const text = fs.readFileSync(aslFile, 'utf8');
    const used = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
    expect(Object.keys(machine.Properties.DefinitionSubstitutions).sort()).toEqual(used);
  });

  it('deploys a definition that asl-validator accepts', () => {
    const machine = machines[0];
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

  it('has a role whose actions are exactly the service integrations the ASL file uses', () => {
    // arn:aws:states:::<service>:<api>[.waitForTaskToken] → <service>:<Api>; lambda:invoke is InvokeFunction.
    const integrations = [
      ...fs.readFileSync(REPAIR_JOB_ASL, 'utf8').matchAll(/"arn:aws:states:::([a-z]+):(\w+)/g),
    ].map(([, service, api]) =>
      service === 'lambda' && api === 'invoke'
        ? 'lambda:InvokeFunction'
        : `${service}:${(api as string)[0]?.toUpperCase()}${(api as string).slice(1)}`,
    );
    const role = logicalId(synth.stateless.workflow.stateMachine.role);
    const granted = actionsOf(statementsOfRole(resources(), role)).filter(
      (a) => !/^(logs|xray|kms):/.test(a),
    );
    expect(granted.sort()).toEqual([...new Set(integrations)].sort());
  });

  it('may invoke exactly the two task functions, publish alerts and update the table', () => {
    const { functions, workflow } = synth.stateless;
    const { topics, jobTable } = synth.stateful;
    const statements = statementsOfRole(resources(), logicalId(workflow.stateMachine.role));
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
    const invoked = resourcesOf('lambda:InvokeFunction');
    expect(invoked.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [functions.get('await-milestone'), functions.get('workflow-step')]
        .map((fn) => ({ 'Fn::GetAtt': [logicalId(fn), 'Arn'] }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(resourcesOf('sns:Publish')).toEqual([{ Ref: logicalId(topics.alerts) }]);
    expect(resourcesOf('kms:GenerateDataKey*')).toEqual([{ 'Fn::GetAtt': [logicalId(topics.key), 'Arn'] }]);
    expect(resourcesOf('dynamodb:UpdateItem')).toEqual([
      { 'Fn::GetAtt': [logicalId(jobTable.table), 'Arn'] },
    ]);
  });
});

describe('workflow grants to the functions', () => {
  const statementsOf = (name: FunctionName) => statementsOfFunction(synth, name);
  const machineRef = () => ({ Ref: logicalId(synth.stateless.workflow.stateMachine) });

  it('lets create-job start executions of the machine it is told about', () => {
    const statements = statementsOf('create-job');
    expect(statements).toContainEqual({ actions: ['states:StartExecution'], resources: [machineRef()] });
    const createJob = resources()[logicalId(synth.stateless.functions.get('create-job'))];
    expect(createJob.Properties.Environment.Variables.STATE_MACHINE_ARN).toEqual(machineRef());
  });

  it.each(['cancel-job', 'record-callback', 'technician-webhook'] as const)(
    'lets %s answer task tokens of the machine',
    (name) => {
      const grant = statementsOf(name).find((s) => s.actions.includes('states:SendTaskSuccess'));
      expect(grant?.actions).toEqual(
        expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']),
      );
      expect(grant?.resources).toEqual([machineRef()]);
    },
  );

  it('lets await-milestone answer task tokens through the ARN built from the fixed name', () => {
    const grant = statementsOf('await-milestone').find((s) => s.actions.includes('states:SendTaskSuccess'));
    expect(grant?.actions.sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    const [arn] = grant?.resources ?? [];
    const rendered = arn['Fn::Join'][1].map((part: Json) => (typeof part === 'string' ? part : '*')).join('');
    const { StateMachineName } = machines[0].Properties;
    expect(rendered).toBe(`arn:*:states:*:*:stateMachine:${StateMachineName}`);
  });

  it('gives no other function a grant on the machine', () => {
    const granted: FunctionName[] = [
      'create-job',
      'cancel-job',
      'record-callback',
      'technician-webhook',
      'await-milestone',
    ];
    for (const name of FUNCTION_NAMES.filter((n) => !granted.includes(n))) {
      expect(actionsOf(statementsOf(name)).filter((a) => a.startsWith('states:'))).toEqual([]);
    }
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
