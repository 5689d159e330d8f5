import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiClient, type Reply } from '../../client/api-client';

// The pages call the API through the same typed client as the tests and the demo
// (client/api-client.ts), on the same origin. Every answer's Date header tells the server's
// time: the SLA countdowns run on it, so they agree with the server even on the local stack's
// virtual clock.

let offsetMs = 0;
/** The server's time now, from the last answer's Date header (1 s resolution is enough here). */
export const serverNow = () => new Date(Date.now() + offsetMs);

export const api = new ApiClient('', {
  fetch: async (url, init) => {
    const res = await fetch(url, { ...init, credentials: 'same-origin' });
    const date = Date.parse(res.headers.get('date') ?? '');
    if (!Number.isNaN(date)) offsetMs = date - Date.now();
    return res;
  },
});

/** How often the pages ask again: live updates are conditional GETs (docs/architecture.md). */
export const POLL_MS = 1000;

export interface Live<T> {
  data: T | undefined;
  error: string | null;
  /** Ask again now (after an action). */
  refresh(): void;
}

/**
 * Keeps `path` fresh: a GET every POLL_MS with If-None-Match, so an unchanged answer is a 304
 * with no body. The one live-update path of both pages, locally and on AWS alike.
 */
export function useLive<T>(token: string, path: string | null, intervalMs = POLL_MS): Live<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const etag = useRef<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    etag.current = null;
    setData(undefined);
  }, [path]);
  useEffect(() => {
    if (!path) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const headers: Record<string, string> = etag.current ? { 'if-none-match': etag.current } : {};
        const reply = await api.request<T>('GET', path, { token, headers });
        if (stopped) return;
        if (reply.status !== 304) {
          if (!reply.ok) setError(problemText(reply));
          else {
            etag.current = reply.headers.get('etag');
            setData(reply.body);
            setError(null);
          }
        }
      } catch {
        if (!stopped) setError('network');
      }
      if (!stopped) timer = setTimeout(ask, document.hidden ? intervalMs * 5 : intervalMs);
    };
    void ask();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [token, path, intervalMs, tick]);
  return { data, error, refresh: () => setTick((t) => t + 1) };
}

/** A failed answer in words: the problem's detail, and each field it names. */
export function problemText(reply: Reply): string {
  if (reply.ok) return '';
  const b = reply.body;
  if (!b || typeof b !== 'object') return `HTTP ${reply.status}`;
  const fields = b.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return fields ? `${b.detail} (${fields})` : (b.detail ?? `HTTP ${reply.status}`);
}
