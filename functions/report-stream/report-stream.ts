import type { AppPorts } from '../adapters/ports';
import { jobChangeOf, streamHandler } from '../adapters/table-stream';
import { countJobChange } from '../domain/use-cases';

/** The table's stream (NEW_AND_OLD_IMAGES): each change of a job item adds to the monthly figures, once. */
export const reportStreamHandler = (p: AppPorts) =>
  streamHandler(p.observability, async (record) => {
    const change = jobChangeOf(record);
    if (change) await countJobChange(p, change);
  });
