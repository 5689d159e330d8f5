import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { OPENAPI_FILE } from '../../../scripts/build-openapi';

// The committed document, as a client generator reads it, passes Redocly's recommended rules
// with no error and no warning (`npx redocly lint functions/openapi/openapi.json` says the same).

const REDOCLY = join(__dirname, '..', '..', '..', 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{
    ruleId: string;
    severity: string;
    message: string;
    location: Array<{ pointer: string }>;
  }>;
}

test('the OpenAPI document lints with no error and no warning under Redocly recommended rules', () => {
  const run = spawnSync(process.execPath, [REDOCLY, 'lint', '--format=json', OPENAPI_FILE], {
    encoding: 'utf8',
    // No telemetry, no update check: the test needs no network.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    timeout: 60_000,
  });
  const report = JSON.parse(run.stdout) as LintReport;
  const problems = report.problems.map(
    (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`,
  );

  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
}, 60_000);
