import type { AppPorts } from '../adapters/ports';
import { complaintChangeOf, jobChangeOf, streamHandler } from '../adapters/table-stream';
import { countComplaintChange, countJobChange } from '../domain/use-cases';

/**
 * The table's stream (NEW_AND_OLD_IMAGES): each change of a job or a complaint item adds to the
 * monthly figures, once (the record's id marks it applied); every other item is skipped.
 */
export const reportStreamHandler = (p: AppPorts) =>
  streamHandler(p.observability, async (record) => {
    const job = jobChangeOf(record);
    if (job) return countJobChange(p, job);
    const complaint = complaintChangeOf(record);
    if (complaint) return countComplaintChange(p, complaint);
  });
