import * as z from 'zod';
import { DEFAULT_MAX_OPEN_JOBS, DEFAULT_PROPERTY, DEFAULT_SLA, DISPATCH_MODES } from './policy';
import {
  CATEGORIES,
  CHANNELS,
  COMPLAINT_CATEGORIES,
  COMPLAINT_STATUSES,
  LOCALES,
  PRIORITIES,
  STATUSES,
} from './types';
import { DELIVERY_STATUSES, EVENT_FILTER } from './webhook-types';

// Unknown fields are rejected everywhere (z.strictObject), so a resident cannot set
// status, technician or sla through a request body.

const isoTime = z.iso.datetime({ precision: 3, message: 'must be an ISO 8601 UTC time with milliseconds' });

const unitId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'must be 1-32 letters, digits or dashes');
const description = z.string().trim().min(1).max(1000);
const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number, e.g. +8613800138000');
const residentId = z.string().min(1).max(128);
const jobId = z.string().min(1).max(64);
const appointment = z.strictObject({ start: isoTime, end: isoTime });
/** A property code: the part of a unitId before its dash. */
export const propertyId = z
  .string()
  .regex(/^[A-Za-z0-9]{1,32}$/, 'must be a property code: 1-32 letters or digits');
const limit = z.coerce.number().int().min(1).max(100).default(20);
const nextToken = z.string().max(2048).optional();

export const bookingSchema = z.strictObject({
  unitId,
  category: z.enum(CATEGORIES),
  description,
  priority: z.enum(PRIORITIES),
  contactPhone: phone,
  locale: z.enum(LOCALES).default('zh-CN'),
  appointment: appointment.optional(),
  /** Phone intake (S18): the resident an agent books for; only agents may name one. */
  residentId: residentId.optional(),
  channel: z.enum(CHANNELS).optional(),
});
export type BookingRequest = z.infer<typeof bookingSchema>;

export const callbackSchema = z
  .strictObject({
    reached: z.boolean(),
    satisfaction: z.number().int().min(1).max(5).optional(),
    comment: z.string().trim().max(1000).optional(),
    issueResolved: z.boolean().optional(),
    /** The rework visit agreed on the call when the issue is not resolved (issue #11). */
    rework: z.strictObject({ appointment }).optional(),
  })
  .superRefine((body, ctx) => {
    const unresolved = body.reached && body.issueResolved === false;
    if (unresolved && body.rework === undefined)
      ctx.addIssue({ code: 'custom', path: ['rework'], message: 'required when issueResolved is false' });
    if (!unresolved && body.rework !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rework'],
        message: 'only when reached and issueResolved is false',
      });
    if (!body.reached) return;
    if (body.satisfaction === undefined)
      ctx.addIssue({ code: 'custom', path: ['satisfaction'], message: 'required when reached is true' });
    if (body.issueResolved === undefined)
      ctx.addIssue({ code: 'custom', path: ['issueResolved'], message: 'required when reached is true' });
  });
export type CallbackRequest = z.infer<typeof callbackSchema>;

export const ratingSchema = z.strictObject({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(500).optional(),
});
export type RatingRequest = z.infer<typeof ratingSchema>;

export const cancelSchema = z.strictObject({ reason: z.string().trim().max(500).optional() });
export type CancelRequest = z.infer<typeof cancelSchema>;

/** A query flag: `true` or `false`. */
const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const listQuerySchema = z.strictObject({
  status: z.enum(STATUSES).optional(),
  /** Staff only: the jobs still open (the board), oldest first. */
  open: flag,
  /** Staff only: one property's jobs (within the caller's scope). */
  property: propertyId.optional(),
  limit,
  nextToken,
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Who agreed to a new time: the resident themselves (the app, in person), or by phone with an agent. */
export const RESCHEDULE_CONSENTS = ['resident', 'phone'] as const;

/** A new appointment agreed with the resident, before arrival or after a visit nobody answered. */
export const rescheduleSchema = z.strictObject({ appointment, consent: z.enum(RESCHEDULE_CONSENTS) });
export type RescheduleRequest = z.infer<typeof rescheduleSchema>;

/** A manager opens a follow-up visit of a needs_follow_up job at the agreed time. */
export const followUpSchema = z.strictObject({ appointment });
export type FollowUpRequest = z.infer<typeof followUpSchema>;

export const complaintSchema = z
  .strictObject({
    jobId: jobId.optional(),
    unitId: unitId.optional(),
    category: z.enum(COMPLAINT_CATEGORIES),
    description,
    contactPhone: phone.optional(),
    locale: z.enum(LOCALES).optional(),
    /** Staff taking a resident's complaint name the resident; a resident never does. */
    residentId: residentId.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.jobId === undefined && body.unitId === undefined)
      ctx.addIssue({ code: 'custom', path: ['jobId'], message: 'jobId or unitId is required' });
  });
export type ComplaintRequest = z.infer<typeof complaintSchema>;

const filed = z.string().trim().min(1).max(1000);
export const investigationSchema = z.strictObject({
  findings: filed,
  cause: filed,
  handler: z.string().trim().min(1).max(100),
  result: filed,
});
export type InvestigationRequest = z.infer<typeof investigationSchema>;

export const complaintCallbackSchema = z
  .strictObject({
    reached: z.boolean(),
    satisfied: z.boolean().optional(),
    comment: z.string().trim().max(1000).optional(),
    /** S17: when the resident will get the answer the call could not give. */
    answerBy: isoTime.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.reached && body.satisfied === undefined)
      ctx.addIssue({ code: 'custom', path: ['satisfied'], message: 'required when reached is true' });
  });
export type ComplaintCallbackRequest = z.infer<typeof complaintCallbackSchema>;

export const complaintListQuerySchema = z.strictObject({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  /** Staff only: the complaints still open (the agents' queue), the nearest deadline first. */
  open: flag,
  /** Staff only: one property's complaints (within the caller's scope). */
  property: propertyId.optional(),
  limit,
  nextToken,
});
export type ComplaintListQuery = z.infer<typeof complaintListQuerySchema>;

export const monthlyReportQuerySchema = z.strictObject({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM'),
  /** One property's figures (the part of a unitId before its dash); absent = the whole company. */
  property: propertyId.optional(),
});
export type MonthlyReportQuery = z.infer<typeof monthlyReportQuerySchema>;

const localDate = z.iso.date({ message: 'must be a local date, YYYY-MM-DD' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time, HH:MM');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone, e.g. Asia/Shanghai');

export const propertySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  timeZone: timeZone.default(DEFAULT_PROPERTY.timeZone),
  quickFixWaiver: z.boolean().default(DEFAULT_PROPERTY.quickFixWaiver),
  dispatch: z.enum(DISPATCH_MODES).default(DEFAULT_PROPERTY.dispatch),
  businessHours: z
    .strictObject({ start: clockTime, end: clockTime })
    .refine((h) => h.start < h.end, { message: 'end must be after start', path: ['end'] })
    .default(DEFAULT_PROPERTY.businessHours),
  workdays: z
    .array(z.number().int().min(1).max(7))
    .max(7)
    .refine((d) => new Set(d).size === d.length, 'must not repeat a day')
    .default(DEFAULT_PROPERTY.workdays),
  holidays: z.array(localDate).max(366).default([]),
  extraWorkdays: z.array(localDate).max(366).default([]),
  sla: z
    .strictObject({
      urgentArrivalMinutes: z.number().int().min(1).max(240).default(DEFAULT_SLA.urgentArrivalMinutes),
      acceptWarnMinutes: z.number().int().min(1).max(240).default(DEFAULT_SLA.acceptWarnMinutes),
      arrivalRiskPercent: z.number().int().min(1).max(99).default(DEFAULT_SLA.arrivalRiskPercent),
      callbackDays: z.number().int().min(1).max(30).default(DEFAULT_SLA.callbackDays),
    })
    .refine((s) => s.acceptWarnMinutes < s.urgentArrivalMinutes, {
      message: 'must be shorter than urgentArrivalMinutes',
      path: ['acceptWarnMinutes'],
    })
    .default(DEFAULT_SLA),
});

export const technicianId = z.string().min(1).max(64);

export const technicianSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  skills: z.array(z.enum(CATEGORIES)).min(1).max(CATEGORIES.length),
  properties: z.array(propertyId).min(1).max(100),
  onDuty: z.boolean(),
  maxOpenJobs: z.number().int().min(1).max(50).default(DEFAULT_MAX_OPEN_JOBS),
});

/** A dispatcher offers a booked job to one technician (POST /jobs/{jobId}/assign). */
export const assignSchema = z.strictObject({ technicianId });
export type AssignRequest = z.infer<typeof assignSchema>;

export const technicianListQuerySchema = z.strictObject({ property: propertyId.optional() });

/** What a photo may be (photos.ts): JPEG, PNG or HEIC, at most 10 MiB. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/heif'] as const;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

const photoUpload = {
  contentType: z.enum(PHOTO_TYPES, { message: `must be one of ${PHOTO_TYPES.join(', ')}` }),
  bytes: z.number().int().min(1).max(MAX_PHOTO_BYTES, 'must be at most 10 MiB (10485760 bytes)'),
};

/** A resident asks to upload a photo of the fault: its type and size fix the presigned POST's policy. */
export const photoRequestSchema = z.strictObject(photoUpload);
export type PhotoRequest = z.infer<typeof photoRequestSchema>;

/** The technicians' platform asks the same for the technician holding the job (POST /webhooks/technician/uploads). */
export const technicianUploadSchema = z.strictObject({ jobId, technicianId, ...photoUpload });
export type TechnicianUploadRequest = z.infer<typeof technicianUploadSchema>;

/** The technician's photos an arrival (before) or a completion (after) names: ids from the uploads route. */
const photoIds = z.array(z.string().min(1).max(64)).max(6).optional();

const MAX_SIGNATURE_BASE64 = Math.ceil((200 * 1024) / 3) * 4;

const eventBase = {
  jobId,
  technicianId,
  occurredAt: isoTime,
};

function event<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ type: z.literal(type), ...eventBase, data });
}

export const webhookEventSchema = z.discriminatedUnion('type', [
  event('job.accepted', z.strictObject({ technicianName: z.string().trim().min(1).max(100) })),
  event('job.rejected', z.strictObject({ reason: z.string().trim().min(1).max(500) })),
  event('job.en_route', z.strictObject({ etaMinutes: z.number().int().min(0).max(600).optional() })),
  event(
    'job.arrived',
    z.strictObject({
      kit: z.strictObject({
        tools: z.boolean(),
        floorMat: z.boolean(),
        cloth: z.boolean(),
        shoeCovers: z.boolean(),
      }),
      photoIds,
    }),
  ),
  // On site, nobody answers the door: the arrival is settled, the job waits for a new time.
  event('job.no_access', z.strictObject({ note: z.string().trim().max(1000).optional() })),
  event(
    'job.diagnosed',
    z.strictObject({
      fault: z.string().trim().min(1).max(1000),
      covered: z.boolean(),
      quote: z.strictObject({
        labor: z.number().min(0).max(1_000_000),
        parts: z.number().min(0).max(1_000_000),
        currency: z.literal('CNY'),
      }),
      residentAcknowledged: z.literal(true, { message: 'the fault and price must be explained first (S5)' }),
    }),
  ),
  event('job.quote_declined', z.strictObject({ reason: z.string().trim().max(500).optional() })),
  event('job.work_started', z.strictObject({})),
  event(
    'job.completed',
    z.strictObject({
      testedWithResident: z.literal(true, {
        message: 'the fix must be tested in front of the resident (S10)',
      }),
      explanation: z.strictObject({
        cause: z.string().trim().min(1).max(1000),
        fix: z.string().trim().min(1).max(1000),
        advice: z.string().trim().min(1).max(1000),
      }),
      photoIds,
    }),
  ),
  event(
    'job.unable_to_fix',
    z.strictObject({
      reason: z.string().trim().min(1).max(1000),
      takeAway: z
        .strictObject({
          consent: z.literal(true, { message: "the resident's consent is required (S9)" }),
          receiptNo: z.string().trim().min(1).max(64),
        })
        .optional(),
    }),
  ),
  event(
    'job.site_cleaned',
    z.strictObject({
      siteClean: z.literal(true, { message: 'the site must be left clean (S2)' }),
      belongingsRestored: z.literal(true, { message: "the resident's belongings must be put back (S11)" }),
    }),
  ),
  event(
    'job.form_signed',
    z.strictObject({
      signerName: z.string().trim().min(1).max(100),
      signature: z
        .string()
        .max(MAX_SIGNATURE_BASE64, 'must be a base64 PNG of at most 200 KiB')
        .regex(/^iVBORw0KGgo[A-Za-z0-9+/]*={0,2}$/, 'must be a base64-encoded PNG'),
    }),
  ),
]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookEventType = WebhookEvent['type'];

/** An outbound webhook endpoint (functions/domain/webhooks.ts); the URL is checked further (webhook-target.ts). */
export const webhookEndpointSchema = z.strictObject({
  url: z.string().min(1).max(2048),
  events: z
    .array(
      z.string().max(64).regex(EVENT_FILTER, 'must be an event type (job.completed), a family (job.*) or *'),
    )
    .min(1)
    .max(20),
  description: z.string().trim().min(1).max(200).optional(),
});
export type WebhookEndpointRequest = z.infer<typeof webhookEndpointSchema>;

export const deliveryListQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit,
  nextToken,
});
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;

export const endpointId = z.string().regex(/^ep_[A-Za-z0-9_-]{16}$/, 'must be an endpoint id (ep_…)');
export const deliveryId = z
  .string()
  .regex(/^[jc]\.[A-Za-z0-9-]{1,40}\.[A-Za-z0-9_-]{12}$/, 'must be a delivery id');

/** The deliverer's event (functions/deliver-webhooks): one queue. */
export const deliveryQueueSchema = z.object({
  endpointId,
  subject: z.object({ kind: z.enum(['job', 'complaint']), id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) }),
});
