import { SigningClient } from '../../../client/signing-client';
import { Dropped, Http, Stats } from '../../../scripts/soak-http';
import type { Server } from '../../../scripts/soak-server';

// The soak's retries, on top of the shared client: a 503 is sent again after its Retry-After,
// a dropped connection is sent again unless the caller must first look, anything else is the answer.

const server = { url: 'http://soak.test', whenUp: async () => {} } as unknown as Server;

/** A shared client whose fetch answers from `script`, one step per request (an Error is a dropped connection). */
function scripted(script: Array<number | Error>) {
  let calls = 0;
  const api = new SigningClient(server.url, {
    fetch: async () => {
      const step = script[calls++];
      if (step instanceof Error) throw step;
      const title = step === 503 ? 'Service unavailable' : 'Conflict';
      const problem = { type: 'about:blank', title, status: step, detail: 'as scripted' };
      return new Response(JSON.stringify(step === 200 ? { now: 'then' } : problem), {
        status: step,
        headers: { 'retry-after': '0' },
      });
    },
  });
  return { api, calls: () => calls };
}

test('a 503 is sent again after its Retry-After, and the next answer is returned', async () => {
  const stats = new Stats();
  const http = new Http(server, 'whsec_c29haw==', stats);
  const { api, calls } = scripted([503, 503, 200]);

  const reply = await http.send('GET /_local/clock', () => api.local.getClock());

  expect(reply).toMatchObject({ ok: true, status: 200, body: { now: 'then' } });
  expect(calls()).toBe(3);
  expect(stats).toMatchObject({ retried503: 2, attempts: 3, byStatus: { 503: 2, 200: 1 } });
});

test('a dropped connection is sent again, or, when the caller must look first, throws Dropped', async () => {
  const stats = new Stats();
  const http = new Http(server, 'whsec_c29haw==', stats);
  const resent = scripted([new TypeError('fetch failed'), 200]);
  const once = scripted([new TypeError('fetch failed'), 200]);

  expect((await http.send('resent', () => resent.api.local.getClock())).status).toBe(200);
  await expect(http.send('once', () => once.api.local.getClock(), false)).rejects.toBeInstanceOf(Dropped);
  expect(once.calls()).toBe(1);
  expect(stats.networkErrors).toBe(2);
});

test('any other answer, a 4xx too, is the answer', async () => {
  const http = new Http(server, 'whsec_c29haw==', new Stats());
  const { api, calls } = scripted([409, 200]);

  const reply = await http.send('conflict', () => api.getJob('t', 'j-1'));

  expect(reply).toMatchObject({ ok: false, status: 409, body: { title: 'Conflict' } });
  expect(calls()).toBe(1);
});
