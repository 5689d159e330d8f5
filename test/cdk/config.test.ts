import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError, readConfig } from '../../lib/config';
import { cdkJsonContext, REPO_ROOT } from './synth';

const configFrom = (context: Record<string, unknown>) => readConfig(new App({ context }).node);
const withDev = (dev: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  environments: { dev: { protectData: false, ...dev } },
  ...extra,
});

describe('readConfig', () => {
  it('reads the dev environment of cdk.json unless -c env says otherwise', () => {
    const { environments } = cdkJsonContext();
    const dev = configFrom({ environments });
    expect(dev).toMatchObject({ envName: 'dev', prefix: 'home-repair-dev', protectData: false });
    const prod = configFrom({ environments, env: 'prod' });
    expect(prod).toMatchObject({ envName: 'prod', prefix: 'home-repair-prod', protectData: true });
  });

  it('fills in defaults for everything but protectData', () => {
    expect(configFrom(withDev({}))).toEqual({
      envName: 'dev',
      prefix: 'home-repair-dev',
      protectData: false,
      logRetentionDays: 30,
      logLevel: 'INFO',
      alertRecipients: [],
      corsOrigins: [],
      propertyPolicy: { default: { quickFixWaiver: false } },
      staffLocale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('sends every severity to email and only critical ones to SMS unless told otherwise', () => {
    const config = configFrom(
      withDev({
        alertRecipients: [
          { email: 'ops@example.com' },
          { sms: '+8613800138000' },
          { sms: '+8613900139000', severities: ['critical', 'warning'], types: ['sla.arrival_missed'] },
        ],
      }),
    );
    expect(config.alertRecipients).toEqual([
      { protocol: 'email', endpoint: 'ops@example.com', severities: ['critical', 'warning', 'info'] },
      { protocol: 'sms', endpoint: '+8613800138000', severities: ['critical'] },
      {
        protocol: 'sms',
        endpoint: '+8613900139000',
        severities: ['critical', 'warning'],
        types: ['sla.arrival_missed'],
      },
    ]);
  });

  it('takes environments as a JSON string, as `-c environments=…` gives it', () => {
    const config = configFrom({ environments: JSON.stringify({ qa: { protectData: true } }), env: 'qa' });
    expect(config).toMatchObject({ envName: 'qa', protectData: true });
  });

  it.each([
    [{ env: 'dev' }, /Missing CDK context "environments"/],
    [{ environments: '[1]' }, /"environments": must be a JSON object/],
    [withDev({}, { env: 'staging' }), /no "environments\.staging" in cdk\.json \(defined: dev\)/],
    [withDev({}, { env: 'Prod_1' }), /"env": "Prod_1" must be lower-case/],
    [{ environments: { dev: {} } }, /"environments\.dev\.protectData" is missing \(expected boolean\)/],
    [withDev({ protectData: 'yes' }), /"environments\.dev\.protectData" must be boolean/],
    [
      withDev({ alertRecipients: [{ email: 'ops' }] }),
      /"environments\.dev\.alertRecipients\[0\]\.email" is not an email/,
    ],
    [withDev({ alertRecipients: [{ sms: '13800138000' }] }), /alertRecipients\[0\]\.sms" is not an E\.164/],
    [withDev({ alertRecipients: [{}] }), /alertRecipients\[0\]" needs exactly one of "email" or "sms"/],
    [
      withDev({ alertRecipients: [{ email: 'a@b.co', severities: ['urgent'] }] }),
      /severities\[0\]" must be one of/,
    ],
    [
      withDev({ alertRecipients: [{ email: 'a@b.co', types: ['sla.missed'] }] }),
      /types\[0\]" must be one of/,
    ],
    [
      withDev({ corsOrigins: ['https://app.example.com/'] }),
      /"environments\.dev\.corsOrigins\[0\]" is not an origin/,
    ],
    [withDev({ corsOrigins: ['*'] }), /corsOrigins\[0\]" is not an origin/],
    [withDev({ corsOrigins: ['http://app.example.com'] }), /corsOrigins\[0\]" is not an origin/],
    [
      withDev({ propertyPolicy: { 'tower-b': {} } }),
      /"environments\.dev\.propertyPolicy\.default" is missing/,
    ],
    [
      withDev({
        propertyPolicy: { default: { quickFixWaiver: true }, properties: { B2: { waiver: true } } },
      }),
      /"environments\.dev\.propertyPolicy\.properties\.B2" Unrecognized key: "waiver"/,
    ],
    [withDev({ logRetentionDays: 31 }), /"environments\.dev\.logRetentionDays" must be one of CloudWatch's/],
    [withDev({ logLevel: 'TRACE' }), /"environments\.dev\.logLevel" must be one of/],
    [withDev({ timeZone: 'Mars/Olympus' }), /"environments\.dev\.timeZone" is not an IANA time zone/],
    [withDev({ account: '1234' }), /"environments\.dev\.account" is not a 12-digit/],
    [withDev({ alertRecipient: [] }), /"environments\.dev" Unrecognized key: "alertRecipient"/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => configFrom(context)).toThrow(ConfigError);
    expect(() => configFrom(context)).toThrow(message);
  });
});

describe('bin/app.ts with a wrong context value', () => {
  it('exits 1 with a message naming the key, not a stack trace', () => {
    const context = cdkJsonContext();
    context.environments.prod.alertRecipients = [{ sms: '138 0013 8000' }];
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-cdk-'));
    try {
      const run = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO_ROOT, 'bin/app.ts')],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          env: {
            ...process.env,
            CDK_CONTEXT_JSON: JSON.stringify({ ...context, env: 'prod' }),
            CDK_OUTDIR: outdir,
          },
        },
      );
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        'Invalid CDK context:\n  "environments.prod.alertRecipients[0].sms" is not an E.164 phone number such as +8613800138000',
      );
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
