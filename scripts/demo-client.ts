import { randomUUID } from 'node:crypto';
import {
  type ComplaintView,
  expectStatus,
  type HistoryItem,
  type JobView,
  type LocalNotification,
  type WebhookEvent,
} from '../client/api-client';
import { SigningClient } from '../client/signing-client';

// The demo's only way into the product: the shared typed client (client/api-client.ts) over
// real HTTP, signed technician webhooks (Standard Webhooks) and the /_local/* routes for time
// and outbox. The shortcuts below must answer as the story expects; anything else stops the
// demo with the server's problem details.

export type { ComplaintView, HistoryItem, JobView };
export type Notification = LocalNotification;

export class Api extends SigningClient {
  constructor(baseUrl: string, webhookSecret: string) {
    super(baseUrl, { webhookSecret });
  }

  async token(sub: string, role: 'resident' | 'agent' | 'manager', name: string): Promise<string> {
    return expectStatus(await this.local.createToken({ sub, role, name }), 201, 'POST /_local/tokens').token;
  }

  /** The stack's simulated time. */
  async now(): Promise<string> {
    return expectStatus(await this.local.getClock(), 200, 'GET /_local/clock').now;
  }

  /** Jumps the simulated clock; the server fires due timers and waits until the workflow settles. */
  async advance(seconds: number): Promise<string> {
    return expectStatus(await this.local.advanceClock(seconds), 200, 'POST /_local/clock').now;
  }

  /** What was published about a job (or, with `about`, a complaint); all of it without an id. */
  async notifications(id?: string, about: 'jobId' | 'complaintId' = 'jobId'): Promise<Notification[]> {
    const filter = id ? { [about]: id } : {};
    return expectStatus(await this.local.listNotifications(filter), 200, 'GET /_local/notifications').items;
  }

  async complaint(complaintId: string, token: string): Promise<ComplaintView> {
    return expectStatus(await this.getComplaint(token, complaintId), 200, `GET /complaints/${complaintId}`);
  }

  async complaintHistory(complaintId: string, token: string): Promise<HistoryItem[]> {
    const reply = await this.getComplaintHistory(token, complaintId);
    return expectStatus(reply, 200, `GET /complaints/${complaintId}/history`).items;
  }

  async job(jobId: string, token: string): Promise<JobView> {
    return expectStatus(await this.getJob(token, jobId), 200, `GET /jobs/${jobId}`);
  }

  async history(jobId: string, token: string): Promise<HistoryItem[]> {
    return expectStatus(await this.getJobHistory(token, jobId), 200, `GET /jobs/${jobId}/history`).items;
  }

  /** Sends one technician event, signed as the Standard Webhooks spec says, on the real wall clock. */
  async webhook(event: WebhookEvent, webhookId = `msg_${randomUUID()}`) {
    const reply = await this.postTechnicianEvent(event, { id: webhookId });
    return { ...reply, webhookId };
  }
}
