import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

// The technician webhook's signing secrets. On AWS they live in Secrets Manager (cached for
// five minutes); locally in TECH_WEBHOOK_SECRET. Several secrets, separated by spaces, are
// all accepted, so a rotation loses no event.
const CACHE_MS = 5 * 60 * 1000;
let cached: { secrets: string[]; at: number } | undefined;
let client: SecretsManagerClient | undefined;

const split = (value: string) => value.split(/[\s,]+/).filter(Boolean);

export async function webhookSecrets(): Promise<string[]> {
  const local = process.env.TECH_WEBHOOK_SECRET;
  if (local) return split(local);
  const arn = process.env.TECH_WEBHOOK_SECRET_ARN;
  if (!arn) throw new Error('Missing environment variable TECH_WEBHOOK_SECRET_ARN');
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.secrets;
  client ??= new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  cached = { secrets: split(out.SecretString ?? ''), at: Date.now() };
  return cached.secrets;
}
