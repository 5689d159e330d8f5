import { applyWebhook } from '../../../functions/domain/lifecycle';
import { DEFAULT_PROPERTY, type PolicyConfig, policyFor } from '../../../functions/domain/policy';
import { propertyOf } from '../../../functions/domain/types';
import { toHistoryView, toJobView } from '../../../functions/domain/views';
import {
  AGENT,
  at,
  JOB_VIEW_FIELDS,
  jobIn,
  MANAGER,
  MINUTE,
  NOW,
  RESIDENT,
  settings,
  webhookEvent,
} from '../support/fixtures';

describe('toJobView', () => {
  const job = jobIn('completed', {
    laborWaived: true,
    workStartedAt: '2026-11-23T08:20:00.000Z',
    completedAt: '2026-11-23T08:25:00.000Z',
    wait: { token: 'secret-task-token', milestone: 'visit_end' },
    alerts: {
      'job.unable_to_fix': {
        type: 'job.unable_to_fix',
        sent: true,
      },
    },
  });

  it('hides the S1 waiver from the resident', () => {
    expect(toJobView(job, RESIDENT)).not.toHaveProperty('laborWaived');
  });

  it.each([AGENT, MANAGER])('shows the S1 waiver to a $role', (caller) => {
    expect(toJobView(job, caller).laborWaived).toBe(true);
  });

  it.each([RESIDENT, AGENT, MANAGER])('never lets the task token out, not even to a $role', (caller) => {
    const view = toJobView(job, caller);

    expect(view).not.toHaveProperty('wait');
    expect(JSON.stringify(view)).not.toContain('secret-task-token');
  });

  it('shows staff each queued alert by type, severity and whether it went out', () => {
    expect(toJobView(job, AGENT).alerts).toEqual([
      { type: 'job.unable_to_fix', severity: 'warning', sent: true },
    ]);
  });

  it("keeps the alerts and the callback's satisfaction from the resident", () => {
    const view = toJobView({ ...job, satisfaction: 2 }, RESIDENT);

    expect(view).not.toHaveProperty('alerts');
    expect(view).not.toHaveProperty('satisfaction');
  });

  it('names the property from the unit id', () => {
    expect(toJobView({ ...job, unitId: 'A1-0302' }, AGENT).property).toBe('A1');
  });

  it('holds exactly the fields of the contract Job, for staff', () => {
    expect(Object.keys(toJobView(job, MANAGER)).sort()).toEqual([...JOB_VIEW_FIELDS].sort());
  });

  it('copies the SLA block as stored', () => {
    expect(toJobView(job, RESIDENT).sla).toEqual(job.sla);
  });

  it('does not change the stored job when hiding the waiver', () => {
    toJobView(job, RESIDENT);

    expect(job.laborWaived).toBe(true);
  });
});

describe('propertyOf', () => {
  it('is the part of the unitId before the first dash', () => {
    expect(propertyOf('B2-1203')).toBe('B2');
  });

  it('is the whole unitId when it has no dash', () => {
    expect(propertyOf('VILLA7')).toBe('VILLA7');
  });

  it('stops at the first dash', () => {
    expect(propertyOf('T1-12-03')).toBe('T1');
  });
});

describe('policyFor', () => {
  const seed = (policy: PolicyConfig) => ({ policy, timeZone: 'Asia/Shanghai' });

  it('gives an unconfigured property the defaults, with the seed default waiver', () => {
    const policy = policyFor(seed({ default: { quickFixWaiver: false } }), 'B2', null);

    expect(policy).toEqual({ ...DEFAULT_PROPERTY, name: 'B2', propertyId: 'B2', configured: false });
  });

  it("uses the seed's override for that property", () => {
    const config = { default: { quickFixWaiver: false }, properties: { B2: { quickFixWaiver: true } } };

    expect(policyFor(seed(config), 'B2', null).quickFixWaiver).toBe(true);
  });

  it("does not apply one property's override to another", () => {
    const config = { default: { quickFixWaiver: false }, properties: { B2: { quickFixWaiver: true } } };

    expect(policyFor(seed(config), 'B20', null).quickFixWaiver).toBe(false);
  });

  it('takes the time zone of the deployment for an unconfigured property', () => {
    expect(
      policyFor({ ...seed({ default: { quickFixWaiver: false } }), timeZone: 'Europe/Berlin' }, 'B2', null)
        .timeZone,
    ).toBe('Europe/Berlin');
  });

  it('uses what was stored for a configured property, whatever the seed says', () => {
    const stored = { ...DEFAULT_PROPERTY, name: 'Garden', quickFixWaiver: false, timeZone: 'Asia/Tokyo' };
    const config = { default: { quickFixWaiver: true } };

    expect(policyFor(seed(config), 'B2', stored)).toEqual({ ...stored, propertyId: 'B2', configured: true });
  });
});

describe('toHistoryView (S1: the waiver is staff-only)', () => {
  const started = jobIn('in_progress', { workStartedAt: NOW.toISOString() });
  const { history } = applyWebhook(
    started,
    webhookEvent('job.completed'),
    at(NOW, 4 * MINUTE),
    policyFor(settings(), propertyOf(started.unitId), null),
  );

  it('shows staff the waiver recorded on job.completed', () => {
    expect(toHistoryView(history, AGENT)[0]?.data.laborWaived).toBe(true);
    expect(toHistoryView(history, MANAGER)).toEqual(history);
  });

  it('leaves the waiver out of what a resident reads, and keeps the rest of the item', () => {
    const [item] = toHistoryView(history, RESIDENT);

    expect(item?.data).not.toHaveProperty('laborWaived');
    expect(item).toMatchObject({ type: 'job.completed', data: { testedWithResident: true } });
    expect(history[0]?.data.laborWaived).toBe(true);
  });
});
