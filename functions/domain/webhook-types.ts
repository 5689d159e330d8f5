// Outbound webhooks' shapes (functions/domain/webhooks.ts has their rules): apart, with no Node
// import, so the typed client and the pages can name them.

/** What a history item belongs to: a job's or a complaint's partition. */
export type SubjectKind = 'job' | 'complaint';
export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** A signing secret; an old one keeps signing beside its successor `until` then (a rotation). */
export interface EndpointSecret {
  secret: string;
  until: string | null;
}

export const ENDPOINT_STATUSES = ['enabled', 'disabled'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export interface WebhookEndpoint {
  endpointId: string;
  url: string;
  /** Event types (`job.completed`) or families (`job.*`), or `*` for all. */
  events: string[];
  description: string | null;
  /** The registering manager's properties: the endpoint gets only their events. Null: the whole company. */
  properties: string[] | null;
  createdBy: string;
  createdAt: string;
  status: EndpointStatus;
  disabledAt: string | null;
  /** Newest first: the first signs alone once every other one's `until` has passed. */
  secrets: EndpointSecret[];
  /** The first failed attempt since the last delivered one; null while it delivers. */
  failingSince: string | null;
  /** Failed attempts since `failingSince`. */
  failures: number;
  version: number;
}

/** What a manager sees of an endpoint: never a secret after the answer that created it. */
export type EndpointView = Omit<WebhookEndpoint, 'secrets' | 'version'> & {
  secretRotatedUntil: string | null;
};

export const DELIVERY_STATUSES = ['pending', 'delivered', 'parked'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, or null when there was none (refused, timed out, a target refused). */
  status: number | null;
  /** Why an attempt failed without a status: `timeout`, `connection`, `target` (the SSRF rule). */
  error: string | null;
  ms: number;
}

/** One event for one endpoint: a queue entry of (endpoint, subject), delivered in `position` order. */
export interface Delivery {
  deliveryId: string;
  endpointId: string;
  /** The Standard Webhooks `webhook-id`: the same across retries and endpoints, so receivers dedupe. */
  eventId: string;
  type: string;
  subject: Subject;
  /** The history item's sort key: the queue's order. */
  position: string;
  /** The JSON body, fixed at enqueue: every attempt sends the same bytes. */
  body: string;
  createdAt: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Due from then (pending only). */
  nextAttemptAt: string | null;
  /** Retries stop being scheduled after this (createdAt + RETRY_WINDOW, or a manual retry + it). */
  retryUntil: string;
  parkedReason: 'retries_exhausted' | 'endpoint_disabled' | null;
  version: number;
}

/** A delivery as the deliveries listing shows it: the body is what was sent, parsed back. */
export type DeliveryView = Omit<Delivery, 'body' | 'version'> & { payload: unknown };

/** A filter an endpoint may subscribe with: a type, a family (`job.*`) or everything (`*`). */
export const EVENT_FILTER = /^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$/;
