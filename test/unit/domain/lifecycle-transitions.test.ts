import { ConflictError, ForbiddenError } from '../../../functions/domain/errors';
import { applyWebhook, TRANSITIONS } from '../../../functions/domain/lifecycle';
import { STATUSES } from '../../../functions/domain/types';
import { CONTRACT_MOVES } from '../support/contract';
import {
  EVENT_TYPES,
  jobFor,
  jobIn,
  NOW,
  OTHER_TECH_ID,
  policyFrom,
  settings,
  TECH,
  thrownBy,
  webhookEvent,
} from '../support/fixtures';

const allowed = EVENT_TYPES.flatMap((type) =>
  CONTRACT_MOVES[type].from.map((from) => ({ type, from, to: CONTRACT_MOVES[type].to })),
);
const forbidden = EVENT_TYPES.flatMap((type) =>
  STATUSES.filter((status) => !CONTRACT_MOVES[type].from.includes(status)).map((status) => ({
    type,
    status,
  })),
);

describe('TRANSITIONS', () => {
  it('is exactly the webhook table of the API contract (test/unit/support/contract.ts)', () => {
    const table = Object.fromEntries(
      Object.entries(TRANSITIONS).map(([type, rule]) => [type, { from: [...rule.from], to: rule.to }]),
    );

    expect(table).toEqual(CONTRACT_MOVES);
  });

  it('covers every event type the webhook schema accepts', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...EVENT_TYPES].sort());
  });
});

describe('applyWebhook: allowed transitions', () => {
  it.each(allowed)('$type moves a job from $from to $to', ({ type, from, to }) => {
    const job = jobFor(type, from);

    const decision = applyWebhook(job, webhookEvent(type), NOW, policyFrom(settings()));

    expect(decision.job.status).toBe(to);
  });

  it.each(allowed)(
    '$type on a job that is $from bumps the version and stamps updatedAt',
    ({ type, from }) => {
      const job = { ...jobFor(type, from), version: 7, updatedAt: '2026-11-01T00:00:00.000Z' };

      const { job: next } = applyWebhook(job, webhookEvent(type), NOW, policyFrom(settings()));

      expect(next.version).toBe(8);
      expect(next.updatedAt).toBe(NOW.toISOString());
    },
  );

  it.each(allowed)(
    '$type on a job that is $from appends one history entry by the technician',
    ({ type, from }) => {
      const occurredAt = '2026-11-23T07:59:30.000Z';

      const { history } = applyWebhook(
        jobFor(type, from),
        webhookEvent(type, { occurredAt }),
        NOW,
        policyFrom(settings()),
      );

      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        type,
        at: NOW.toISOString(),
        actor: `technician:${TECH.id}`,
        data: expect.objectContaining({ occurredAt }),
      });
    },
  );

  it.each(allowed)('$type on a job that is $from leaves the input job untouched', ({ type, from }) => {
    const job = jobFor(type, from);
    const before = structuredClone(job);

    applyWebhook(job, webhookEvent(type), NOW, policyFrom(settings()));

    expect(job).toEqual(before);
  });
});

describe('applyWebhook: forbidden (event, status) pairs', () => {
  it('checks every pair the contract does not allow', () => {
    expect(allowed.length + forbidden.length).toBe(EVENT_TYPES.length * STATUSES.length);
  });

  it.each(forbidden)(
    '$type on a job that is $status is a 409 naming the current status',
    ({ type, status }) => {
      const job = jobIn(status);

      const error = thrownBy(() => applyWebhook(job, webhookEvent(type), NOW, policyFrom(settings())));

      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).code).toBe('conflict');
      expect((error as ConflictError).message).toContain(`is ${status};`);
    },
  );

  it('names what is allowed in the 409 detail', () => {
    const error = thrownBy(() =>
      applyWebhook(jobIn('booked'), webhookEvent('job.arrived'), NOW, policyFrom(settings())),
    );

    expect((error as Error).message).toBe(
      'Job job-1 is booked; job.arrived is allowed only when it is accepted or en_route',
    );
  });
});

describe('applyWebhook: who may send events', () => {
  it('lets any technician accept a booked job and records them on it', () => {
    const event = webhookEvent('job.accepted', {
      technicianId: OTHER_TECH_ID,
      data: { technicianName: 'Zhao Lei' },
    });

    const { job } = applyWebhook(jobIn('booked'), event, NOW, policyFrom(settings()));

    expect(job.technician).toEqual({ id: OTHER_TECH_ID, name: 'Zhao Lei' });
  });

  it('answers a second technician accepting an accepted job with 409, not 403', () => {
    const event = webhookEvent('job.accepted', { technicianId: OTHER_TECH_ID });

    const error = thrownBy(() => applyWebhook(jobIn('accepted'), event, NOW, policyFrom(settings())));

    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('is accepted;');
  });

  it('answers the same technician accepting twice with 409', () => {
    const error = thrownBy(() =>
      applyWebhook(jobIn('accepted'), webhookEvent('job.accepted'), NOW, policyFrom(settings())),
    );

    expect(error).toBeInstanceOf(ConflictError);
  });

  it.each(allowed.filter(({ type }) => type !== 'job.accepted'))(
    'forbids $type on a job that is $from from a technician other than the one who accepted',
    ({ type, from }) => {
      const event = webhookEvent(type, { technicianId: OTHER_TECH_ID });

      const error = thrownBy(() => applyWebhook(jobFor(type, from), event, NOW, policyFrom(settings())));

      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).code).toBe('forbidden');
    },
  );

  it('checks the technician before the order of events, so another technician learns nothing about the status', () => {
    const event = webhookEvent('job.form_signed', { technicianId: OTHER_TECH_ID });

    const error = thrownBy(() => applyWebhook(jobIn('arrived'), event, NOW, policyFrom(settings())));

    expect(error).toBeInstanceOf(ForbiddenError);
  });
});
