import type { AlertType, HistoryItem, Job, Status } from '../../../functions/domain/types';
import { CONTRACT_MOVES } from '../support/contract';
import { BEFORE_ARRIVAL, CALLBACK_WINDOW_MS, EVENT_TYPES, QUICK_FIX_MS, URGENT_ARRIVAL_MS } from './model';
import { ladderOf } from './oracle';

// Rebuilds a job's lifecycle state from its history alone (GET /jobs/{id}/history: type, at,
// actor, data), with the contract's rules, independently of the domain code. What the history
// records (job.booked's arrivalDueAt, job.completed's laborWaived) is read, not re-derived, and
// checked against the contract where the history holds enough to check it; a history that
// breaks a rule throws.

export interface Rebuilt {
  status: Status;
  residentId: string;
  priority: Job['priority'];
  category: Job['category'];
  createdAt: string;
  technician: Job['technician'];
  quote: Job['quote'];
  sla: Job['sla'];
  workStartedAt: string | null;
  completedAt: string | null;
  callbackAttempts: number;
  laborWaived: boolean;
  /** The alert types queued on the job (each at most once), sorted. */
  alerts: AlertType[];
}

const ALERT_ITEMS: readonly string[] = [
  'sla.acceptance_warning',
  'sla.arrival_at_risk',
  'sla.arrival_missed',
  'sla.callback_missed',
  'callback.reminder',
  'job.unable_to_fix',
];

const actorId = (actor: string, role: string): string => {
  const [r, ...rest] = actor.split(':');
  if (r !== role || !rest.length) throw new Error(`history actor ${actor} is not a ${role}`);
  return rest.join(':');
};

const iso = (ms: number) => new Date(ms).toISOString();

export function replay(history: readonly HistoryItem[]): Rebuilt {
  const [first, ...rest] = history;
  if (first?.type !== 'job.booked') throw new Error('a history starts with job.booked');
  const priority = first.data.priority as Job['priority'];
  const arrivalDueAt = first.data.arrivalDueAt;
  if (typeof arrivalDueAt !== 'string') throw new Error('job.booked records no arrivalDueAt');
  // S3: urgent on site within 10 minutes (a regular job's appointment is not in the history).
  if (priority === 'urgent' && arrivalDueAt !== iso(Date.parse(first.at) + URGENT_ARRIVAL_MS))
    throw new Error(`an urgent job booked at ${first.at} is due on site at ${arrivalDueAt}`);
  const job: Rebuilt = {
    status: 'booked',
    residentId: actorId(first.actor, 'resident'),
    priority,
    category: first.data.category as Job['category'],
    createdAt: first.at,
    technician: null,
    quote: null,
    sla: {
      arrivalDueAt,
      arrivedAt: null,
      arrivalMet: null,
      noAccess: false,
      callbackDueAt: null,
      callbackMet: null,
    },
    workStartedAt: null,
    completedAt: null,
    callbackAttempts: 0,
    laborWaived: false,
    alerts: [],
  };
  // The ladder's instants are not in the history: the contract derives them from the booking.
  const ladder = ladderOf({ createdAt: first.at, priority, sla: job.sla } as Job);
  job.sla.acceptWarnAt = ladder.acceptWarnAt === null ? null : iso(ladder.acceptWarnAt);
  job.sla.arrivalRiskAt = iso(ladder.arrivalRiskAt);
  const alerts = new Set<AlertType>();

  for (const item of rest) {
    const at = Date.parse(item.at);
    if (ALERT_ITEMS.includes(item.type)) {
      if (alerts.has(item.type as AlertType)) throw new Error(`${item.type} recorded twice`);
      alerts.add(item.type as AlertType);
    }
    if ((EVENT_TYPES as readonly string[]).includes(item.type)) {
      const move = CONTRACT_MOVES[item.type as keyof typeof CONTRACT_MOVES];
      if (!move.from.includes(job.status)) throw new Error(`history moves ${job.status} by ${item.type}`);
      const techId = actorId(item.actor, 'technician');
      if (job.technician && job.technician.id !== techId)
        throw new Error(`${item.type} by ${techId}, but ${job.technician.id} accepted the job`);
      job.status = move.to;
    }
    switch (item.type) {
      case 'job.accepted':
        job.technician = { id: actorId(item.actor, 'technician'), name: item.data.technicianName as string };
        break;
      case 'job.rejected':
        // Given back: nobody is on it any more.
        job.technician = null;
        break;
      case 'job.arrived':
      case 'job.no_access':
        if (item.type === 'job.no_access') job.sla.noAccess = true;
        job.sla.arrivedAt = item.at;
        if (job.sla.arrivalMet === null) job.sla.arrivalMet = at <= Date.parse(job.sla.arrivalDueAt);
        // A late arrival is preceded by the missed-SLA item (by the timer or by this event).
        if (job.sla.arrivalMet === false && !alerts.has('sla.arrival_missed'))
          throw new Error('a late arrival without sla.arrival_missed before it');
        break;
      case 'job.diagnosed': {
        const quote = item.data.quote as { labor: number; parts: number; currency: 'CNY' };
        job.quote = { ...quote, covered: item.data.covered as boolean, fault: item.data.fault as string };
        break;
      }
      case 'job.work_started':
        job.workStartedAt = item.at;
        break;
      case 'job.completed': {
        job.completedAt = item.at;
        const waived = item.data.laborWaived;
        if (typeof waived !== 'boolean') throw new Error('job.completed records no laborWaived');
        // S1: only work finished within 10 minutes of its start may be waived.
        const started = job.workStartedAt ? Date.parse(job.workStartedAt) : Number.NaN;
        if (waived && !(at - started <= QUICK_FIX_MS))
          throw new Error(`labour waived on work of ${at - started} ms`);
        job.laborWaived = waived;
        break;
      }
      case 'job.form_signed': {
        const due = item.data.callbackDueAt;
        if (typeof due !== 'string') throw new Error('job.form_signed records no callbackDueAt');
        // S15: the callback is due one week after the signature.
        if (Date.parse(due) !== at + CALLBACK_WINDOW_MS)
          throw new Error(`callback due at ${due}, not a week on`);
        job.sla.callbackDueAt = due;
        break;
      }
      case 'job.cancelled': {
        // Nobody on site by the deadline is a missed arrival, even if the job is then cancelled.
        const late = BEFORE_ARRIVAL.includes(job.status) && at > Date.parse(job.sla.arrivalDueAt);
        if (late && !alerts.has('sla.arrival_missed'))
          throw new Error('cancelled after the arrival deadline without sla.arrival_missed before it');
        job.status = 'cancelled';
        break;
      }
      case 'callback.attempted':
        job.callbackAttempts += 1;
        break;
      case 'callback.completed':
        job.callbackAttempts += 1;
        job.status = 'closed';
        if (job.sla.callbackMet === null) job.sla.callbackMet = at <= Date.parse(job.sla.callbackDueAt ?? '');
        if (job.sla.callbackMet === false && !alerts.has('sla.callback_missed'))
          throw new Error('a late callback without sla.callback_missed before it');
        break;
      case 'sla.arrival_missed':
        job.sla.arrivalMet = false;
        break;
      case 'sla.callback_missed':
        job.sla.callbackMet = false;
        break;
      case 'callback.reminder':
      case 'sla.acceptance_warning':
      case 'sla.arrival_at_risk':
      case 'job.en_route':
      case 'job.quote_declined':
      case 'job.unable_to_fix':
      case 'job.site_cleaned':
        break;
      default:
        throw new Error(`replay does not know history item ${item.type}`);
    }
  }
  job.alerts = [...alerts].sort();
  return job;
}

/** The same fields, read off a job the domain produced. */
export function rebuiltView(job: Job): Rebuilt {
  return {
    status: job.status,
    residentId: job.residentId,
    priority: job.priority,
    category: job.category,
    createdAt: job.createdAt,
    technician: job.technician,
    quote: job.quote,
    sla: { ...job.sla },
    workStartedAt: job.workStartedAt,
    completedAt: job.completedAt,
    callbackAttempts: job.callbackAttempts,
    laborWaived: job.laborWaived,
    alerts: (Object.keys(job.alerts) as AlertType[]).sort(),
  };
}
