import * as path from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { RepairConfig } from './config';
import { buildSitePages } from './site-pages';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface RepairStackOptions {
  /** Already built pages to deploy; default: `buildPages` into the assembly at synth. */
  readonly pagesDir?: string;
}

export interface RepairStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/** The two stacks of one environment: `home-repair-<env>-stateful` and `-stateless`. */
export function addRepairStacks(
  app: App,
  config: RepairConfig,
  options: RepairStackOptions = {},
): RepairStacks {
  const common = {
    // Pinned when the environment names an account/region: deploying prod with the dev
    // account's credentials then fails instead of creating a second prod.
    env: { account: config.account, region: config.region },
    tags: { project: 'home-repair', environment: config.envName },
    config,
  };
  const stateful = new StatefulStack(app, `${config.prefix}-stateful`, {
    ...common,
    description: `Home repair workflow (${config.envName}): table, topics, users, webhook secret`,
  });
  const stateless = new StatelessStack(app, `${config.prefix}-stateless`, {
    ...common,
    description: `Home repair workflow (${config.envName}): functions, API, state machines, alarms, site`,
    table: stateful.jobTable.table,
    topics: stateful.topics,
    userPool: stateful.users.userPool,
    userPoolClient: stateful.users.client,
    signInDomain: stateful.users.domain.baseUrl(),
    // Built next to the assembly, so each synth starts from the pages' sources.
    pagesDir: options.pagesDir ?? buildSitePages(path.join(app.outdir, 'site-pages')),
    webhookSecret: stateful.webhookSecret.secret,
    buckets: stateful.files.byName,
    reportStreamFailures: stateful.reportStreamFailures.queue,
    outboxStreamFailures: stateful.outboxStreamFailures.queue,
    webhookDeliveryFailures: stateful.webhookDeliveryFailures.queue,
    photoCheckFailures: stateful.photoCheckFailures.queue,
    deadLetterQueues: {
      'deliver-webhooks': stateful.webhookDeliveryFailures.queue,
      'alert-delivery': stateful.alertSubscriptions.deadLetterQueue,
      'report-stream': stateful.reportStreamFailures.queue,
      'outbox-stream': stateful.outboxStreamFailures.queue,
      'photo-check': stateful.photoCheckFailures.queue,
    },
  });
  return { stateful, stateless };
}

/** cdk-nag's AWS Solutions and Serverless packs: `cdk synth` fails on any unacknowledged finding. */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
