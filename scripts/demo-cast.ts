import {
  type BookingRequest,
  type CallbackRequest,
  expectStatus,
  type WebhookEvent,
} from '../client/api-client';
import { defaultCalendar } from '../functions/domain/business-calendar';
import type { Api, JobView, Notification } from './demo-client';
import type { Checks, Timeline } from './demo-timeline';

// The people in the story, each acting only through the HTTP API: residents book,
// technicians send signed webhooks, agents record callbacks, and the clock jumps.

export interface Ctx {
  api: Api;
  tl: Timeline;
  checks: Checks;
  /** An agent's token: reads jobs and records callbacks. */
  agent: string;
}

/** A 1×1 greyscale PNG, standing in for the resident's signature (S12). */
export const SIGNATURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';
/** The properties' calendar: nobody configures one, so 09:00–18:00 Monday to Friday in the stack's zone. */
export const CALENDAR = defaultCalendar('Asia/Shanghai');

export const FULL_KIT = { tools: true, floorMat: true, cloth: true, shoeCovers: true };

export const alertsOf = (items: Notification[]) =>
  items.filter((n) => n.topic === 'alerts').map((n) => `${n.attributes.type}/${n.attributes.severity}`);

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [d && `${d}d`, h && `${h}h`, m && `${m}min`].filter(Boolean).join(' ') || '0min';
}

export async function book(ctx: Ctx, token: string, who: string, body: BookingRequest): Promise<JobView> {
  const job = expectStatus(await ctx.api.bookJob(token, body), 201, 'POST /jobs');
  const what = `books ${job.priority} ${job.category} (${job.locale}): "${job.description}"`;
  ctx.tl.line(job.createdAt, `resident ${who}`, what, job.status);
  ctx.tl.note(`job ${job.jobId}, on site by ${job.sla.arrivalDueAt}`);
  await ctx.tl.news(job.jobId);
  return job;
}

/** Jumps the simulated clock and returns what was published for the job meanwhile. */
export async function jump(ctx: Ctx, jobId: string, seconds: number, why: string): Promise<Notification[]> {
  // Let the workflow park (and arm its timers) before time moves: see the report on local/stack.ts.
  await ctx.api.advance(0);
  const now = await ctx.api.advance(seconds);
  const job = await ctx.api.job(jobId, ctx.agent);
  ctx.tl.line(now, 'clock', `+${duration(seconds)}: ${why}`, job.status);
  return ctx.tl.news(jobId);
}

export async function recordCallback(
  ctx: Ctx,
  jobId: string,
  body: CallbackRequest,
  what: string,
  expected: string,
): Promise<JobView> {
  const job = expectStatus(
    await ctx.api.recordCallback(ctx.agent, jobId, body),
    200,
    `POST /jobs/${jobId}/callback`,
  );
  if (job.status !== expected)
    throw new Error(`the callback left job ${jobId} ${job.status}, expected ${expected}`);
  ctx.tl.line(job.updatedAt, 'agent Zhou', what, job.status);
  ctx.tl.note(`sla.callbackMet = ${job.sla.callbackMet}`);
  await ctx.tl.news(jobId);
  return job;
}

export interface Sent {
  webhookId: string;
  event: WebhookEvent;
}

export class Technician {
  constructor(
    private readonly ctx: Ctx,
    readonly id: string,
    readonly name: string,
  ) {}

  /** One signed event; the job must answer 202 and move to `expected`. */
  async send(jobId: string, type: string, data: object, what: string, expected: string): Promise<Sent> {
    const at = await this.ctx.api.now();
    // The story pairs each type with its data; the schema's union cannot see that through a string.
    const event = { type, jobId, technicianId: this.id, occurredAt: at, data } as WebhookEvent;
    const reply = await this.ctx.api.webhook(event);
    if (!reply.ok || reply.status !== 202 || reply.body.status !== expected)
      throw new Error(
        `${type} answered ${reply.status} ${JSON.stringify(reply.body)}, expected 202 ${expected}`,
      );
    this.ctx.tl.line(at, `technician ${this.name}`, what, reply.body.status);
    await this.ctx.tl.news(jobId);
    return { webhookId: reply.webhookId, event };
  }

  /** The technician's app delivers the same event again (same webhook-id): 200, nothing changes. */
  async redeliver(sent: Sent, expected: string): Promise<boolean> {
    const at = await this.ctx.api.now();
    const reply = await this.ctx.api.webhook(sent.event, sent.webhookId);
    const what = `app redelivers ${sent.event.type} (same webhook-id) → ${reply.status}`;
    const status = reply.ok ? reply.body.status : `problem ${reply.body.title}`;
    this.ctx.tl.line(at, `technician ${this.name}`, what, status);
    return reply.status === 200 && status === expected;
  }
}
