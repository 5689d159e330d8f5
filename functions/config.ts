import * as z from 'zod';
import type { DomainSettings } from './domain/policy';
import type { Bucket } from './domain/ports';
import { LOCALES } from './domain/types';
import { TARGET_RULES, type TargetRules } from './domain/webhook-target';

// The one place on the functions' side that reads the environment: parsed once when a Lambda
// entry loads, so a missing or malformed variable stops the function at init, never halfway
// through a request. lib/repair-functions.ts sets exactly these names.

const arn = z.string().startsWith('arn:');
const optionalArn = arn.optional();

/** The variables that word and rule the domain: read by the functions and by `npm start` alike. */
const settingsVariables = z.object({
  PROPERTY_POLICY: z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as DomainSettings['policy'];
      } catch {
        ctx.issues.push({ code: 'custom', message: 'not JSON', input: raw });
        return z.NEVER;
      }
    })
    .optional(),
  TIME_ZONE: z.string().min(1).default('Asia/Shanghai'),
  STAFF_LOCALE: z.enum(LOCALES).default('zh-CN'),
  BOOKINGS_PER_HOUR: z.coerce.number().int().positive().optional(),
  FORM_URL_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
});

const environment = settingsVariables.extend({
  TABLE_NAME: z.string().min(1),
  DYNAMODB_ENDPOINT: z.url().optional(),
  ALERTS_TOPIC_ARN: optionalArn,
  RESIDENTS_TOPIC_ARN: optionalArn,
  TECHNICIANS_TOPIC_ARN: optionalArn,
  STATE_MACHINE_ARN: optionalArn,
  COMPLAINT_STATE_MACHINE_ARN: optionalArn,
  TECH_WEBHOOK_SECRET_ARN: optionalArn,
  /** Outbound webhooks: where targets may be (only `public` on AWS), and how the deliverer is run. */
  WEBHOOK_TARGETS: z.enum(TARGET_RULES).default('public'),
  DELIVERER_ARN: optionalArn,
  DELIVERY_SCHEDULER_ROLE_ARN: optionalArn,
  DELIVERY_SCHEDULE_GROUP: z.string().min(1).optional(),
  PHOTOS_BUCKET: z.string().min(1).optional(),
  FORMS_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.url().optional(),
  FORM_FONT_FILE: z.string().min(1).optional(),
});

type Variables = Record<string, string | undefined>;

function parse<S extends z.ZodType>(schema: S, env: Variables): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
  throw new ConfigError(`Missing or invalid environment variables: ${names}`);
}

function toSettings(e: z.infer<typeof settingsVariables>): DomainSettings {
  return {
    policy: e.PROPERTY_POLICY ?? { default: { quickFixWaiver: false } },
    timeZone: e.TIME_ZONE,
    staffLocale: e.STAFF_LOCALE,
    bookingsPerHour: e.BOOKINGS_PER_HOUR,
    formUrlSeconds: e.FORM_URL_SECONDS,
  };
}

/** The domain settings from variables the caller read (the local stack's config reads its own). */
export const settingsFrom = (env: Variables): DomainSettings => toSettings(parse(settingsVariables, env));

export interface Topics {
  alerts: string;
  residents: string;
  technicians: string;
}

/** What a function needs to build its ports; every part a function does not use may be absent. */
export interface FunctionConfig {
  tableName: string;
  dynamodbEndpoint?: string;
  /** All three topics or none: a function publishes to any of them or to nothing. */
  topics?: Topics;
  stateMachineArn?: string;
  /** The complaints' state machine (statemachines/complaint.asl.json). */
  complaintStateMachineArn?: string;
  webhookSecretArn?: string;
  /** Outbound webhooks' targets (webhook-target.ts); `public` unless set. */
  webhookTargets: TargetRules;
  /** Who runs the deliverer: absent in a function that never queues a delivery. */
  deliverer?: { arn: string; schedulerRoleArn?: string; scheduleGroup?: string };
  /** The buckets this function reads or writes (functions/domain/ports.ts Bucket), by their names. */
  buckets: Partial<Record<Bucket, string>>;
  /** An S3-compatible endpoint instead of AWS's (a function run against the local stack's s3rver). */
  s3Endpoint?: string;
  /** The form PDF's font file, absolute (only the outbox-stream function renders forms). */
  formFontFile?: string;
  settings: DomainSettings;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function readConfig(env: Variables = process.env): FunctionConfig {
  const e = parse(environment, env);
  const topicArns = [e.ALERTS_TOPIC_ARN, e.RESIDENTS_TOPIC_ARN, e.TECHNICIANS_TOPIC_ARN];
  if (topicArns.some(Boolean) && !topicArns.every(Boolean))
    throw new ConfigError('Set all three topic ARNs (ALERTS, RESIDENTS, TECHNICIANS) or none');
  return {
    tableName: e.TABLE_NAME,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    topics: e.ALERTS_TOPIC_ARN
      ? {
          alerts: e.ALERTS_TOPIC_ARN,
          residents: e.RESIDENTS_TOPIC_ARN as string,
          technicians: e.TECHNICIANS_TOPIC_ARN as string,
        }
      : undefined,
    stateMachineArn: e.STATE_MACHINE_ARN,
    complaintStateMachineArn: e.COMPLAINT_STATE_MACHINE_ARN,
    webhookSecretArn: e.TECH_WEBHOOK_SECRET_ARN,
    webhookTargets: e.WEBHOOK_TARGETS,
    deliverer: e.DELIVERER_ARN
      ? {
          arn: e.DELIVERER_ARN,
          schedulerRoleArn: e.DELIVERY_SCHEDULER_ROLE_ARN,
          scheduleGroup: e.DELIVERY_SCHEDULE_GROUP,
        }
      : undefined,
    buckets: {
      ...(e.PHOTOS_BUCKET && { photos: e.PHOTOS_BUCKET }),
      ...(e.FORMS_BUCKET && { forms: e.FORMS_BUCKET }),
    },
    s3Endpoint: e.S3_ENDPOINT,
    formFontFile: e.FORM_FONT_FILE,
    settings: toSettings(e),
  };
}
