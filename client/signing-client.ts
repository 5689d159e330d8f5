import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../functions/http/webhook-signature';
import {
  ApiClient,
  type ClientOptions,
  type PhotoUpload,
  type TechnicianUploadRequest,
  type WebhookAnswer,
  type WebhookEvent,
  type WebhookOptions,
} from './api-client';

// The typed client plus the technicians' platform: it signs each webhook per Standard Webhooks
// with the shared secret. Apart from ApiClient because signing needs node:crypto, which the
// browser bundle of the same client must not pull in.

export interface SigningClientOptions extends ClientOptions {
  /** The technician webhook secret (`whsec_…`, as in TECH_WEBHOOK_SECRET) that postTechnicianEvent signs with. */
  webhookSecret?: string;
}

export class SigningClient extends ApiClient {
  readonly webhookSecret: string | undefined;

  constructor(url: string, opts: SigningClientOptions = {}) {
    super(url, opts);
    this.webhookSecret = opts.webhookSecret;
  }

  /**
   * POST /webhooks/technician, signed per Standard Webhooks (webhook-id, webhook-timestamp,
   * webhook-signature over "{id}.{timestamp}.{body}"), with the client's secret unless `opts.secret`.
   */
  postTechnicianEvent(event: WebhookEvent, opts: WebhookOptions = {}) {
    return this.signed<WebhookAnswer>('postTechnicianEvent', event, opts);
  }

  /** POST /webhooks/technician/uploads, signed as postTechnicianEvent: a photo's presigned POST for the technician holding the job. */
  postTechnicianUpload(body: TechnicianUploadRequest, opts: WebhookOptions = {}) {
    return this.signed<PhotoUpload>('postTechnicianUpload', body, opts);
  }

  private signed<T>(id: 'postTechnicianEvent' | 'postTechnicianUpload', body: unknown, opts: WebhookOptions) {
    const secret = opts.secret ?? this.webhookSecret;
    if (secret === undefined) throw new Error(`${id} needs a webhook secret`);
    const raw = opts.raw ?? JSON.stringify(body);
    const messageId = opts.id ?? `msg_${randomUUID()}`;
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return this.call<T>(
      id,
      {},
      {
        raw,
        headers: { 'content-type': 'application/json', ...signedHeaders(secret, messageId, timestamp, raw) },
      },
    );
  }
}
