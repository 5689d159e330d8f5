import { Webhook } from 'standardwebhooks';
import {
  afterAttempt,
  BACKOFF,
  backoffMs,
  type Delivery,
  DISABLE_AFTER,
  deliveryIdOf,
  endpointWants,
  eventIdOf,
  matchesFilter,
  newDelivery,
  newSecret,
  payloadOf,
  RETRY_WINDOW_MS,
  retried,
  shouldDisable,
  signedHeaders,
  signingSecrets,
  subjectOfDeliveryId,
  viewOf,
  type WebhookEndpoint,
} from '../../../functions/domain/webhooks';

const NOW = new Date('2026-12-02T08:00:00.000Z');
const JOB = { kind: 'job' as const, id: '3f0c2a4e-8a51-4a55-9a39-3c8f4a3c3a11' };
const POSITION = 'EVT#2026-12-02T08:00:00.000Z#000001#0';

const endpoint = (over: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  endpointId: 'ep_AAAAAAAAAAAAAAAA',
  url: 'https://erp.example.com/hooks',
  events: ['job.*'],
  description: null,
  properties: null,
  createdBy: 'm-1',
  createdAt: NOW.toISOString(),
  status: 'enabled',
  disabledAt: null,
  secrets: [{ secret: newSecret(), until: null }],
  failingSince: null,
  failures: 0,
  version: 1,
  ...over,
});

const ITEM = {
  type: 'job.booked',
  at: NOW.toISOString(),
  actor: 'resident:r-1',
  data: { unitId: 'B2-1203' },
};

describe('event filters', () => {
  it.each([
    [['job.*'], 'job.completed', true],
    [['job.*'], 'complaint.received', false],
    [['job.*'], 'jobs.x', false],
    [['*'], 'sla.arrival_missed', true],
    [['job.completed'], 'job.completed', true],
    [['job.completed'], 'job.completed_late', false],
    [['complaint.*', 'job.booked'], 'job.booked', true],
  ])('%j matches %s: %s', (filters, type, expected) => {
    expect(matchesFilter(filters, type)).toBe(expected);
  });

  it("an endpoint gets only its properties' events; a company endpoint gets all", () => {
    expect(endpointWants(endpoint({ properties: ['A1'] }), 'job.booked', 'B2')).toBe(false);
    expect(endpointWants(endpoint({ properties: ['A1', 'B2'] }), 'job.booked', 'B2')).toBe(true);
    expect(endpointWants(endpoint(), 'job.booked', 'C3')).toBe(true);
  });
});

describe('signing (Standard Webhooks)', () => {
  it('the reference library verifies what we sign, with the secret in whsec_ form', () => {
    const secret = newSecret();
    const body = payloadOf(JOB, ITEM, { property: 'B2', status: 'booked' });
    const headers = signedHeaders([secret], 'evt_1', Math.floor(Date.now() / 1000), body);

    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('a rotation signs with both secrets: either verifies; a third does not', () => {
    const [current, previous] = [newSecret(), newSecret()];
    const body = '{"type":"job.booked"}';
    const headers = signedHeaders([current, previous], 'evt_1', Math.floor(Date.now() / 1000), body);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow('No matching signature');
  });

  it('a changed body no longer verifies', () => {
    const secret = newSecret();
    const headers = signedHeaders([secret], 'evt_1', Math.floor(Date.now() / 1000), '{"a":1}');

    expect(() => new Webhook(secret).verify('{"a":2}', headers)).toThrow();
  });

  it('the old secret signs until its until, then only the new one', () => {
    const e = endpoint({
      secrets: [
        { secret: 'whsec_new', until: null },
        { secret: 'whsec_old', until: new Date(NOW.getTime() + 1000).toISOString() },
      ],
    });

    expect(signingSecrets(e, NOW).map((s) => s.secret)).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(e, new Date(NOW.getTime() + 1000)).map((s) => s.secret)).toEqual(['whsec_new']);
    expect(viewOf(e, NOW)).not.toHaveProperty('secrets');
  });
});

describe('ids and payload', () => {
  it('a delivery id is the same for the same endpoint and event, names its subject, and differs per endpoint', () => {
    const id = deliveryIdOf('ep_A', JOB, POSITION);

    expect(deliveryIdOf('ep_A', JOB, POSITION)).toBe(id);
    expect(deliveryIdOf('ep_B', JOB, POSITION)).not.toBe(id);
    expect(subjectOfDeliveryId(id)).toEqual(JOB);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(subjectOfDeliveryId('x.y.z')).toBeNull();
  });

  it("the event id (webhook-id) is the event's, whichever endpoint gets it", () => {
    expect(eventIdOf(JOB, POSITION)).toBe(eventIdOf(JOB, POSITION));
    expect(eventIdOf(JOB, POSITION)).not.toBe(eventIdOf(JOB, `${POSITION}1`));
  });

  it('the payload names type, timestamp and the subject, and leaves the signature image out', () => {
    const body = payloadOf(
      JOB,
      { ...ITEM, type: 'job.form_signed', data: { signerName: 'Li Na', signature: 'iVBORw0KGgo=' } },
      { property: 'B2', status: 'signed' },
    );

    expect(JSON.parse(body)).toEqual({
      type: 'job.form_signed',
      timestamp: NOW.toISOString(),
      data: { jobId: JOB.id, property: 'B2', status: 'signed', actor: 'resident:r-1', signerName: 'Li Na' },
    });
  });
});

describe('backoff', () => {
  it('doubles from 30 s, each wait in the upper half of its step, capped at 4 hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0))).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.999_999))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(backoffMs(30, () => 1)).toBe(BACKOFF.capMs);
  });

  it('whatever the jitter, each wait is at least the one before, until the cap', () => {
    for (let n = 1; n < 9; n++) {
      expect(backoffMs(n + 1, () => 0)).toBeGreaterThanOrEqual(backoffMs(n, () => 0.999_999));
    }
  });
});

describe('attempts, parking and retries', () => {
  const fresh = () => newDelivery(endpoint(), JOB, POSITION, 'job.booked', '{}', NOW);
  const fail = (d: Delivery, at: Date) =>
    afterAttempt(d, { at: at.toISOString(), status: 500, error: null, ms: 5 }, at, () => 0.5);

  it('a 2xx delivers; a 500 is due again after the backoff', () => {
    const ok = afterAttempt(fresh(), { at: NOW.toISOString(), status: 204, error: null, ms: 5 }, NOW);
    const failed = fail(fresh(), NOW);

    expect(ok).toMatchObject({ status: 'delivered', nextAttemptAt: null, version: 2 });
    expect(failed).toMatchObject({
      status: 'pending',
      nextAttemptAt: new Date(NOW.getTime() + 22_500).toISOString(),
    });
  });

  it('failing for 24 hours, it is parked when the next attempt would fall after the window', () => {
    let d = fresh();
    let at = NOW;
    while (d.status === 'pending') {
      d = fail(d, at);
      if (d.nextAttemptAt) at = new Date(d.nextAttemptAt);
    }

    expect(d).toMatchObject({ status: 'parked', parkedReason: 'retries_exhausted' });
    const last = Date.parse(d.attempts.at(-1)?.at ?? '');
    expect(last - NOW.getTime()).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(last - NOW.getTime()).toBeGreaterThan(RETRY_WINDOW_MS - BACKOFF.capMs);
    expect(d.attempts.length).toBeGreaterThan(10);
  });

  it('a manual retry is due now with a fresh window, and the backoff starts over', () => {
    const later = new Date(NOW.getTime() + 2 * RETRY_WINDOW_MS);
    const again = retried(
      { ...fail(fresh(), NOW), status: 'parked', parkedReason: 'retries_exhausted' },
      later,
    );

    expect(again).toMatchObject({
      status: 'pending',
      nextAttemptAt: later.toISOString(),
      parkedReason: null,
    });
    expect(fail(again, later).nextAttemptAt).toBe(new Date(later.getTime() + 22_500).toISOString());
  });
});

describe('the disable rule', () => {
  const since = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

  it(`disables after ${DISABLE_AFTER.attempts} failed attempts over 24 hours without a delivery`, () => {
    expect(
      shouldDisable(
        endpoint({ failingSince: since(DISABLE_AFTER.ms), failures: DISABLE_AFTER.attempts }),
        NOW,
      ),
    ).toBe(true);
  });

  it.each([
    ['failing for less than a day', { failingSince: since(DISABLE_AFTER.ms - 1), failures: 50 }],
    ['too few attempts', { failingSince: since(DISABLE_AFTER.ms * 2), failures: DISABLE_AFTER.attempts - 1 }],
    ['delivering', { failingSince: null, failures: 0 }],
    [
      'already disabled',
      { failingSince: since(DISABLE_AFTER.ms * 2), failures: 99, status: 'disabled' as const },
    ],
  ])('not when %s', (_why, over) => {
    expect(shouldDisable(endpoint(over), NOW)).toBe(false);
  });
});
