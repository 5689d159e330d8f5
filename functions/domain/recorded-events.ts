import { archiveForm } from './forms';
import type { Ports, WebhookPorts } from './ports';
import type { HistoryItem } from './types';
import { enqueueEvent } from './webhook-cases';

// What follows a committed event, once: the table's stream hands every history item it sees
// inserted to each follower here (functions/outbox-stream). A follower is idempotent by the
// event's subject, id and position: the stream may deliver the same record again.

/** A history item as the change stream delivers it: committed, in order within its job or complaint. */
export interface RecordedEvent {
  subject: 'job' | 'complaint';
  /** The job's or the complaint's id. */
  id: string;
  /** The item's sort key: unique within its subject and ordered as the history is. */
  position: string;
  item: HistoryItem;
}

/** What followers act through: the domain's ports, and the outbound webhooks' queues. */
export type FollowerPorts = Ports & WebhookPorts;
export type Follower = (p: FollowerPorts, event: RecordedEvent) => Promise<unknown>;

/** Every follower, each told every event; one that fails makes the record come again (to all). */
const FOLLOWERS: readonly Follower[] = [
  // Outbound webhooks: the event queued for every endpoint that wants it (webhook-cases.ts).
  enqueueEvent,
  // The signed form rendered and archived once (forms.ts).
  archiveForm,
];

export async function followRecordedEvent(p: FollowerPorts, event: RecordedEvent): Promise<void> {
  for (const follow of FOLLOWERS) await follow(p, event);
}
