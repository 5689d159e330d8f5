import type { WebhookEventType } from '../../../functions/domain/schemas';
import type { Status } from '../../../functions/domain/types';

// Tables of the API contract (docs/api.md), written out by hand, never imported from the
// domain: a test that checks the code against these catches a wrong edit to the code's own
// tables (lifecycle.ts's TRANSITIONS) instead of mirroring it.

/** The technician webhook table of docs/api.md: which statuses each event moves a job from, and to. */
export const CONTRACT_MOVES: Record<WebhookEventType, { from: readonly Status[]; to: Status }> = {
  'job.accepted': { from: ['booked'], to: 'accepted' },
  'job.rejected': { from: ['booked', 'accepted'], to: 'booked' },
  'job.en_route': { from: ['accepted'], to: 'en_route' },
  'job.arrived': { from: ['accepted', 'en_route'], to: 'arrived' },
  'job.no_access': { from: ['accepted', 'en_route'], to: 'awaiting_reschedule' },
  'job.diagnosed': { from: ['arrived'], to: 'diagnosed' },
  'job.quote_declined': { from: ['diagnosed'], to: 'declined' },
  'job.work_started': { from: ['diagnosed'], to: 'in_progress' },
  'job.completed': { from: ['in_progress'], to: 'completed' },
  'job.unable_to_fix': { from: ['arrived', 'diagnosed', 'in_progress'], to: 'needs_follow_up' },
  'job.site_cleaned': { from: ['completed'], to: 'cleaned' },
  'job.form_signed': { from: ['cleaned'], to: 'signed' },
};
