import {
  callbackComplains,
  complaintOfCallback,
  investigate,
  onComplaintTimer,
  receiveComplaint,
  recordComplaintCallback,
} from '../../../functions/domain/complaints';
import { ConflictError, ValidationError } from '../../../functions/domain/errors';
import type { ComplaintRequest } from '../../../functions/domain/schemas';
import type { Complaint } from '../../../functions/domain/types';
import {
  AGENT,
  at,
  COMPLAINT_CALLBACK_DUE,
  complaintIn,
  DAY,
  HOUR,
  INVESTIGATION_DUE,
  iso,
  jobIn,
  MANAGER,
  NOW,
  policyFrom,
  RESIDENT,
  thrownBy,
} from '../support/fixtures';

// The complaint lifecycle (S16 same-day investigation, S17 callback within three days): every
// allowed and forbidden move, and each missed deadline recorded and alerted once, whether the
// workflow's timer or a late recording notices it first.

/** Property B2 nobody configured: 09:00–18:00, Monday to Friday, in Asia/Shanghai. */
const CALENDAR = policyFrom();
const INVESTIGATION = {
  findings: 'Confirmed with the technician',
  cause: 'Rushed visit',
  handler: 'Zhang Min',
  result: 'Apologised; retrained',
};
const request = (over: Partial<ComplaintRequest> = {}): ComplaintRequest => ({
  jobId: 'job-1',
  category: 'conduct',
  description: 'The technician was rude',
  ...over,
});
const fieldsOf = (e: unknown) => (e as ValidationError).errors.map((f) => f.path);
const parked = (c: Complaint, milestone: 'investigation' | 'callback'): Complaint => ({
  ...c,
  wait: { token: 'tok-1', milestone },
});

describe('receiving a complaint', () => {
  it("takes a resident's complaint about their own job: the job's unit, phone and language, due the same day and in 3 days", () => {
    const d = receiveComplaint(request(), RESIDENT, 'c-9', NOW, CALENDAR, jobIn('closed'));
    expect(d.complaint).toMatchObject({
      complaintId: 'c-9',
      status: 'received',
      jobId: 'job-1',
      unitId: 'B2-1203',
      residentId: RESIDENT.sub,
      contactPhone: '+8613800138000',
      locale: 'en',
      source: 'resident',
      sla: {
        investigationDueAt: INVESTIGATION_DUE,
        investigationMet: null,
        callbackDueAt: COMPLAINT_CALLBACK_DUE,
        callbackMet: null,
      },
      version: 1,
    });
    expect(d.history).toEqual([
      {
        type: 'complaint.received',
        at: NOW.toISOString(),
        actor: 'resident:r-1',
        data: {
          source: 'resident',
          category: 'conduct',
          jobId: 'job-1',
          investigationDueAt: INVESTIGATION_DUE,
          callbackDueAt: COMPLAINT_CALLBACK_DUE,
        },
      },
    ]);
  });

  it('takes a complaint about a unit, without a job, when it gives a phone to call back', () => {
    const req = request({ jobId: undefined, unitId: 'A1-0302', contactPhone: '+8613900139000' });
    const d = receiveComplaint(req, RESIDENT, 'c-9', NOW, CALENDAR, null);
    expect(d.complaint).toMatchObject({
      jobId: null,
      unitId: 'A1-0302',
      contactPhone: '+8613900139000',
      locale: 'zh-CN',
    });
  });

  it('refuses a complaint about a unit without a phone, naming contactPhone', () => {
    const e = thrownBy(() =>
      receiveComplaint(request({ jobId: undefined, unitId: 'A1-0302' }), RESIDENT, 'c', NOW, CALENDAR, null),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect(fieldsOf(e)).toEqual(['contactPhone']);
  });

  it("records an agent's phone complaint for the resident it names, as source agent", () => {
    const d = receiveComplaint(
      request({ residentId: RESIDENT.sub }),
      AGENT,
      'c-9',
      NOW,
      CALENDAR,
      jobIn('closed'),
    );
    expect(d.complaint).toMatchObject({ residentId: RESIDENT.sub, source: 'agent' });
    expect(d.history[0]?.actor).toBe('agent:a-1');
  });

  it('needs the residentId from staff, and refuses one from a resident for someone else', () => {
    expect(
      fieldsOf(thrownBy(() => receiveComplaint(request(), MANAGER, 'c', NOW, CALENDAR, jobIn('closed')))),
    ).toEqual(['residentId']);
    const other = request({ residentId: 'r-2' });
    expect(
      fieldsOf(thrownBy(() => receiveComplaint(other, RESIDENT, 'c', NOW, CALENDAR, jobIn('closed')))),
    ).toEqual(['residentId']);
  });

  it("refuses a unitId that is not the job's, and staff naming another resident than the job's", () => {
    const e = thrownBy(() =>
      receiveComplaint(
        request({ unitId: 'A1-0101', residentId: 'r-2' }),
        AGENT,
        'c',
        NOW,
        CALENDAR,
        jobIn('closed'),
      ),
    );
    expect(fieldsOf(e)).toEqual(['unitId', 'residentId']);
  });

  it('gives a complaint received before closing on a business day until the end of that day', () => {
    // NOW is Monday 16:00 in Shanghai.
    const d = receiveComplaint(request(), RESIDENT, 'c', NOW, CALENDAR, jobIn('closed'));
    expect(d.complaint.sla.investigationDueAt).toBe(INVESTIGATION_DUE);
  });

  it('gives a complaint received at 23:50, after closing, until the end of the next business day', () => {
    const late = new Date('2026-11-23T15:50:00.000Z');
    const d = receiveComplaint(request(), RESIDENT, 'c', late, CALENDAR, jobIn('closed'));
    expect(d.complaint.sla.investigationDueAt).toBe('2026-11-24T15:59:59.999Z');
    expect(d.complaint.sla.callbackDueAt).toBe('2026-11-26T15:50:00.000Z');
  });

  it('gives a complaint received at 23:50 only ten minutes where business hours run until 23:59', () => {
    const late = new Date('2026-11-23T15:50:00.000Z');
    const lateHours = { ...CALENDAR, businessHours: { start: '09:00', end: '23:59' } };
    const d = receiveComplaint(request(), RESIDENT, 'c', late, lateHours, jobIn('closed'));
    expect(d.complaint.sla.investigationDueAt).toBe(INVESTIGATION_DUE);
  });

  it("times the investigation on the property's calendar: a holiday defers it to the next business day", () => {
    const holiday = { ...CALENDAR, holidays: ['2026-11-23'] };
    const d = receiveComplaint(request(), RESIDENT, 'c', NOW, holiday, jobIn('closed'));
    expect(d.complaint.sla.investigationDueAt).toBe('2026-11-24T15:59:59.999Z');
  });
});

describe('a bad job callback', () => {
  const body = (satisfaction: number, comment?: string) => ({
    reached: true,
    satisfaction,
    issueResolved: true,
    comment,
  });

  it('complains at satisfaction 2 or less, not at 3, and never when the resident was not reached', () => {
    expect(callbackComplains(body(1))).toBe(true);
    expect(callbackComplains(body(2))).toBe(true);
    expect(callbackComplains(body(3))).toBe(false);
    expect(callbackComplains({ reached: false })).toBe(false);
  });

  it('times its investigation on the property calendar: a Friday evening callback is due Monday', () => {
    const friday = new Date('2026-11-27T12:00:00.000Z'); // 20:00 in Shanghai
    const d = complaintOfCallback(jobIn('signed'), AGENT, body(1), 'c-7', friday, CALENDAR);
    expect(d.complaint.sla.investigationDueAt).toBe('2026-11-30T15:59:59.999Z');
  });

  it("opens a quality complaint linked to the job, in the agent's words", () => {
    const d = complaintOfCallback(jobIn('signed'), AGENT, body(2, 'Tap drips again'), 'c-7', NOW, CALENDAR);
    expect(d.complaint).toMatchObject({
      complaintId: 'c-7',
      category: 'quality',
      description: 'Tap drips again',
      jobId: 'job-1',
      residentId: RESIDENT.sub,
      source: 'callback',
      status: 'received',
    });
    expect(d.history[0]).toMatchObject({
      type: 'complaint.received',
      actor: 'agent:a-1',
      data: { source: 'callback' },
    });
  });

  it("describes the complaint by its score, in the resident's language, when the agent wrote nothing", () => {
    const en = complaintOfCallback(jobIn('signed', { locale: 'en' }), AGENT, body(1), 'c-7', NOW, CALENDAR);
    const zh = complaintOfCallback(
      jobIn('signed', { locale: 'zh-CN' }),
      AGENT,
      body(2),
      'c-8',
      NOW,
      CALENDAR,
    );
    expect(en.complaint.description).toBe('Satisfaction 1 of 5 at the job callback');
    expect(zh.complaint.description).toBe('回访满意度 2 分(满分 5 分)');
  });
});

describe('the investigation (S16)', () => {
  it('filed the same day: investigated, met, with what, why, who and the result', () => {
    const d = investigate(complaintIn('received'), AGENT, INVESTIGATION, at(NOW, HOUR));
    expect(d.complaint).toMatchObject({
      status: 'investigated',
      sla: { investigatedAt: iso(NOW, HOUR), investigationMet: true },
      investigation: { ...INVESTIGATION, at: iso(NOW, HOUR), by: 'agent:a-1' },
      alerts: {},
      version: 3,
    });
    expect(d.history.map((h) => h.type)).toEqual(['complaint.investigated']);
  });

  it('at the last millisecond of the day is still in time', () => {
    const d = investigate(complaintIn('received'), AGENT, INVESTIGATION, new Date(INVESTIGATION_DUE));
    expect(d.complaint.sla.investigationMet).toBe(true);
  });

  it('filed after the day ended, before the timer: missed, one critical alert queued, the system item first', () => {
    const d = investigate(complaintIn('received'), AGENT, INVESTIGATION, at(NOW, 9 * HOUR));
    expect(d.complaint.sla.investigationMet).toBe(false);
    expect(d.complaint.alerts).toEqual({
      'sla.complaint_investigation_missed': { type: 'sla.complaint_investigation_missed', sent: false },
    });
    expect(d.history.map((h) => [h.type, h.actor])).toEqual([
      ['sla.complaint_investigation_missed', 'system'],
      ['complaint.investigated', 'agent:a-1'],
    ]);
  });

  it('filed late after the timer recorded the miss: no second alert', () => {
    const timed = onComplaintTimer(complaintIn('received'), new Date(INVESTIGATION_DUE))
      ?.complaint as Complaint;
    const d = investigate(timed, AGENT, INVESTIGATION, at(NOW, 10 * HOUR));
    expect(d.complaint.sla.investigationMet).toBe(false);
    expect(Object.keys(d.complaint.alerts)).toEqual(['sla.complaint_investigation_missed']);
    expect(d.history.map((h) => h.type)).toEqual(['complaint.investigated']);
  });

  it('filed after the callback deadline too: both misses recorded at once', () => {
    const d = investigate(complaintIn('received'), AGENT, INVESTIGATION, at(NOW, 4 * DAY));
    expect(d.complaint.sla).toMatchObject({ investigationMet: false, callbackMet: false });
    expect(Object.keys(d.complaint.alerts).sort()).toEqual([
      'sla.complaint_callback_missed',
      'sla.complaint_investigation_missed',
    ]);
  });

  it('resumes the parked wait for the investigation once it is filed', () => {
    const d = investigate(
      parked(complaintIn('received'), 'investigation'),
      AGENT,
      INVESTIGATION,
      at(NOW, HOUR),
    );
    expect(d.resume).toBe('tok-1');
    expect(d.complaint.wait).toBeNull();
  });

  it('is refused once investigated or closed (409)', () => {
    for (const status of ['investigated', 'closed'] as const)
      expect(thrownBy(() => investigate(complaintIn(status), AGENT, INVESTIGATION, NOW))).toBeInstanceOf(
        ConflictError,
      );
  });
});

describe('the callback (S17)', () => {
  const reached = { reached: true, satisfied: true, comment: 'Happy now' };

  it('reached in time: closed, met, what the resident said kept', () => {
    const d = recordComplaintCallback(complaintIn('investigated'), AGENT, reached, at(NOW, DAY));
    expect(d.complaint).toMatchObject({
      status: 'closed',
      satisfied: true,
      callbackAttempts: 1,
      sla: { calledBackAt: iso(NOW, DAY), callbackMet: true },
    });
    expect(d.history.map((h) => h.type)).toEqual(['complaint.called_back']);
  });

  it('not reached: an attempt counted, the deadline stands, the answer-by time kept', () => {
    const answerBy = iso(NOW, 2 * DAY);
    const d = recordComplaintCallback(
      complaintIn('investigated'),
      AGENT,
      { reached: false, answerBy },
      at(NOW, DAY),
    );
    expect(d.complaint).toMatchObject({
      status: 'investigated',
      callbackAttempts: 1,
      answerBy,
      sla: { callbackDueAt: COMPLAINT_CALLBACK_DUE, callbackMet: null },
    });
    expect(d.history.map((h) => h.type)).toEqual(['complaint.callback_attempted']);
  });

  it('not reached does not resume the wait for the callback', () => {
    const d = recordComplaintCallback(
      parked(complaintIn('investigated'), 'callback'),
      AGENT,
      { reached: false },
      at(NOW, DAY),
    );
    expect(d.resume).toBeNull();
    expect(d.complaint.wait).toEqual({ token: 'tok-1', milestone: 'callback' });
  });

  it('reached after the deadline, before the timer: missed and alerted once', () => {
    const d = recordComplaintCallback(complaintIn('investigated'), AGENT, reached, at(NOW, 3 * DAY + HOUR));
    expect(d.complaint.sla.callbackMet).toBe(false);
    expect(d.complaint.alerts).toEqual({
      'sla.complaint_callback_missed': { type: 'sla.complaint_callback_missed', sent: false },
    });
    expect(d.history.map((h) => h.type)).toEqual(['sla.complaint_callback_missed', 'complaint.called_back']);
  });

  it('an attempt after the deadline records the miss and resumes the wait, so the alert goes out', () => {
    const d = recordComplaintCallback(
      parked(complaintIn('investigated'), 'callback'),
      AGENT,
      { reached: false },
      at(NOW, 3 * DAY + HOUR),
    );
    expect(d.complaint.sla.callbackMet).toBe(false);
    expect(d.resume).toBe('tok-1');
  });

  it('before the investigation is a conflict (409), and so is one after closing', () => {
    const early = thrownBy(() => recordComplaintCallback(complaintIn('received'), AGENT, reached, NOW));
    expect(early).toBeInstanceOf(ConflictError);
    expect((early as Error).message).toMatch(/not investigated yet/);
    expect(
      thrownBy(() => recordComplaintCallback(complaintIn('closed'), AGENT, reached, NOW)),
    ).toBeInstanceOf(ConflictError);
  });
});

describe('the workflow timer', () => {
  it('at the end of the day, with nothing filed: investigation missed, once', () => {
    const first = onComplaintTimer(complaintIn('received'), new Date(INVESTIGATION_DUE));
    expect(first?.complaint.sla.investigationMet).toBe(false);
    expect(first?.history.map((h) => [h.type, h.actor])).toEqual([
      ['sla.complaint_investigation_missed', 'system'],
    ]);
    expect(onComplaintTimer(first?.complaint as Complaint, at(NOW, 9 * HOUR))).toBeNull();
  });

  it('at the callback deadline of an investigated complaint: callback missed, once', () => {
    const d = onComplaintTimer(complaintIn('investigated'), new Date(COMPLAINT_CALLBACK_DUE));
    expect(d?.complaint.sla.callbackMet).toBe(false);
    expect(Object.keys(d?.complaint.alerts ?? {})).toEqual(['sla.complaint_callback_missed']);
  });

  it('clears the timed-out token instead of resuming it', () => {
    const d = onComplaintTimer(parked(complaintIn('received'), 'investigation'), new Date(INVESTIGATION_DUE));
    expect(d?.resume).toBeNull();
    expect(d?.complaint.wait).toBeNull();
  });

  it('before any deadline, or on a closed complaint, records nothing', () => {
    expect(onComplaintTimer(complaintIn('received'), at(NOW, HOUR))).toBeNull();
    expect(onComplaintTimer(complaintIn('closed'), at(NOW, 5 * DAY))).toBeNull();
  });
});
