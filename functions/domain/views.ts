import {
  ALERT_SEVERITY,
  type Caller,
  type Complaint,
  type HistoryItem,
  type Job,
  propertyOf,
  type StoredHistoryItem,
} from './types';

/** What staff see of the alerts queued on a job or complaint: the board's alert feed. */
const alertsView = (of: Pick<Job | Complaint, 'alerts'>) =>
  Object.values(of.alerts).map((a) => ({ type: a.type, severity: ALERT_SEVERITY[a.type], sent: a.sent }));

/**
 * The Job of the API contract. The S1 waiver, the queued alerts and the dispatcher's offer are
 * staff-only (a resident reads `booked` as "a technician is being found"); the task token never
 * leaves the server.
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
    offer: (job.offer ?? null) as Job['offer'] | undefined,
    quote: job.quote,
    laborWaived: job.laborWaived as boolean | undefined,
    sla: job.sla,
    callbackAttempts: job.callbackAttempts,
    rating: job.rating ?? null,
    satisfaction: (job.satisfaction ?? null) as number | null | undefined,
    links: job.links,
    // Where the PDF is stays on the server: GET /jobs/{id}/form redirects to it.
    form: job.form
      ? { archivedAt: job.form.archivedAt, sha256: job.form.sha256, bytes: job.form.bytes }
      : null,
    alerts: alertsView(job) as ReturnType<typeof alertsView> | undefined,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    version: job.version,
  };
  if (caller.role === 'resident') {
    delete view.laborWaived;
    delete view.alerts;
    delete view.offer;
    delete view.satisfaction;
  }
  return view;
}
export type JobView = ReturnType<typeof toJobView>;

/** Dispatch's own history (offers, give-backs and their reasons): staff-only, as the offer is. */
const STAFF_HISTORY = new Set(['job.assigned', 'job.rejected']);

/** An item without its chain links: a hash over data a caller may not see could be guessed back. */
const unlinked = ({ hash: _hash, prevHash: _prevHash, ...item }: StoredHistoryItem): HistoryItem => item;

/**
 * What a caller may read of a job's history: a resident never sees the S1 waiver recorded on
 * job.completed (an internal policy, never promised to residents), as their Job view omits it,
 * nor whom the job was offered to or who gave it back, nor the technician's photos. Staff read
 * every item with its `hash` and `prevHash`; a resident's items carry none (the hashes cover what
 * their view leaves out).
 */
export function toHistoryView(items: readonly StoredHistoryItem[], caller: Caller): StoredHistoryItem[] {
  if (caller.role !== 'resident') return [...items];
  return items
    .filter((item) => !STAFF_HISTORY.has(item.type) && !technicianPhoto(item))
    .map(unlinked)
    .map((item) => {
      if (!('laborWaived' in item.data) && !('photoIds' in item.data)) return item;
      const { laborWaived: _staffOnly, photoIds: _technicianPhotos, ...data } = item.data;
      return { ...item, data };
    });
}

/** A resident sees their own photos only (photos.ts visiblePhotos): nor the technician's in the history. */
const technicianPhoto = (item: HistoryItem) =>
  item.type.startsWith('job.photo_') && item.data.by === 'technician';

/**
 * The Complaint of the API contract. A resident reads the result of the investigation and when
 * it was filed; its findings, cause and handler (S16's file) and the alerts are staff-only.
 */
export function toComplaintView(c: Complaint, caller: Caller) {
  const staff = caller.role !== 'resident';
  return {
    complaintId: c.complaintId,
    status: c.status,
    category: c.category,
    description: c.description,
    jobId: c.jobId,
    unitId: c.unitId,
    residentId: c.residentId,
    property: propertyOf(c.unitId),
    contactPhone: c.contactPhone,
    locale: c.locale,
    source: c.source,
    sla: c.sla,
    investigation:
      c.investigation &&
      (staff ? c.investigation : { result: c.investigation.result, at: c.investigation.at }),
    callbackAttempts: c.callbackAttempts,
    answerBy: c.answerBy,
    satisfied: c.satisfied,
    ...(staff && { alerts: alertsView(c) }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    version: c.version,
  };
}
export type ComplaintView = ReturnType<typeof toComplaintView>;

/** A resident reads the complaint's history as its view: of the investigation, only its result; no chain links. */
export function toComplaintHistoryView(
  items: readonly StoredHistoryItem[],
  caller: Caller,
): StoredHistoryItem[] {
  if (caller.role !== 'resident') return [...items];
  return items
    .map(unlinked)
    .map((item) =>
      item.type === 'complaint.investigated' ? { ...item, data: { result: item.data.result } } : item,
    );
}
