import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// The technician webhook's signing secrets. On AWS they live in Secrets Manager: the
// AWSCURRENT and AWSPREVIOUS versions are both accepted, so a rotation loses no event
// while technicians' apps switch over; cached for five minutes. The local stack hands its
// own secret in. A value may hold several secrets separated by spaces.

/** The secrets a webhook signature may be made with, newest first. */
export type WebhookSecrets = (nowMs?: number) => Promise<string[]>;

const CACHE_MS = 5 * 60 * 1000;
const STAGES = ['AWSCURRENT', 'AWSPREVIOUS'] as const;

export const splitSecrets = (value: string) => value.split(/[\s,]+/).filter(Boolean);

export function fixedSecrets(value: string): WebhookSecrets {
  const secrets = splitSecrets(value);
  return async () => secrets;
}

export function secretsManagerSecrets(client: SecretsManagerClient, arn: string): WebhookSecrets {
  let cached: { secrets: string[]; at: number } | undefined;
  const stage = async (VersionStage: string): Promise<string[]> => {
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage }));
      return splitSecrets(out.SecretString ?? '');
    } catch (e) {
      // A secret never rotated has no AWSPREVIOUS version.
      if (VersionStage === 'AWSPREVIOUS' && (e as Error).name === 'ResourceNotFoundException') return [];
      throw e;
    }
  };
  return async (now = Date.now()) => {
    if (cached && now - cached.at < CACHE_MS) return cached.secrets;
    const [current, previous] = await Promise.all(STAGES.map(stage));
    cached = { secrets: [...(current ?? []), ...(previous ?? [])], at: now };
    return cached.secrets;
  };
}
