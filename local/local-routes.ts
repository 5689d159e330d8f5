import { z } from 'zod';
import { AppError } from '../functions/domain/errors';
import { ROLES } from '../functions/domain/types';
import { problem } from '../functions/http/problem';
import { parseWith } from '../functions/http/request';
import type { VirtualClock } from './clock';
import type { LocalWorkflow } from './engine';
import type { LocalIssuer } from './jwt';
import type { Outbox } from './outbox';

export const tokenRequestSchema = z.strictObject({
  sub: z.string().min(1).max(128),
  role: z.enum(ROLES),
  name: z.string().max(100).optional(),
  phone: z.string().max(32).optional(),
});

export const clockRequestSchema = z.strictObject({
  advanceSeconds: z
    .number()
    .int()
    .min(0)
    .max(366 * 24 * 3600),
});

export interface LocalParts {
  clock: VirtualClock;
  workflow: LocalWorkflow;
  outbox: Outbox;
  issuer: LocalIssuer;
}

/** The `/_local/*` routes of the api contract. */
export const localRoutes =
  (parts: LocalParts) =>
  async (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): Promise<[number, unknown] | null> => {
    try {
      const route = `${method} ${path}`;
      switch (route) {
        case 'GET /_local/clock':
          return [200, { now: parts.clock.now().toISOString() }];
        case 'POST /_local/clock': {
          const { advanceSeconds } = parseWith(clockRequestSchema, body, 'request body');
          // Let every execution reach its wait first, so its timer exists before time jumps.
          await parts.workflow.settle();
          const now = parts.clock.advance(advanceSeconds);
          await parts.workflow.settle();
          return [200, { now: now.toISOString() }];
        }
        case 'GET /_local/notifications':
          return [
            200,
            {
              items: parts.outbox.list({
                topic: query.get('topic') ?? undefined,
                jobId: query.get('jobId') ?? undefined,
              }),
            },
          ];
        case 'POST /_local/tokens': {
          const t = parseWith(tokenRequestSchema, body, 'request body');
          const claims: Record<string, string> = { sub: t.sub, 'custom:role': t.role };
          if (t.name) claims.name = t.name;
          if (t.phone) claims.phone_number = t.phone;
          return [201, { token: parts.issuer.issue(claims) }];
        }
        default:
          return null;
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const out = problem(e);
      return [out.statusCode ?? 500, JSON.parse(String(out.body))];
    }
  };
