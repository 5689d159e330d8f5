import type { AppPorts } from './adapters/ports';
import { addPhotoHandler } from './add-photo/add-photo';
import { assignJobHandler } from './assign-job/assign-job';
import { awaitMilestoneHandler } from './await-milestone/await-milestone';
import { cancelJobHandler } from './cancel-job/cancel-job';
import { checkPhotoHandler } from './check-photo/check-photo';
import { createJobHandler } from './create-job/create-job';
import { deliverWebhooksHandler } from './deliver-webhooks/deliver-webhooks';
import { fileComplaintHandler } from './file-complaint/file-complaint';
import { getJobHandler } from './get-job/get-job';
import { handleComplaintHandler } from './handle-complaint/handle-complaint';
import { jobHistoryHandler } from './job-history/job-history';
import { listJobsHandler } from './list-jobs/list-jobs';
import { manageDirectoryHandler } from './manage-directory/manage-directory';
import { manageWebhooksHandler } from './manage-webhooks/manage-webhooks';
import { monthlyReportHandler } from './monthly-report/monthly-report';
import type { FunctionName } from './names';
import { openFollowUpHandler } from './open-follow-up/open-follow-up';
import { handler as openapi } from './openapi/handler';
import { outboxStreamHandler } from './outbox-stream/outbox-stream';
import { rateJobHandler } from './rate-job/rate-job';
import { readComplaintsHandler } from './read-complaints/read-complaints';
import { recordCallbackHandler } from './record-callback/record-callback';
import { reportStreamHandler } from './report-stream/report-stream';
import { rescheduleJobHandler } from './reschedule-job/reschedule-job';
import { technicianWebhookHandler } from './technician-webhook/technician-webhook';
import { workflowStepHandler } from './workflow-step/workflow-step';

// Every function, made from ports: how the local stack builds the same handlers each Lambda
// entry (functions/<name>/handler.ts) builds from the environment.

export type Handler = (event: never, context: never) => Promise<unknown>;

const MAKERS: Record<FunctionName, (ports: AppPorts) => Handler> = {
  'create-job': createJobHandler,
  'get-job': getJobHandler,
  'list-jobs': listJobsHandler,
  'job-history': jobHistoryHandler,
  'cancel-job': cancelJobHandler,
  'reschedule-job': rescheduleJobHandler,
  'record-callback': recordCallbackHandler,
  'rate-job': rateJobHandler,
  'open-follow-up': openFollowUpHandler,
  'assign-job': assignJobHandler,
  'add-photo': addPhotoHandler,
  'file-complaint': fileComplaintHandler,
  'read-complaints': readComplaintsHandler,
  'handle-complaint': handleComplaintHandler,
  'monthly-report': monthlyReportHandler,
  'manage-directory': manageDirectoryHandler,
  // A static document: nothing to build it from.
  openapi: () => openapi,
  'technician-webhook': technicianWebhookHandler,
  'await-milestone': awaitMilestoneHandler,
  'workflow-step': workflowStepHandler,
  'report-stream': reportStreamHandler,
  'outbox-stream': outboxStreamHandler,
  'manage-webhooks': manageWebhooksHandler,
  'deliver-webhooks': deliverWebhooksHandler,
  'check-photo': checkPhotoHandler,
};

export function makeHandlers(ports: AppPorts): Record<FunctionName, Handler> {
  return Object.fromEntries(Object.entries(MAKERS).map(([name, make]) => [name, make(ports)])) as Record<
    FunctionName,
    Handler
  >;
}
