import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ROUTES } from '../functions/http/routes';
import type { Invoke } from './functions';
import type { StaticReply } from './pages';

// The front door: turns HTTP requests into API Gateway (HTTP API, payload 2.0) events and
// calls the same handlers. Routes not marked `open` (functions/http/routes.ts) get the JWT check API Gateway's authorizer
// does on AWS; the verified claims reach the handler exactly where AWS puts them.

const MAX_READ_BYTES = 1024 * 1024;

export interface LocalRoutes {
  verify(token: string): Record<string, unknown> | null;
  /** Calls a function's handler, as API Gateway's Lambda integration does. */
  invoke: Invoke;
  /** `/_local/*` routes: returns [status, body, headers?], or null when the path is not one. */
  local(request: LocalRequest): Promise<LocalReply | null>;
  /** The pages (`/`, `/app/…`, `/console/…`, `/config.json`), or null for any other path. */
  pages?: (path: string) => StaticReply | null;
  /** The stack's clock: every answer's Date header tells the pages the (virtual) time. */
  now?: () => Date;
}

export interface LocalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage['headers'];
}
export type LocalReply = [status: number, body: unknown, headers?: Record<string, string>];

function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? '';
    const val = a[i] ?? '';
    if (seg.startsWith('{')) {
      if (!val) return null;
      params[seg.slice(1, -1)] = decodeURIComponent(val);
    } else if (seg !== val) return null;
  }
  return params;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const problem = status >= 400 && !headers['content-type'];
  res.writeHead(status, {
    'content-type': problem ? 'application/problem+json' : 'application/json',
    ...headers,
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const problem = (status: number, title: string, detail: string) => ({
  type: 'about:blank',
  title,
  status,
  detail,
});

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_READ_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createFrontDoor(routes: LocalRoutes): Server {
  return createServer((req, res) => {
    if (routes.now) res.setHeader('date', routes.now().toUTCString());
    handle(req, res, routes).catch(() => {
      if (!res.headersSent)
        send(res, 500, problem(500, 'Internal error', 'Something went wrong on our side.'));
      else res.end();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: LocalRoutes): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  if (body === 'too_large')
    return send(res, 413, problem(413, 'Payload too large', 'The body is larger than 256 KiB'));

  if (url.pathname.startsWith('/_local/')) {
    let json: unknown = {};
    try {
      json = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return send(res, 400, problem(400, 'Invalid request', 'The body is not valid JSON'));
    }
    const out = await routes.local({
      method,
      path: url.pathname,
      query: url.searchParams,
      body: json,
      headers: req.headers,
    });
    if (out) return send(res, out[0], out[1], out[2]);
  }

  const page = method === 'GET' || method === 'HEAD' ? routes.pages?.(url.pathname) : null;
  if (page) {
    res.writeHead(page.status, page.headers);
    return void res.end(method === 'HEAD' ? undefined : page.body);
  }

  const candidates = ROUTES.map((r) => ({ r, params: match(r.path, url.pathname) })).filter((c) => c.params);
  const found = candidates.find((c) => c.r.method === method);
  if (!found) {
    if (candidates.length)
      return send(res, 405, problem(405, 'Method not allowed', `${method} is not allowed here`));
    return send(res, 404, problem(404, 'Not found', 'No such route'));
  }

  let claims: Record<string, unknown> | null = null;
  // The JWT check API Gateway's authorizer makes on every route that is not open.
  if (!found.r.open) {
    const auth = req.headers.authorization ?? '';
    claims = auth.startsWith('Bearer ') ? routes.verify(auth.slice(7)) : null;
    if (!claims) return send(res, 401, problem(401, 'Unauthorized', 'Missing or invalid credentials'));
  }

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const event = apiEvent({
    routeKey: `${found.r.method} ${found.r.path}`,
    method,
    url,
    headers,
    pathParameters: found.params ?? undefined,
    body: body.length ? body.toString('utf8') : undefined,
    sourceIp: req.socket.remoteAddress ?? '',
    claims,
  });
  const out = (await routes.invoke(found.r.fn, event)) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
  };
  if (out.statusCode === 304) {
    res.writeHead(304, out.headers ?? {});
    return void res.end();
  }
  send(res, out.statusCode, out.body ?? '', out.headers ?? {});
}

/** The API Gateway v2 event a route's function gets, with the claims of a verified JWT (if any). */
export function apiEvent(r: {
  routeKey: string;
  method: string;
  url: URL;
  headers: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
  sourceIp: string;
  claims: Record<string, unknown> | null;
}) {
  const { routeKey, method, url, headers, claims } = r;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: Object.keys(r.pathParameters ?? {}).length ? r.pathParameters : undefined,
    body: r.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: r.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      ...(claims && { authorizer: { jwt: { claims, scopes: null } } }),
    },
  };
}
