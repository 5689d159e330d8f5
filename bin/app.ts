import { App } from 'aws-cdk-lib';
import { ConfigError, type RepairConfig, readConfig } from '../lib/config';
import { addNagChecks, addRepairStacks } from '../lib/repair-app';

const app = new App();
let config: RepairConfig;
try {
  config = readConfig(app.node);
} catch (error) {
  // A context mistake is the operator's to fix: say which key, not where CDK noticed.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addRepairStacks(app, config);
addNagChecks(app);
