import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expectStatus } from '../client/api-client';
import type { Ctx } from './demo-cast';
import type { HistoryItem } from './demo-client';

// The demo's outbound webhook receiver: a node:http server on 127.0.0.1 standing in for the
// company's ERP. A manager registers it for every event; it verifies each delivery with the
// Standard Webhooks reference library and keeps what it got, and the demo checks that the first
// job's every event arrived, once, in order, signed.

interface Got {
  id: string;
  type: string;
  subjectId: string;
  verified: boolean;
}

export class DemoReceiver {
  readonly got: Got[] = [];
  private secret = '';
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { type, data } = JSON.parse(body) as {
        type: string;
        data: { jobId?: string; complaintId?: string };
      };
      this.got.push({
        id: String(req.headers['webhook-id']),
        type,
        subjectId: data.jobId ?? data.complaintId ?? '',
        verified: this.verifies(body, req.headers),
      });
      res.writeHead(204).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', () => ok()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/erp/hooks`;
  }

  /** Registers it (manager token) for every event; the secret comes back this once. */
  async register(ctx: Ctx, manager: string): Promise<string> {
    const url = await this.start();
    const created = expectStatus(
      await ctx.api.createWebhookEndpoint(manager, { url, events: ['*'], description: 'Demo ERP' }),
      201,
      'POST /integrations/webhooks',
    );
    this.secret = created.secret;
    ctx.tl.note(`Webhook endpoint ${created.endpointId} registered for every event at ${url}`);
    return created.endpointId;
  }

  private verifies(body: string, headers: IncomingHttpHeaders): boolean {
    try {
      new Webhook(this.secret).verify(body, headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }

  stop(): Promise<void> {
    return new Promise((ok) => {
      this.server.close(() => ok());
      this.server.closeAllConnections();
    });
  }
}

/** Waits (up to 15 s) for the job's every history item to arrive, then checks them. */
export async function verifyWebhooks(
  ctx: Ctx,
  receiver: DemoReceiver,
  jobId: string,
  history: HistoryItem[],
) {
  const { checks, tl } = ctx;
  const of = () => receiver.got.filter((g) => g.subjectId === jobId);
  const end = Date.now() + 15_000;
  while (of().length < history.length && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  const got = of();
  tl.heading('Outbound webhooks (the demo ERP)');
  tl.note(`${receiver.got.length} deliveries received in all, ${got.length} of them about job 1`);
  checks.equal(
    'job 1: the webhook endpoint got every event once, in order',
    got.map((g) => g.type),
    history.map((h) => h.type),
  );
  checks.check(
    'job 1: every delivery verified with its Standard Webhooks signature, each its own webhook-id',
    got.length > 0 && got.every((g) => g.verified) && new Set(got.map((g) => g.id)).size === got.length,
  );
}
