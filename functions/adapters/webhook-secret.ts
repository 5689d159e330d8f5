import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// The technician webhook's signing secrets. On AWS they live in Secrets Manager: the
// AWSCURRENT and AWSPREVIOUS versions are both accepted, so a rotation loses no event
// while technicians' apps switch over; cached for five minutes. Locally they come from
// TECH_WEBHOOK_SECRET. A value may hold several secrets separated by spaces.

const CACHE_MS = 5 * 60 * 1000;
const STAGES = ['AWSCURRENT', 'AWSPREVIOUS'] as const;
let cached: { secrets: string[]; at: number } | undefined;
let client: SecretsManagerClient | undefined;

const split = (value: string) => value.split(/[\s,]+/).filter(Boolean);

async function stage(arn: string, VersionStage: string): Promise<string[]> {
  client ??= new SecretsManagerClient({});
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage }));
    return split(out.SecretString ?? '');
  } catch (e) {
    // A secret never rotated has no AWSPREVIOUS version.
    if (VersionStage === 'AWSPREVIOUS' && (e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  }
}

export async function webhookSecrets(now = Date.now()): Promise<string[]> {
  const local = process.env.TECH_WEBHOOK_SECRET;
  if (local) return split(local);
  const arn = process.env.TECH_WEBHOOK_SECRET_ARN;
  if (!arn) throw new Error('Missing environment variable TECH_WEBHOOK_SECRET_ARN');
  if (cached && now - cached.at < CACHE_MS) return cached.secrets;
  const [current, previous] = await Promise.all(STAGES.map((s) => stage(arn, s)));
  cached = { secrets: [...(current ?? []), ...(previous ?? [])], at: now };
  return cached.secrets;
}

/** For tests: forget the cached secrets. */
export function clearSecretCache(): void {
  cached = undefined;
}
