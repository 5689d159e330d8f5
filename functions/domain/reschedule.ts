import { ConflictError, ValidationError } from './errors';
import { actorOf, entry } from './history';
import { checkAppointment, commit, type Decision } from './lifecycle';
import type { PropertyPolicy } from './policy';
import type { RescheduleRequest } from './schemas';
import { isBeforeArrival, ladderInstants } from './sla';
import type { Caller, Job, Status } from './types';

// A new time agreed with the resident: before anyone arrived, or after a visit nobody answered
// (awaiting_reschedule). The arrival deadline moves to the new appointment's start and the
// ladder is timed again from now; a deadline that moves is not missed (lifecycle.ts commit()
// hands the parked wait back, so the machine sets its timer for the new deadline).

/** Before arrival, or waiting for a new time after nobody answered. */
export const RESCHEDULABLE: readonly Status[] = ['booked', 'accepted', 'en_route', 'awaiting_reschedule'];

export function rescheduleJob(
  job: Job,
  caller: Caller,
  body: RescheduleRequest,
  now: Date,
  policy: PropertyPolicy,
): Decision {
  // A resident agrees for themselves; only staff record an agreement made on a call.
  if (caller.role === 'resident' && body.consent !== 'resident')
    throw new ValidationError('A resident agrees to a new time themselves', [
      { path: 'consent', message: 'must be resident when the resident reschedules' },
    ]);
  if (!RESCHEDULABLE.includes(job.status))
    throw new ConflictError(
      `Job ${job.jobId} is ${job.status}; a reschedule is allowed only when it is ${RESCHEDULABLE.join(' or ')}`,
    );
  // The booking's own appointment rules, as for a regular booking.
  checkAppointment(
    {
      unitId: job.unitId,
      category: job.category,
      description: job.description,
      priority: 'regular',
      contactPhone: job.contactPhone,
      locale: job.locale,
      appointment: body.appointment,
    },
    now,
    policy,
  );
  const due = new Date(body.appointment.start).toISOString();
  const next: Job = {
    ...job,
    // The technician keeps the job; one on the way (or who found nobody) comes at the new time.
    status: isBeforeArrival(job.status) && job.status !== 'en_route' ? job.status : 'accepted',
    appointment: body.appointment,
    alerts: { ...job.alerts },
    // Timed by the appointment from now on, an urgent job too (it keeps its priority): a fresh
    // arrival SLA for the new visit, the ladder timed from now. Each alert still goes once per job.
    sla: {
      ...job.sla,
      arrivalDueAt: due,
      ...ladderInstants(false, now, due, policy.sla),
      arrivedAt: null,
      arrivalMet: null,
    },
  };
  const data = {
    consent: body.consent,
    appointment: body.appointment,
    previousArrivalDueAt: job.sla.arrivalDueAt,
    arrivalDueAt: due,
  };
  return commit(job, next, now, [entry('job.rescheduled', now, actorOf(caller), data)]);
}
