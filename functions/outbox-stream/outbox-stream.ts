import type { AppPorts } from '../adapters/ports';
import { recordedEventOf, streamHandler } from '../adapters/table-stream';
import { followRecordedEvent } from '../domain/recorded-events';

/**
 * The table's stream, second consumer: what follows a commit. Every history item inserted is an
 * event its followers act on once (functions/domain/recorded-events.ts); every other record is skipped.
 */
export const outboxStreamHandler = (p: AppPorts) =>
  streamHandler(p.observability, async (record) => {
    const event = recordedEventOf(record);
    if (event) return followRecordedEvent(p, event);
  });
