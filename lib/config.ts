import type { Node } from 'constructs';

/** Deployment settings, read from CDK context (cdk.json or `-c key=value`). */
export interface RepairConfig {
  readonly stage: string;
  /** Addresses subscribed (by email) to the managers' alerts topic; may be empty. */
  readonly alertEmails: readonly string[];
  /** Per-property rules handed to the domain as the PROPERTY_POLICY JSON env var. */
  readonly propertyPolicy: Record<string, unknown>;
  /** Browser origins allowed by CORS; empty means no CORS configuration. */
  readonly corsOrigins: readonly string[];
}

export const DEFAULT_PROPERTY_POLICY = { default: { quickFixWaiver: false } };

export function readConfig(node: Node): RepairConfig {
  const stage = String(node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`context "stage" must be lower-case letters, digits and dashes: ${stage}`);
  }
  const alertEmails = stringList(node.tryGetContext('alertEmails'), 'alertEmails');
  for (const email of alertEmails) {
    if (!/^[^@\s]+@[^@\s]+$/.test(email))
      throw new Error(`context "alertEmails" has an invalid address: ${email}`);
  }
  return {
    stage,
    alertEmails,
    propertyPolicy:
      jsonObject(node.tryGetContext('propertyPolicy'), 'propertyPolicy') ?? DEFAULT_PROPERTY_POLICY,
    corsOrigins: stringList(node.tryGetContext('corsOrigins'), 'corsOrigins'),
  };
}

// cdk.json gives JSON values; `-c key=value` on the command line always gives strings.
function stringList(value: unknown, key: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' && value.trim().startsWith('[') ? JSON.parse(value) : value;
  const items = typeof list === 'string' ? list.split(',') : list;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) {
    throw new Error(`context "${key}" must be a list of strings`);
  }
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

function jsonObject(value: unknown, key: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`context "${key}" must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
