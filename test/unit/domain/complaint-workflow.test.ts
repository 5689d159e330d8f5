import { complaintNoticesFor } from '../../../functions/domain/complaint-notices';
import {
  complaintHasNextStep,
  complaintStepFor,
  complaintWaitingStatuses,
  nextComplaintPhase,
} from '../../../functions/domain/complaint-workflow';
import { investigate, receiveComplaint, recordComplaintCallback } from '../../../functions/domain/complaints';
import type { Complaint } from '../../../functions/domain/types';
import {
  AGENT,
  at,
  COMPLAINT_CALLBACK_DUE,
  complaintIn,
  DAY,
  HOUR,
  INVESTIGATION_DUE,
  jobIn,
  NOW,
  policyFrom,
  RESIDENT,
  settings,
} from '../support/fixtures';

// What the complaint's state machine does next, decided from the complaint alone, and the
// words its alerts and the resident's messages carry.

const seconds = (fromIso: string, now: Date) => Math.ceil((Date.parse(fromIso) - now.getTime()) / 1000);
const missed = (c: Complaint, ...types: (keyof Complaint['alerts'])[]): Complaint => ({
  ...c,
  alerts: Object.fromEntries(types.map((type) => [type, { type, sent: true }])),
});

describe('nextComplaintPhase', () => {
  it('waits for the investigation until the end of the day of receipt', () => {
    expect(nextComplaintPhase(complaintIn('received'), NOW)).toEqual({
      phase: 'await_investigation',
      timeoutSeconds: seconds(INVESTIGATION_DUE, NOW),
    });
  });

  it('after a missed investigation, keeps waiting for it until the callback deadline', () => {
    const c = missed(
      complaintIn('received', { sla: { investigationMet: false } }),
      'sla.complaint_investigation_missed',
    );
    const later = at(NOW, 9 * HOUR);
    expect(nextComplaintPhase(c, later)).toEqual({
      phase: 'await_investigation_overdue',
      timeoutSeconds: seconds(COMPLAINT_CALLBACK_DUE, later),
    });
  });

  it('waits for the investigation only until the callback deadline when that comes first (a Friday evening)', () => {
    const callbackFirst = at(NOW, 2 * HOUR).toISOString();
    const c = complaintIn('received', { sla: { callbackDueAt: callbackFirst } });

    expect(nextComplaintPhase(c, NOW)).toEqual({
      phase: 'await_investigation',
      timeoutSeconds: seconds(callbackFirst, NOW),
    });
  });

  it('keeps waiting for the investigation to its own deadline once the earlier callback was missed', () => {
    const c = missed(
      complaintIn('received', {
        sla: { callbackDueAt: at(NOW, 2 * HOUR).toISOString(), callbackMet: false },
      }),
      'sla.complaint_callback_missed',
    );
    const later = at(NOW, 3 * HOUR);

    expect(nextComplaintPhase(c, later)).toEqual({
      phase: 'await_investigation',
      timeoutSeconds: seconds(INVESTIGATION_DUE, later),
    });
  });

  it('once investigated, waits for the callback until its deadline', () => {
    expect(nextComplaintPhase(complaintIn('investigated'), at(NOW, DAY))).toEqual({
      phase: 'await_callback',
      timeoutSeconds: seconds(COMPLAINT_CALLBACK_DUE, at(NOW, DAY)),
    });
  });

  it('after a missed callback, waits without a timer, investigated or not', () => {
    const overdue = { sla: { callbackMet: false } } as const;
    const investigated = missed(complaintIn('investigated', overdue), 'sla.complaint_callback_missed');
    const received = missed(
      complaintIn('received', { sla: { investigationMet: false, callbackMet: false } }),
      'sla.complaint_investigation_missed',
      'sla.complaint_callback_missed',
    );
    expect(nextComplaintPhase(investigated, at(NOW, 4 * DAY))).toEqual({ phase: 'await_callback_overdue' });
    expect(nextComplaintPhase(received, at(NOW, 4 * DAY))).toEqual({ phase: 'await_callback_overdue' });
  });

  it('sends a queued alert before anything else, and is done only when closed with nothing to send', () => {
    const queued = {
      ...complaintIn('closed'),
      alerts: { 'sla.complaint_callback_missed': { type: 'sla.complaint_callback_missed', sent: false } },
    } as Complaint;
    expect(nextComplaintPhase(queued, NOW).phase).toBe('send_alert');
    expect(complaintHasNextStep(queued)).toBe(true);
    expect(nextComplaintPhase(complaintIn('closed'), NOW)).toEqual({ phase: 'done' });
    expect(complaintHasNextStep(complaintIn('closed'))).toBe(false);
  });
});

describe('complaintWaitingStatuses', () => {
  it('waits for the investigation only while received, for the callback until closed', () => {
    expect(complaintWaitingStatuses('investigation')).toEqual(['received']);
    expect(complaintWaitingStatuses('callback')).toEqual(['received', 'investigated']);
  });
});

describe('complaintStepFor', () => {
  it('carries each queued alert with its stable id and words, then the step after both are sent', () => {
    const late = investigate(
      complaintIn('received'),
      AGENT,
      { findings: 'f', cause: 'c', handler: 'h', result: 'r' },
      at(NOW, 4 * DAY),
    );
    const step = complaintStepFor(late.complaint, at(NOW, 4 * DAY), settings());
    expect(step.phase).toBe('send_alert');
    expect(step.alert).toMatchObject({ id: 'c-1:sla.complaint_investigation_missed', severity: 'critical' });
    expect(step.alert?.message).toMatch(/investigated only at .*, 3 days late/);
    expect(step.afterAlert?.alert).toMatchObject({
      id: 'c-1:sla.complaint_callback_missed',
      severity: 'critical',
    });
    // Investigated, and its callback deadline already passed: it waits on without a timer.
    expect(step.afterAlert?.afterAlert).toEqual({
      complaintId: 'c-1',
      phase: 'await_callback_overdue',
      timeoutSeconds: null,
      alert: null,
      afterAlert: null,
    });
  });

  it('renders a timer-found investigation miss as the deadline passing, in the staff language', () => {
    const c = {
      ...complaintIn('received', { sla: { investigationMet: false } }),
      alerts: {
        'sla.complaint_investigation_missed': { type: 'sla.complaint_investigation_missed', sent: false },
      },
    } as Complaint;
    const zh = complaintStepFor(c, at(NOW, 9 * HOUR), settings({ staffLocale: 'zh-CN' }));
    expect(zh.alert?.subject).toBe('投诉调查超时');
    expect(zh.alert?.message).toBe('投诉 c-1(单元 B2-1203,服务态度)未在当天 11月23日 23:59 前完成调查。');
  });
});

describe('the resident is told', () => {
  it('on receipt, by when we investigate and call back, in their language', () => {
    const d = receiveComplaint(
      { jobId: 'job-1', category: 'quality', description: 'Leaks again' },
      RESIDENT,
      'c-9',
      NOW,
      policyFrom(),
      jobIn('closed', { locale: 'zh-CN' }),
    );
    expect(complaintNoticesFor(d, settings())).toEqual([
      {
        topic: 'residents',
        type: 'complaint.received',
        subject: '投诉已受理',
        message:
          '您关于维修质量的投诉已受理(编号 c-9)。我们将于 11月23日 23:59 前完成调查,并于 11月26日 16:00 前给您回电。',
      },
    ]);
  });

  it('the result of the investigation, and thanks after the callback, but nothing for an attempt', () => {
    const filed = investigate(
      complaintIn('received'),
      AGENT,
      { findings: 'f', cause: 'c', handler: 'h', result: 'We replaced the part' },
      NOW,
    );
    expect(complaintNoticesFor(filed, settings()).map((n) => n.message)).toEqual([
      'We have looked into your complaint (no. c-1): We replaced the part. We will call you soon to hear what you think.',
    ]);
    const attempt = recordComplaintCallback(filed.complaint, AGENT, { reached: false }, NOW);
    expect(complaintNoticesFor(attempt, settings())).toEqual([]);
    const reached = recordComplaintCallback(filed.complaint, AGENT, { reached: true, satisfied: true }, NOW);
    expect(complaintNoticesFor(reached, settings()).map((n) => n.subject)).toEqual(['Thank you']);
  });
});
