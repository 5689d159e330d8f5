import { App } from 'aws-cdk-lib';
import { readConfig } from '../lib/config';
import { RepairStack } from '../lib/repair-stack';

const app = new App();
const config = readConfig(app.node);
new RepairStack(app, 'RepairStack', {
  stackName: `home-repair-${config.stage}`,
  description: `Home repair workflow (${config.stage})`,
  config,
});
