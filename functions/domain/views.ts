import type { Caller, HistoryItem, Job } from './types';

/** The Job of the API contract. The S1 waiver is staff-only; tokens and queued alerts never leave the server. */
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
    appointment: job.appointment,
    technician: job.technician,
    quote: job.quote,
    laborWaived: job.laborWaived as boolean | undefined,
    sla: job.sla,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    version: job.version,
  };
  if (caller.role === 'resident') delete view.laborWaived;
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
