import { App } from 'aws-cdk-lib';
import { ConfigError, readConfig } from '../lib/config';
import { addNagChecks, addRepairStacks } from '../lib/repair-app';
import { PagesBuildError } from '../lib/site-pages';

const app = new App();
try {
  addRepairStacks(app, readConfig(app.node));
} catch (error) {
  // A context mistake or a page that does not build is the operator's to fix: say which
  // key or file, not where CDK noticed.
  if (!(error instanceof ConfigError || error instanceof PagesBuildError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addNagChecks(app);
