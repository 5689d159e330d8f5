import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import type { PolicyConfig } from '../functions/domain/policy';
import {
  ALERT_TYPES,
  type AlertTopicType,
  LOCALES,
  type Locale,
  SEVERITIES,
  type Severity,
} from '../functions/domain/types';

/**
 * One deployment environment, read from cdk.json context `environments.<name>` and chosen
 * with `-c env=<name>` (default dev). A wrong or missing value stops synth with a
 * ConfigError naming the context key; bin/app.ts prints it without a stack trace.
 */
export interface RepairConfig {
  readonly envName: string;
  /** `home-repair-<env>`: stack names, alarm names, the state machine name. */
  readonly prefix: string;
  readonly account?: string;
  readonly region?: string;
  /** true (prod): stateful resources RETAIN on delete and carry deletion protection. */
  readonly protectData: boolean;
  readonly logRetentionDays: RetentionDays;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly alertRecipients: readonly AlertRecipient[];
  readonly corsOrigins: readonly string[];
  /** Per-property rules (the S1 waiver switch), handed to the domain as PROPERTY_POLICY. */
  readonly propertyPolicy: PolicyConfig;
  readonly staffLocale: Locale;
  readonly timeZone: string;
  readonly bookingsPerHour?: number;
}

/** A manager subscribed to the alerts topic; `types` absent means every type. */
export interface AlertRecipient {
  readonly protocol: 'email' | 'sms';
  readonly endpoint: string;
  readonly severities: readonly Severity[];
  readonly types?: readonly AlertTopicType[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const RETENTION_DAYS = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
// An exact origin: scheme and host (and port), no path; plain http only for local development.
const ORIGIN = /^(https:\/\/[a-z0-9.-]+|http:\/\/(localhost|127\.0\.0\.1))(:\d{1,5})?$/;

const recipient = z
  .strictObject({
    email: z.string().regex(EMAIL, { error: 'is not an email address' }).optional(),
    sms: z.string().regex(E164, { error: 'is not an E.164 phone number such as +8613800138000' }).optional(),
    severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
    types: z
      .array(z.enum(ALERT_TYPES as unknown as [AlertTopicType, ...AlertTopicType[]]))
      .min(1)
      .optional(),
  })
  .refine((r) => (r.email === undefined) !== (r.sms === undefined), {
    error: 'needs exactly one of "email" or "sms"',
  });

const environment = z.strictObject({
  account: z
    .string()
    .regex(/^\d{12}$/, { error: 'is not a 12-digit AWS account id' })
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'is not an AWS region' })
    .optional(),
  protectData: z.boolean(),
  logRetentionDays: z
    .number()
    .refine((days) => RETENTION_DAYS.includes(days), {
      error: `must be one of CloudWatch's retention periods (${RETENTION_DAYS.join(', ')})`,
    })
    .default(RetentionDays.ONE_MONTH),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  alertRecipients: z.array(recipient).default([]),
  corsOrigins: z
    .array(z.string().regex(ORIGIN, { error: 'is not an origin such as https://app.example.com' }))
    .default([]),
  propertyPolicy: z
    .strictObject({
      default: z.strictObject({ quickFixWaiver: z.boolean() }),
      properties: z.record(z.string(), z.strictObject({ quickFixWaiver: z.boolean().optional() })).optional(),
    })
    .default({ default: { quickFixWaiver: false } }),
  staffLocale: z.enum(LOCALES).default('zh-CN'),
  timeZone: z
    .string()
    .refine(isTimeZone, { error: 'is not an IANA time zone such as Asia/Shanghai' })
    .default('Asia/Shanghai'),
  bookingsPerHour: z.number().int().positive().optional(),
});

export function readConfig(node: Node): RepairConfig {
  const envName = String(node.tryGetContext('env') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(envName)) {
    throw new ConfigError(
      `Invalid CDK context "env": "${envName}" must be lower-case letters, digits and dashes`,
    );
  }
  const environments = contextObject(node.tryGetContext('environments'), 'environments');
  const raw = environments[envName];
  if (raw === undefined) {
    const known = Object.keys(environments).join(', ') || 'none';
    throw new ConfigError(
      `Invalid CDK context "env": no "environments.${envName}" in cdk.json (defined: ${known})`,
    );
  }
  const parsed = environment.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  "${keyOf(['environments', envName, ...issue.path])}" ${describe(issue)}`,
    );
    throw new ConfigError(`Invalid CDK context:\n${lines.join('\n')}`);
  }
  const { alertRecipients, ...settings } = parsed.data;
  return {
    envName,
    prefix: `home-repair-${envName}`,
    ...settings,
    alertRecipients: alertRecipients.map((r) => ({
      protocol: r.email ? 'email' : 'sms',
      endpoint: (r.email ?? r.sms) as string,
      // SMS costs money and wakes people: by default only critical alerts go there.
      severities: r.severities ?? (r.email ? SEVERITIES : ['critical']),
      ...(r.types ? { types: r.types } : {}),
    })),
  };
}

// cdk.json gives JSON values; `-c key=value` gives strings.
function contextObject(value: unknown, key: string): Record<string, unknown> {
  if (value === undefined) throw new ConfigError(`Missing CDK context "${key}" (see cdk.json)`);
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new ConfigError(`Invalid CDK context "${key}": must be a JSON object`);
}

const keyOf = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const missing = issue.message.endsWith('received undefined');
    return missing ? `is missing (expected ${issue.expected})` : `must be ${issue.expected}`;
  }
  return issue.message.replace(/^Invalid option: expected one of/, 'must be one of');
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
