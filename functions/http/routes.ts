import type { FunctionName } from '../names';

// The API's routes, once: lib/repair-api.ts deploys them on the HTTP API and local/server.ts
// serves them on the local front door (test/cdk/api.test.ts checks the two agree).

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly fn: FunctionName;
  /** Set only on a route without the JWT authorizer: why it may be open. */
  readonly open?: string;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/jobs', fn: 'create-job' },
  { method: 'GET', path: '/jobs', fn: 'list-jobs' },
  { method: 'GET', path: '/jobs/{jobId}', fn: 'get-job' },
  { method: 'GET', path: '/jobs/{jobId}/history', fn: 'job-history' },
  { method: 'POST', path: '/jobs/{jobId}/cancel', fn: 'cancel-job' },
  { method: 'POST', path: '/jobs/{jobId}/callback', fn: 'record-callback' },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'openapi',
    open: 'The public API description (OpenAPI document): it holds no data and clients fetch it before they have a token.',
  },
  {
    method: 'POST',
    path: '/webhooks/technician',
    fn: 'technician-webhook',
    open: "The technicians' platform cannot obtain Cognito tokens; the handler verifies each request's Standard Webhooks HMAC signature and timestamp against the secret in Secrets Manager.",
  },
];
