import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpSender } from '../../../functions/adapters/webhook-sender';

// The sender connects to the address the SSRF rule checked, never resolving the host again:
// `rebind.invalid` cannot resolve at all, so a request that arrives went to the pinned address.

let server: Server;
let port: number;
const seen: { host?: string; body: string; signature?: string }[] = [];
let answer = 200;
let hang = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        host: req.headers.host,
        body: Buffer.concat(chunks).toString(),
        signature: req.headers['webhook-signature'] as string,
      });
      if (!hang) res.writeHead(answer).end('ignored');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
);

const target = () => ({
  url: new URL(`http://rebind.invalid:${port}/hooks`),
  address: '127.0.0.1',
  family: 4 as const,
});

it('posts to the checked address with the URL host in Host, the headers and the body', async () => {
  answer = 204;
  const r = await httpSender.post(target(), { 'webhook-signature': 'v1,abc' }, '{"a":1}', 2000);

  expect(r).toEqual({ status: 204 });
  expect(seen.at(-1)).toEqual({ host: `rebind.invalid:${port}`, body: '{"a":1}', signature: 'v1,abc' });
});

it("reports the receiver's status, a redirect included (not followed)", async () => {
  answer = 302;
  expect(await httpSender.post(target(), {}, '{}', 2000)).toEqual({ status: 302 });
});

it('a receiver that does not answer in time is a timeout', async () => {
  hang = true;
  expect(await httpSender.post(target(), {}, '{}', 200)).toEqual({ error: 'timeout' });
  hang = false;
});

it('nothing listening is a connection failure', async () => {
  const closed = { url: new URL('http://rebind.invalid:1/'), address: '127.0.0.1', family: 4 as const };
  expect(await httpSender.post(closed, {}, '{}', 2000)).toEqual({ error: 'connection' });
});
