import type { Caller, HistoryItem } from './types';

// A history item, the same for jobs and complaints: what happened, when, by whom, with what.

/** Who did it, as the history names them: `resident:r-1`, `agent:a-1`; the workflow is `system`. */
export const actorOf = (caller: Caller) => `${caller.role}:${caller.sub}`;

export const entry = (
  type: string,
  now: Date,
  actor: string,
  data: Record<string, unknown> = {},
): HistoryItem => ({
  type,
  at: now.toISOString(),
  actor,
  data,
});
