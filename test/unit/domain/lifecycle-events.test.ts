import { applyWebhook } from '../../../functions/domain/lifecycle';
import { propertyOf } from '../../../functions/domain/types';
import {
  alertWords,
  at,
  DAY,
  defined,
  iso,
  jobIn,
  MINUTE,
  NOW,
  policyFrom,
  settings,
  TECH,
  told,
  webhookEvent,
} from '../support/fixtures';

const DUE = at(NOW, 10 * MINUTE);

describe('job.accepted', () => {
  it('records the technician and tells the resident who is coming', () => {
    const decision = applyWebhook(jobIn('booked'), webhookEvent('job.accepted'), NOW, policyFrom(settings()));
    const { job } = decision;
    const notices = told(decision);

    expect(job.technician).toEqual({ id: TECH.id, name: TECH.name });
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatchObject({ topic: 'residents', type: 'job.accepted' });
    expect(notices[0]?.message).toContain(TECH.name);
  });

  it("gives the resident's phone to the accepting technician alone, for the call before the visit (S7)", () => {
    const decision = applyWebhook(jobIn('booked'), webhookEvent('job.accepted'), NOW, policyFrom(settings()));

    const withPhone = told(decision).filter((n) => n.message.includes(decision.job.contactPhone));

    expect(withPhone).toEqual([
      expect.objectContaining({
        topic: 'technicians',
        type: 'job.accepted',
        attributes: { technicianId: TECH.id },
      }),
    ]);
  });
});

describe('job.en_route', () => {
  it('tells an English-speaking resident the ETA in minutes', () => {
    const notices = told(
      applyWebhook(
        jobIn('accepted', { locale: 'en' }),
        webhookEvent('job.en_route', { data: { etaMinutes: 8 } }),
        NOW,
        policyFrom(settings()),
      ),
    );

    expect(notices[0]?.message).toBe(
      'Wang Wei is on the way, about 8 minutes away. Please keep your phone at hand.',
    );
  });

  it('tells a Chinese-speaking resident the ETA in Chinese', () => {
    const notices = told(
      applyWebhook(
        jobIn('accepted', { locale: 'zh-CN' }),
        webhookEvent('job.en_route', { data: { etaMinutes: 8 } }),
        NOW,
        policyFrom(settings()),
      ),
    );

    expect(notices[0]?.message).toBe('Wang Wei已出发,约 8 分钟到达,请保持电话畅通。');
  });

  it('leaves the ETA out when the technician gives none', () => {
    const notices = told(
      applyWebhook(
        jobIn('accepted'),
        webhookEvent('job.en_route', { data: {} }),
        NOW,
        policyFrom(settings()),
      ),
    );

    expect(notices[0]?.message).toBe('Wang Wei is on the way. Please keep your phone at hand.');
  });
});

describe('job.arrived (S3 punctuality, S4 kit)', () => {
  it('stamps arrivedAt with the server clock, not the reported occurredAt', () => {
    const event = webhookEvent('job.arrived', { occurredAt: '2026-11-23T07:00:00.000Z' });

    const { job } = applyWebhook(jobIn('accepted'), event, at(NOW, 5 * MINUTE), policyFrom(settings()));

    expect(job.sla.arrivedAt).toBe(iso(NOW, 5 * MINUTE));
  });

  it('counts an arrival before the deadline as met', () => {
    const { job } = applyWebhook(
      jobIn('en_route'),
      webhookEvent('job.arrived'),
      at(NOW, MINUTE),
      policyFrom(settings()),
    );

    expect(job.sla.arrivalMet).toBe(true);
  });

  it('counts an arrival exactly at the deadline as met', () => {
    const { job } = applyWebhook(jobIn('en_route'), webhookEvent('job.arrived'), DUE, policyFrom(settings()));

    expect(job.sla.arrivalMet).toBe(true);
  });

  it('counts an arrival one millisecond after the deadline as missed', () => {
    const { job } = applyWebhook(
      jobIn('en_route'),
      webhookEvent('job.arrived'),
      at(DUE, 1),
      policyFrom(settings()),
    );

    expect(job.sla.arrivalMet).toBe(false);
  });

  it('does not let an early occurredAt rescue a late arrival', () => {
    const event = webhookEvent('job.arrived', { occurredAt: iso(NOW, MINUTE) });

    const { job } = applyWebhook(jobIn('en_route'), event, at(DUE, MINUTE), policyFrom(settings()));

    expect(job.sla.arrivalMet).toBe(false);
    expect(job.sla.arrivalDueAt).toBe(DUE.toISOString());
  });

  it('keeps an arrival SLA already marked missed as missed', () => {
    const job = jobIn('en_route', { sla: { arrivalMet: false } });

    const { job: next } = applyWebhook(job, webhookEvent('job.arrived'), NOW, policyFrom(settings()));

    expect(next.sla.arrivalMet).toBe(false);
  });

  it('records in history whether all four items of the kit were carried', () => {
    const event = webhookEvent('job.arrived', {
      data: { kit: { tools: true, floorMat: false, cloth: true, shoeCovers: true } },
    });

    const { history } = applyWebhook(jobIn('accepted'), event, NOW, policyFrom(settings()));

    expect(history[0]?.data.kitComplete).toBe(false);
  });

  it('records a complete kit as complete', () => {
    const { history } = applyWebhook(
      jobIn('accepted'),
      webhookEvent('job.arrived'),
      NOW,
      policyFrom(settings()),
    );

    expect(history[0]?.data.kitComplete).toBe(true);
  });

  it('resumes the workflow waiting for the arrival and clears the stored token', () => {
    const job = jobIn('en_route', { wait: { token: 'tok-arrival', milestone: 'arrival' } });

    const decision = applyWebhook(job, webhookEvent('job.arrived'), NOW, policyFrom(settings()));

    expect(decision.resume).toBe('tok-arrival');
    expect(decision.job.wait).toBeNull();
  });
});

describe('wait tokens on other events', () => {
  it('keeps waiting for the arrival while the technician is only on the way', () => {
    const job = jobIn('accepted', { wait: { token: 'tok-arrival', milestone: 'arrival' } });

    const decision = applyWebhook(job, webhookEvent('job.en_route'), NOW, policyFrom(settings()));

    expect(decision.resume).toBeNull();
    expect(decision.job.wait).toEqual({ token: 'tok-arrival', milestone: 'arrival' });
  });

  it('keeps waiting for the end of the visit while work goes on', () => {
    const job = jobIn('diagnosed', { wait: { token: 'tok-visit', milestone: 'visit_end' } });

    const decision = applyWebhook(job, webhookEvent('job.work_started'), NOW, policyFrom(settings()));

    expect(decision.resume).toBeNull();
  });

  it('ends the visit wait when the form is signed', () => {
    const job = jobIn('cleaned', { wait: { token: 'tok-visit', milestone: 'visit_end' } });

    const decision = applyWebhook(job, webhookEvent('job.form_signed'), NOW, policyFrom(settings()));

    expect(decision.resume).toBe('tok-visit');
    expect(decision.job.wait).toBeNull();
  });

  it('ends the visit wait when the job cannot be fixed on site', () => {
    const job = jobIn('in_progress', { wait: { token: 'tok-visit', milestone: 'visit_end' } });

    const decision = applyWebhook(job, webhookEvent('job.unable_to_fix'), NOW, policyFrom(settings()));

    expect(decision.resume).toBe('tok-visit');
  });
});

describe('job.diagnosed (S5, S8)', () => {
  it('stores the quote with coverage and the fault', () => {
    const { job } = applyWebhook(
      jobIn('arrived'),
      webhookEvent('job.diagnosed'),
      NOW,
      policyFrom(settings()),
    );

    expect(job.quote).toEqual({
      labor: 50,
      parts: 12,
      currency: 'CNY',
      covered: false,
      fault: 'Worn washer',
    });
  });

  it('sends nobody a message', () => {
    const notices = told(
      applyWebhook(jobIn('arrived'), webhookEvent('job.diagnosed'), NOW, policyFrom(settings())),
    );

    expect(notices).toEqual([]);
  });
});

describe('job.quote_declined', () => {
  it('tells the resident no repair was carried out', () => {
    const notices = told(
      applyWebhook(jobIn('diagnosed'), webhookEvent('job.quote_declined'), NOW, policyFrom(settings())),
    );

    expect(notices.map((n) => n.type)).toEqual(['job.declined']);
  });
});

describe('job.work_started and job.completed', () => {
  it('stamps workStartedAt with the server clock', () => {
    const { job } = applyWebhook(
      jobIn('diagnosed'),
      webhookEvent('job.work_started'),
      NOW,
      policyFrom(settings()),
    );

    expect(job.workStartedAt).toBe(NOW.toISOString());
  });

  it('stamps completedAt with the server clock', () => {
    const job = jobIn('in_progress', { workStartedAt: NOW.toISOString() });

    const { job: next } = applyWebhook(
      job,
      webhookEvent('job.completed'),
      at(NOW, 30 * MINUTE),
      policyFrom(settings()),
    );

    expect(next.completedAt).toBe(iso(NOW, 30 * MINUTE));
  });
});

describe('S1 quick-fix labour waiver on job.completed', () => {
  const started = jobIn('in_progress', { workStartedAt: NOW.toISOString() });
  const complete = (job: typeof started, afterMs: number, s = settings()) =>
    applyWebhook(job, webhookEvent('job.completed'), at(NOW, afterMs), policyFrom(s, propertyOf(job.unitId)))
      .job;

  it('waives labour when work finishes within 10 minutes and the policy is on', () => {
    expect(complete(started, 4 * MINUTE).laborWaived).toBe(true);
  });

  it('waives labour when work finishes exactly 10 minutes after it started', () => {
    expect(complete(started, 10 * MINUTE).laborWaived).toBe(true);
  });

  it('does not waive labour when work takes longer than 10 minutes', () => {
    expect(complete(started, 10 * MINUTE + 1).laborWaived).toBe(false);
  });

  it('does not waive labour when the policy is off', () => {
    const off = settings({ policy: { default: { quickFixWaiver: false } } });

    expect(complete(started, MINUTE, off).laborWaived).toBe(false);
  });

  it('applies a per-property switch on: the property is the unitId before the first dash', () => {
    const perProperty = settings({
      policy: { default: { quickFixWaiver: false }, properties: { B2: { quickFixWaiver: true } } },
    });

    expect(complete({ ...started, unitId: 'B2-1203' }, MINUTE, perProperty).laborWaived).toBe(true);
    expect(complete({ ...started, unitId: 'C7-0101' }, MINUTE, perProperty).laborWaived).toBe(false);
  });

  it('applies a per-property switch off over a default that is on', () => {
    const perProperty = settings({
      policy: { default: { quickFixWaiver: true }, properties: { B2: { quickFixWaiver: false } } },
    });

    expect(complete({ ...started, unitId: 'B2-1203' }, MINUTE, perProperty).laborWaived).toBe(false);
  });

  it('records the waiver it decided in the job.completed history item (the policy may change later)', () => {
    const quick = applyWebhook(
      started,
      webhookEvent('job.completed'),
      at(NOW, 4 * MINUTE),
      policyFrom(settings()),
    );
    const slow = applyWebhook(
      started,
      webhookEvent('job.completed'),
      at(NOW, 11 * MINUTE),
      policyFrom(settings()),
    );

    expect(quick.history.map((h) => [h.type, h.data.laborWaived])).toEqual([['job.completed', true]]);
    expect(slow.history.map((h) => [h.type, h.data.laborWaived])).toEqual([['job.completed', false]]);
  });

  it('does not waive labour when the start of work was never recorded', () => {
    expect(complete({ ...started, workStartedAt: null }, MINUTE).laborWaived).toBe(false);
  });

  it('times the work by the server clock, whatever occurredAt the technician reports', () => {
    const event = webhookEvent('job.completed', { occurredAt: iso(NOW, 2 * MINUTE) });

    const { job } = applyWebhook(started, event, at(NOW, 20 * MINUTE), policyFrom(settings()));

    expect(job.laborWaived).toBe(false);
  });
});

describe('job.unable_to_fix (S9)', () => {
  it('tells the resident, quoting the take-away receipt number', () => {
    const notices = told(
      applyWebhook(jobIn('arrived'), webhookEvent('job.unable_to_fix'), NOW, policyFrom(settings())),
    );

    expect(notices).toHaveLength(1);
    expect(notices[0]?.type).toBe('job.unable_to_fix');
    expect(notices[0]?.message).toContain('Receipt no. R-77.');
  });

  it('quotes the receipt number in Chinese to a Chinese-speaking resident', () => {
    const notices = told(
      applyWebhook(
        jobIn('arrived', { locale: 'zh-CN' }),
        webhookEvent('job.unable_to_fix'),
        NOW,
        policyFrom(settings()),
      ),
    );

    expect(notices[0]?.message).toContain('取机凭证号:R-77。');
  });

  it('says nothing about a receipt when nothing was taken away', () => {
    const event = webhookEvent('job.unable_to_fix', { data: { reason: 'Wall needs opening' } });

    const notices = told(applyWebhook(jobIn('arrived'), event, NOW, policyFrom(settings())));

    expect(notices[0]?.message).not.toContain('Receipt');
  });

  it('queues one unsent warning alert for managers with the reason', () => {
    const { job } = applyWebhook(
      jobIn('diagnosed'),
      webhookEvent('job.unable_to_fix'),
      NOW,
      policyFrom(settings()),
    );

    const alert = defined(job.alerts['job.unable_to_fix'], 'alert');
    expect(alert).toEqual({
      type: 'job.unable_to_fix',
      sent: false,
      detail: { reason: 'Needs a spare part' },
    });
    expect(alertWords(job, 'job.unable_to_fix').message).toContain('Needs a spare part');
  });
});

describe('job.site_cleaned (S2, S11)', () => {
  it('moves the job on and sends nobody a message', () => {
    const decision = applyWebhook(
      jobIn('completed'),
      webhookEvent('job.site_cleaned'),
      NOW,
      policyFrom(settings()),
    );

    expect(told(decision)).toEqual([]);
    expect(decision.history[0]?.data).toMatchObject({ siteClean: true, belongingsRestored: true });
  });
});

describe('job.form_signed (S12, S15)', () => {
  it('sets the callback deadline to exactly seven days after the server received the signature', () => {
    const { job } = applyWebhook(
      jobIn('cleaned'),
      webhookEvent('job.form_signed'),
      NOW,
      policyFrom(settings()),
    );

    expect(job.sla.callbackDueAt).toBe(iso(NOW, 7 * DAY));
  });

  it('ignores occurredAt when setting the callback deadline', () => {
    const event = webhookEvent('job.form_signed', { occurredAt: '2026-11-20T00:00:00.000Z' });

    const { job } = applyWebhook(jobIn('cleaned'), event, NOW, policyFrom(settings()));

    expect(job.sla.callbackDueAt).toBe(iso(NOW, 7 * DAY));
  });

  it('thanks the resident and invites them to get in touch later (S13)', () => {
    const notices = told(
      applyWebhook(jobIn('cleaned'), webhookEvent('job.form_signed'), NOW, policyFrom(settings())),
    );

    expect(notices.map((n) => n.type)).toEqual(['job.form_signed']);
    expect(notices[0]?.message).toContain('please contact us');
  });
});
