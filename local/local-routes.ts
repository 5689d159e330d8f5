import { z } from 'zod';
import { AppError } from '../functions/domain/errors';
import { propertyId } from '../functions/domain/schemas';
import { ROLES } from '../functions/domain/types';
import { problem } from '../functions/http/problem';
import { parseWith } from '../functions/http/request';
import type { VirtualClock } from './clock';
import type { LocalWorkflow } from './engine';
import type { LocalIssuer } from './jwt';
import type { Outbox } from './outbox';
import type { LocalReply, LocalRequest } from './server';

export const tokenRequestSchema = z.strictObject({
  sub: z.string().min(1).max(128),
  role: z.enum(ROLES),
  name: z.string().max(100).optional(),
  phone: z.string().max(32).optional(),
  /** Staff limited to these properties, minted as Cognito's `custom:properties` ("A1,B2"). */
  properties: z.array(propertyId).max(100).optional(),
});

/** `/_local/login`: who to sign in as, and a path on this origin to go to (never another site). */
export const loginQuerySchema = z.strictObject({
  sub: z.string().min(1).max(128),
  role: z.enum(ROLES),
  name: z.string().max(100).optional(),
  phone: z.string().max(32).optional(),
  /** As the token request's, comma-separated: `properties=A1,B2`. */
  properties: z
    .string()
    .max(3300)
    .transform((v) => v.split(',').map((p) => p.trim()))
    .pipe(z.array(propertyId).max(100))
    .optional(),
  next: z
    .string()
    .max(512)
    .regex(/^\/(?![/\\])/, 'must be a path on this site, like /console/')
    .default('/app/'),
});

/**
 * The pages' local session: an HttpOnly cookie only `/_local/session` ever receives, so the
 * token reaches the page's memory through a same-origin call and never sits in storage.
 */
export const SESSION_COOKIE = 'hr_local_session';
const COOKIE_PATH = '/_local/session';

function cookieOf(headers: LocalRequest['headers'], name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

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

function issue(parts: LocalParts, t: z.infer<typeof tokenRequestSchema>): string {
  const claims: Record<string, string> = { sub: t.sub, 'custom:role': t.role };
  if (t.name) claims.name = t.name;
  if (t.phone) claims.phone_number = t.phone;
  // A string, as Cognito puts a custom attribute in the ID token; [] mints an empty one (a 403).
  if (t.properties) claims['custom:properties'] = t.properties.join(',');
  return parts.issuer.issue(claims);
}

/** The `/_local/*` routes of the api contract. */
export const localRoutes =
  (parts: LocalParts) =>
  async ({ method, path, query, body, headers }: LocalRequest): Promise<LocalReply | null> => {
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
                complaintId: query.get('complaintId') ?? undefined,
              }),
            },
          ];
        case 'POST /_local/tokens':
          return [201, { token: issue(parts, parseWith(tokenRequestSchema, body, 'request body')) }];
        case 'GET /_local/login': {
          const { next, ...who } = parseWith(loginQuerySchema, Object.fromEntries(query), 'query');
          const cookie = `${SESSION_COOKIE}=${issue(parts, who)}; HttpOnly; SameSite=Strict; Path=${COOKIE_PATH}`;
          return [302, '', { location: next, 'set-cookie': cookie, 'content-type': 'text/plain' }];
        }
        case 'GET /_local/session': {
          const token = cookieOf(headers, SESSION_COOKIE);
          const claims = token ? parts.issuer.verify(token) : null;
          if (!token || !claims)
            return [
              401,
              { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Not signed in' },
            ];
          return [200, { token, claims }, { 'cache-control': 'no-store' }];
        }
        case 'POST /_local/logout':
          return [204, '', { 'set-cookie': `${SESSION_COOKIE}=; Max-Age=0; Path=${COOKIE_PATH}` }];
        default:
          return null;
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const out = problem(e);
      return [out.statusCode ?? 500, JSON.parse(String(out.body))];
    }
  };
