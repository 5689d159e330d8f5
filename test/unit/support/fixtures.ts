import { alertText, noticesFor } from '../../../functions/domain/notifications';
import { type DomainSettings, policyFor } from '../../../functions/domain/policy';
import {
  type WebhookEvent,
  type WebhookEventType,
  webhookEventSchema,
} from '../../../functions/domain/schemas';
import {
  type AlertType,
  type Complaint,
  type ComplaintSla,
  type ComplaintStatus,
  type Job,
  NO_LINKS,
  type Sla,
  type Status,
} from '../../../functions/domain/types';

// Shared builders for the unit suite: one fixed instant, a job in any status, and
// webhook events that pass the real zod schema (so fixtures never drift from the contract).

export const NOW = new Date('2026-11-23T08:00:00.000Z');
export const MINUTE = 60 * 1000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs);
export const iso = (base: Date, offsetMs = 0) => at(base, offsetMs).toISOString();

export const TECH = { id: 't-1', name: 'Wang Wei' };
/** A dispatcher's standing offer of a booked job to TECH. */
export const OFFER = {
  technicianId: TECH.id,
  name: TECH.name,
  at: '2026-11-23T07:58:00.000Z',
  by: 'manager:m-1',
};
export const OTHER_TECH_ID = 't-2';
export const RESIDENT = { sub: 'r-1', role: 'resident' } as const;
export const OTHER_RESIDENT = { sub: 'r-2', role: 'resident' } as const;
export const AGENT = { sub: 'a-1', role: 'agent' } as const;
export const MANAGER = { sub: 'm-1', role: 'manager' } as const;

export function settings(overrides: Partial<DomainSettings> = {}): DomainSettings {
  return {
    policy: { default: { quickFixWaiver: true } },
    timeZone: 'Asia/Shanghai',
    staffLocale: 'en',
    ...overrides,
  };
}

/** The policy of property B2 (every fixture unit's) under these settings: nothing stored, so the defaults and seed. */
export const policyFrom = (s: DomainSettings = settings(), propertyId = 'B2') =>
  policyFor(s, propertyId, null);

export function makeJob(overrides: Partial<Omit<Job, 'sla'>> & { sla?: Partial<Sla> } = {}): Job {
  const { sla, ...rest } = overrides;
  return {
    jobId: 'job-1',
    status: 'booked',
    priority: 'urgent',
    unitId: 'B2-1203',
    category: 'plumbing',
    description: 'Kitchen tap leaking',
    contactPhone: '+8613800138000',
    locale: 'en',
    residentId: RESIDENT.sub,
    channel: 'app',
    appointment: null,
    technician: null,
    offer: null,
    quote: null,
    laborWaived: false,
    workStartedAt: null,
    completedAt: null,
    callbackAttempts: 0,
    rating: null,
    satisfaction: null,
    signedAt: null,
    signature: null,
    form: null,
    links: { ...NO_LINKS },
    recall: null,
    alerts: {},
    wait: null,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    version: 3,
    ...rest,
    sla: {
      arrivalDueAt: iso(NOW, 10 * MINUTE),
      arrivedAt: null,
      arrivalMet: null,
      callbackDueAt: null,
      callbackMet: null,
      ...sla,
    },
  };
}

/** A job in `status`, with a technician once it has been accepted and a callback deadline once signed. */
export function jobIn(status: Status, overrides: Parameters<typeof makeJob>[0] = {}): Job {
  const assigned = status !== 'booked';
  const signed = status === 'signed' || status === 'closed';
  return makeJob({
    status,
    technician: assigned ? { ...TECH } : null,
    ...(signed && { signedAt: NOW.toISOString() }),
    ...overrides,
    sla: {
      ...(signed && { callbackDueAt: iso(NOW, 7 * DAY) }),
      ...overrides.sla,
    },
  });
}

/**
 * NOW is Monday 16:00 in Shanghai, a business day before closing (18:00) on the default
 * calendar: the investigation is due at the end of that day, eight hours on.
 */
export const INVESTIGATION_DUE = '2026-11-23T15:59:59.999Z';
export const COMPLAINT_CALLBACK_DUE = iso(NOW, 3 * DAY);

/** A complaint received at NOW in `status` (investigated and called back at NOW, in time). */
export function complaintIn(
  status: ComplaintStatus,
  overrides: Partial<Omit<Complaint, 'sla'>> & { sla?: Partial<ComplaintSla> } = {},
): Complaint {
  const { sla, ...rest } = overrides;
  const investigated = status !== 'received';
  const closed = status === 'closed';
  return {
    complaintId: 'c-1',
    status,
    category: 'conduct',
    description: 'The technician was rude',
    jobId: 'job-1',
    unitId: 'B2-1203',
    residentId: RESIDENT.sub,
    contactPhone: '+8613800138000',
    locale: 'en',
    source: 'resident',
    investigation: investigated
      ? {
          findings: 'Confirmed',
          cause: 'Stress',
          handler: 'Zhang',
          result: 'Apologised',
          at: NOW.toISOString(),
          by: 'agent:a-1',
        }
      : null,
    callbackAttempts: closed ? 1 : 0,
    answerBy: null,
    satisfied: closed ? true : null,
    alerts: {},
    wait: null,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    version: 2,
    ...rest,
    sla: {
      investigationDueAt: INVESTIGATION_DUE,
      investigatedAt: investigated ? NOW.toISOString() : null,
      investigationMet: investigated ? true : null,
      callbackDueAt: COMPLAINT_CALLBACK_DUE,
      calledBackAt: closed ? NOW.toISOString() : null,
      callbackMet: closed ? true : null,
      ...sla,
    },
  };
}

export const VALID_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const DATA: { [K in WebhookEventType]: Extract<WebhookEvent, { type: K }>['data'] } = {
  'job.accepted': { technicianName: TECH.name },
  'job.rejected': { reason: 'Too far away' },
  'job.en_route': { etaMinutes: 8 },
  'job.arrived': { kit: { tools: true, floorMat: true, cloth: true, shoeCovers: true } },
  'job.no_access': { note: 'Nobody answered the door or the phone' },
  'job.diagnosed': {
    fault: 'Worn washer',
    covered: false,
    quote: { labor: 50, parts: 12, currency: 'CNY' },
    residentAcknowledged: true,
  },
  'job.quote_declined': { reason: 'Too expensive' },
  'job.work_started': {},
  'job.completed': {
    testedWithResident: true,
    explanation: { cause: 'Worn washer', fix: 'Replaced washer', advice: 'Do not overtighten' },
  },
  'job.unable_to_fix': { reason: 'Needs a spare part', takeAway: { consent: true, receiptNo: 'R-77' } },
  'job.site_cleaned': { siteClean: true, belongingsRestored: true },
  'job.form_signed': { signerName: 'Li Na', signature: VALID_PNG },
};

export const EVENT_TYPES = Object.keys(DATA) as WebhookEventType[];

/** A schema-valid webhook event; `data` replaces the default payload for that type. */
export function webhookEvent<K extends WebhookEventType>(
  type: K,
  overrides: {
    jobId?: string;
    technicianId?: string;
    occurredAt?: string;
    data?: Extract<WebhookEvent, { type: K }>['data'];
  } = {},
): Extract<WebhookEvent, { type: K }> {
  const parsed = webhookEventSchema.parse({
    type,
    jobId: overrides.jobId ?? 'job-1',
    technicianId: overrides.technicianId ?? TECH.id,
    occurredAt: overrides.occurredAt ?? NOW.toISOString(),
    data: overrides.data ?? DATA[type],
  });
  return parsed as Extract<WebhookEvent, { type: K }>;
}

/** A job in `from` that `type` may move: a give-back of a booked job needs the offer to TECH. */
export const jobFor = (type: WebhookEventType, from: Status) =>
  jobIn(from, type === 'job.rejected' && from === 'booked' ? { offer: { ...OFFER } } : {});

/** Runs `fn` and returns what it threw; fails the test if it did not throw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}

export function defined<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be defined`);
  return value;
}

/** The fields of the contract's Job, as staff see it (api-contract.md); residents miss STAFF_ONLY_FIELDS. */
export const JOB_VIEW_FIELDS = [
  'jobId',
  'status',
  'priority',
  'unitId',
  'category',
  'description',
  'contactPhone',
  'locale',
  'residentId',
  'appointment',
  'technician',
  'offer',
  'quote',
  'laborWaived',
  'sla',
  'callbackAttempts',
  'rating',
  'satisfaction',
  'links',
  'alerts',
  'createdAt',
  'updatedAt',
  'version',
  // Derived, not copied from the item: the unit's property and how the booking came.
  'property',
  'channel',
  // The archived form without its key (GET /jobs/{id}/form redirects to it).
  'form',
] as const;

/** The fields only staff see (a resident's view omits them). */
export const STAFF_ONLY_FIELDS: readonly string[] = ['laborWaived', 'satisfaction', 'alerts', 'offer'];
/** The view fields that are not a copy of the job item's field of that name. */
export const DERIVED_VIEW_FIELDS: readonly string[] = ['property', 'channel', 'alerts', 'form'];

/** What a decision tells residents and technicians, rendered as the use cases do after the commit. */
export const told = (decision: Parameters<typeof noticesFor>[0]) => noticesFor(decision, settings());

/** A queued alert's words, rendered for the staff as the workflow sends it. */
export function alertWords(job: Job, type: AlertType) {
  const alert = job.alerts[type];
  if (!alert) throw new Error(`no ${type} alert queued`);
  return alertText(job, alert, settings());
}
