import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookSender } from '../domain/ports';
import type { CheckedTarget, Resolve } from '../domain/webhook-target';

// The outbound webhook POST, on node:http(s) on Lambda and locally alike. It connects to the
// address the SSRF rule checked (functions/domain/webhook-target.ts), never resolving the host
// again: a DNS answer that changes between the check and the connect (rebinding) changes nothing.
// TLS still verifies the certificate for the URL's host name (SNI and Host from the URL). No
// redirect is followed (a 3xx is a failed attempt), and the answer's body is read and dropped.

/** Every address a host resolves to, as the check must see them all. */
export const dnsResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** A lookup that answers the checked address only, whatever host it is asked for. */
const pinned =
  (target: CheckedTarget): LookupFunction =>
  (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };

export const httpSender: WebhookSender = {
  post(target, headers, body, timeoutMs) {
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const done = (answer: { status: number } | { error: 'timeout' | 'connection' }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const req = send(
        target.url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: pinned(target),
          // One connection per attempt: a pooled socket could outlive the address check.
          agent: false,
        },
        (res) => {
          res.resume();
          res.on('end', () => done({ status: res.statusCode ?? 0 }));
          res.on('error', () => done({ status: res.statusCode ?? 0 }));
        },
      );
      const timer = setTimeout(() => {
        done({ error: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('error', () => done({ error: 'connection' }));
      req.end(body);
    });
  },
};
