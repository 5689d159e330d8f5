import { outboxEntryOf } from '../adapters/dynamo-outbox';
import type { AppPorts } from '../adapters/ports';
import { recordedEventOf, streamHandler } from '../adapters/table-stream';
import { deliverEntry } from '../domain/outbox';
import { followRecordedEvent } from '../domain/recorded-events';

/**
 * The table's stream, second consumer: what follows a commit. An outbox entry inserted is
 * delivered (its notices published, its start made; functions/domain/outbox.ts), each message at
 * most once per mark; every history item inserted is an event its followers act on once
 * (functions/domain/recorded-events.ts); every other record is skipped.
 */
export const outboxStreamHandler = (p: AppPorts) =>
  streamHandler(
    p.observability,
    async (record) => {
      const entry = outboxEntryOf(record);
      if (entry) return deliverEntry(p, entry);
      const event = recordedEventOf(record);
      if (event) return followRecordedEvent(p, event);
    },
    { pauseCapMs: p.streamPauseCapMs },
  );
