/** Every Lambda function: each is `functions/<name>/handler.ts`, deployed by lib/ and run by local/. */
export const FUNCTION_NAMES = [
  'create-job',
  'get-job',
  'list-jobs',
  'job-history',
  'cancel-job',
  'reschedule-job',
  'record-callback',
  'rate-job',
  'open-follow-up',
  'assign-job',
  'add-photo',
  'file-complaint',
  'read-complaints',
  'handle-complaint',
  'monthly-report',
  'manage-directory',
  'openapi',
  'technician-webhook',
  'await-milestone',
  'workflow-step',
  'report-stream',
  'outbox-stream',
  'manage-webhooks',
  'deliver-webhooks',
  'check-photo',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * The repair form's font, from the repository's root (functions/adapters/fonts/README.md): CDK
 * copies it next to the outbox-stream bundle (FORM_FONT_FILE), the local stack reads it in place.
 */
export const FORM_FONT = 'functions/adapters/fonts/NotoSansSC-GB2312.ttf';

/** The service name on every log line and metric, and the metrics' CloudWatch namespace. */
export const SERVICE_NAME = 'home-repair';
export const METRICS_NAMESPACE = 'HomeRepair';
