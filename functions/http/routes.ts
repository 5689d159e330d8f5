import type { FunctionName } from '../names';

// The API's routes, once: lib/repair-api.ts deploys them on the HTTP API and local/server.ts
// serves them on the local front door (test/cdk/api.test.ts checks the two agree).

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly fn: FunctionName;
  /** The OpenAPI operationId, and the typed client's method name. */
  readonly operationId: string;
  /** Set only on a route without the JWT authorizer: why it may be open. */
  readonly open?: string;
}

const TABLE = [
  { method: 'POST', path: '/jobs', fn: 'create-job', operationId: 'bookJob' },
  { method: 'GET', path: '/jobs', fn: 'list-jobs', operationId: 'listJobs' },
  { method: 'GET', path: '/jobs/{jobId}', fn: 'get-job', operationId: 'getJob' },
  { method: 'GET', path: '/jobs/{jobId}/history', fn: 'job-history', operationId: 'getJobHistory' },
  {
    method: 'GET',
    path: '/jobs/{jobId}/history/verify',
    fn: 'job-history',
    operationId: 'verifyJobHistory',
  },
  {
    method: 'GET',
    path: '/jobs/{jobId}/history/export',
    fn: 'job-history',
    operationId: 'exportJobHistory',
  },
  { method: 'GET', path: '/jobs/{jobId}/form', fn: 'get-job', operationId: 'getJobForm' },
  { method: 'POST', path: '/jobs/{jobId}/cancel', fn: 'cancel-job', operationId: 'cancelJob' },
  {
    method: 'POST',
    path: '/jobs/{jobId}/reschedule',
    fn: 'reschedule-job',
    operationId: 'rescheduleJob',
  },
  { method: 'POST', path: '/jobs/{jobId}/callback', fn: 'record-callback', operationId: 'recordCallback' },
  { method: 'POST', path: '/jobs/{jobId}/rating', fn: 'rate-job', operationId: 'rateJob' },
  { method: 'POST', path: '/jobs/{jobId}/follow-up', fn: 'open-follow-up', operationId: 'openFollowUp' },
  { method: 'POST', path: '/jobs/{jobId}/assign', fn: 'assign-job', operationId: 'assignJob' },
  { method: 'POST', path: '/jobs/{jobId}/photos', fn: 'add-photo', operationId: 'addJobPhoto' },
  { method: 'POST', path: '/complaints', fn: 'file-complaint', operationId: 'fileComplaint' },
  { method: 'GET', path: '/complaints', fn: 'read-complaints', operationId: 'listComplaints' },
  { method: 'GET', path: '/complaints/{complaintId}', fn: 'read-complaints', operationId: 'getComplaint' },
  {
    method: 'GET',
    path: '/complaints/{complaintId}/history',
    fn: 'read-complaints',
    operationId: 'getComplaintHistory',
  },
  {
    method: 'POST',
    path: '/complaints/{complaintId}/investigation',
    fn: 'handle-complaint',
    operationId: 'investigateComplaint',
  },
  {
    method: 'POST',
    path: '/complaints/{complaintId}/callback',
    fn: 'handle-complaint',
    operationId: 'callBackComplainant',
  },
  { method: 'GET', path: '/properties', fn: 'manage-directory', operationId: 'listProperties' },
  { method: 'GET', path: '/properties/{propertyId}', fn: 'manage-directory', operationId: 'getProperty' },
  { method: 'PUT', path: '/properties/{propertyId}', fn: 'manage-directory', operationId: 'putProperty' },
  { method: 'GET', path: '/technicians', fn: 'manage-directory', operationId: 'listTechnicians' },
  {
    method: 'GET',
    path: '/technicians/{technicianId}',
    fn: 'manage-directory',
    operationId: 'getTechnician',
  },
  {
    method: 'PUT',
    path: '/technicians/{technicianId}',
    fn: 'manage-directory',
    operationId: 'putTechnician',
  },
  { method: 'GET', path: '/reports/monthly', fn: 'monthly-report', operationId: 'getMonthlyReport' },
  {
    method: 'POST',
    path: '/integrations/webhooks',
    fn: 'manage-webhooks',
    operationId: 'createWebhookEndpoint',
  },
  {
    method: 'GET',
    path: '/integrations/webhooks',
    fn: 'manage-webhooks',
    operationId: 'listWebhookEndpoints',
  },
  {
    method: 'GET',
    path: '/integrations/webhooks/{endpointId}',
    fn: 'manage-webhooks',
    operationId: 'getWebhookEndpoint',
  },
  {
    method: 'DELETE',
    path: '/integrations/webhooks/{endpointId}',
    fn: 'manage-webhooks',
    operationId: 'deleteWebhookEndpoint',
  },
  {
    method: 'POST',
    path: '/integrations/webhooks/{endpointId}/rotate',
    fn: 'manage-webhooks',
    operationId: 'rotateWebhookSecret',
  },
  {
    method: 'GET',
    path: '/integrations/webhooks/{endpointId}/deliveries',
    fn: 'manage-webhooks',
    operationId: 'listWebhookDeliveries',
  },
  {
    method: 'POST',
    path: '/integrations/webhooks/{endpointId}/deliveries/{deliveryId}/retry',
    fn: 'manage-webhooks',
    operationId: 'retryWebhookDelivery',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'openapi',
    operationId: 'getOpenApi',
    open: 'The public API description (OpenAPI document): it holds no data and clients fetch it before they have a token.',
  },
  {
    method: 'POST',
    path: '/webhooks/technician',
    fn: 'technician-webhook',
    operationId: 'postTechnicianEvent',
    open: "The technicians' platform cannot obtain Cognito tokens; the handler verifies each request's Standard Webhooks HMAC signature and timestamp against the secret in Secrets Manager.",
  },
  {
    method: 'POST',
    path: '/webhooks/technician/uploads',
    fn: 'add-photo',
    operationId: 'postTechnicianUpload',
    open: "The technicians' platform asks for a photo upload as it sends events: no Cognito token, each request verified by the same Standard Webhooks HMAC signature and timestamp against the secret in Secrets Manager.",
  },
] as const satisfies readonly Route[];

export type OperationId = (typeof TABLE)[number]['operationId'];
export const ROUTES: readonly (Route & { readonly operationId: OperationId })[] = TABLE;

/** The route of an operation. */
export function routeOf(operationId: OperationId): Route {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  return route;
}
