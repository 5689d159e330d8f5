import { ALERT_SEVERITY, type Caller, type HistoryItem, type Job, propertyOf } from './types';

/** What staff see of the alerts queued on a job: the board's alert feed. */
const alertsView = (job: Job) =>
  Object.values(job.alerts).map((a) => ({ type: a.type, severity: ALERT_SEVERITY[a.type], sent: a.sent }));

/**
 * The Job of the API contract. The S1 waiver and the queued alerts are staff-only; the task
 * token never leaves the server.
 */
export function toJobView(job: Job, caller: Caller) {
  const view = {
    jobId: job.jobId,
    status: job.status,
    priority: job.priority,
    unitId: job.unitId,
    category: job.category,
    description: job.description,
    contactPhone: job.contactPhone,
    locale: job.locale,
    residentId: job.residentId,
    property: propertyOf(job.unitId),
    // Items written before 0.5 carry neither: an app booking, not yet rated.
    channel: job.channel ?? 'app',
    appointment: job.appointment,
    technician: job.technician,
    quote: job.quote,
    laborWaived: job.laborWaived as boolean | undefined,
    sla: job.sla,
    callbackAttempts: job.callbackAttempts,
    rating: job.rating ?? null,
    satisfaction: (job.satisfaction ?? null) as number | null | undefined,
    alerts: alertsView(job) as ReturnType<typeof alertsView> | undefined,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    version: job.version,
  };
  if (caller.role === 'resident') {
    delete view.laborWaived;
    delete view.alerts;
    delete view.satisfaction;
  }
  return view;
}
export type JobView = ReturnType<typeof toJobView>;

/**
 * What a caller may read of a job's history: a resident never sees the S1 waiver recorded on
 * job.completed (an internal policy, never promised to residents), as their Job view omits it.
 */
export function toHistoryView(items: readonly HistoryItem[], caller: Caller): HistoryItem[] {
  if (caller.role !== 'resident') return [...items];
  return items.map((item) => {
    if (!('laborWaived' in item.data)) return item;
    const { laborWaived: _staffOnly, ...data } = item.data;
    return { ...item, data };
  });
}
