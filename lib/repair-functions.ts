import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { FUNCTION_NAMES, type FunctionName } from '../functions/names';
import type { NotificationTopics } from './notification-topics';
import { functionEntry } from './paths';
import { ServiceFunction } from './service-function';

const READERS: readonly FunctionName[] = ['get-job', 'list-jobs', 'job-history'];
const WRITERS: readonly FunctionName[] = [
  'create-job',
  'cancel-job',
  'record-callback',
  'technician-webhook',
  'await-milestone',
  'workflow-step',
];
const PUBLISHERS: readonly FunctionName[] = [
  'create-job',
  'cancel-job',
  'record-callback',
  'technician-webhook',
];
const POLICY_READERS: readonly FunctionName[] = ['technician-webhook', 'workflow-step'];

export interface RepairFunctionsProps {
  readonly table: ITable;
  readonly topics: NotificationTopics;
  readonly webhookSecret: ISecret;
  readonly propertyPolicy: Record<string, unknown>;
}

/**
 * One Lambda per entry point under functions/, with the env each handler reads and the
 * narrowest grants on the table, topics and webhook secret. Workflow grants (start,
 * task responses) are added by the stack once the state machine exists.
 */
export class RepairFunctions extends Construct {
  private readonly byName: Record<FunctionName, ServiceFunction>;

  constructor(scope: Construct, id: string, props: RepairFunctionsProps) {
    super(scope, id);
    const { table, topics, webhookSecret } = props;
    const entries = FUNCTION_NAMES.map((name) => {
      const environment: Record<string, string> = { TABLE_NAME: table.tableName };
      if (PUBLISHERS.includes(name)) {
        environment.ALERTS_TOPIC_ARN = topics.alerts.topicArn;
        environment.RESIDENTS_TOPIC_ARN = topics.residents.topicArn;
        environment.TECHNICIANS_TOPIC_ARN = topics.technicians.topicArn;
      }
      if (POLICY_READERS.includes(name)) environment.PROPERTY_POLICY = JSON.stringify(props.propertyPolicy);
      if (name === 'technician-webhook') environment.TECH_WEBHOOK_SECRET_ARN = webhookSecret.secretArn;
      const fn = new ServiceFunction(this, pascalCase(name), { entry: functionEntry(name), environment });
      return [name, fn] as const;
    });
    this.byName = Object.fromEntries(entries) as Record<FunctionName, ServiceFunction>;

    for (const name of READERS) table.grantReadData(this.get(name));
    for (const name of WRITERS) table.grantReadWriteData(this.get(name));
    for (const name of PUBLISHERS) for (const topic of topics.all) topic.grantPublish(this.get(name));
    webhookSecret.grantRead(this.get('technician-webhook'));
  }

  get(name: FunctionName): ServiceFunction {
    return this.byName[name];
  }
}

const pascalCase = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
