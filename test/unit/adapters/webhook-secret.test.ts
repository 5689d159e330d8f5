import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  fixedSecrets,
  secretsManagerSecrets,
  type WebhookSecrets,
} from '../../../functions/adapters/webhook-secret';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:webhook';

function notFound(): Error {
  const e = new Error('no such version');
  e.name = 'ResourceNotFoundException';
  return e;
}

let webhookSecrets: WebhookSecrets;

beforeEach(() => {
  sm.reset();
  webhookSecrets = secretsManagerSecrets(new SecretsManagerClient({}), ARN);
});

test('accepts both the current and the previous secret, so a rotation loses no event', async () => {
  sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSCURRENT' }).resolves({
    SecretString: 'whsec_bmV3',
  });
  sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' }).resolves({
    SecretString: 'whsec_b2xk',
  });

  expect(await webhookSecrets()).toEqual(['whsec_bmV3', 'whsec_b2xk']);
});

test('a secret never rotated has no previous version, and that is fine', async () => {
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).resolves({ SecretString: 'whsec_bmV3' });
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).rejects(notFound());

  expect(await webhookSecrets()).toEqual(['whsec_bmV3']);
});

test('a missing current secret is an error, not an empty list that would reject every event silently', async () => {
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' }).rejects(notFound());
  sm.on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' }).resolves({ SecretString: 'whsec_b2xk' });

  await expect(webhookSecrets()).rejects.toThrow('no such version');
});

test('caches for five minutes, then reads again', async () => {
  sm.on(GetSecretValueCommand).resolves({ SecretString: 'whsec_bmV3' });
  const t0 = 1_000_000;

  await webhookSecrets(t0);
  await webhookSecrets(t0 + 4 * 60_000);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  await webhookSecrets(t0 + 6 * 60_000);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(4);
});

test("a fixed value (the local stack's) may hold several secrets, and reads nothing", async () => {
  expect(await fixedSecrets('whsec_YQ== whsec_Yg==')()).toEqual(['whsec_YQ==', 'whsec_Yg==']);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
});
