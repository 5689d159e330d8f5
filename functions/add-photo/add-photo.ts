import type { AppPorts } from '../adapters/ports';
import { addResidentPhoto, addTechnicianPhoto } from '../domain/photo-cases';
import { photoRequestSchema, technicianUploadSchema } from '../domain/schemas';
import { callerOf } from '../http/auth';
import { httpHandler } from '../http/handler';
import { isRoute, jsonBody, parseJson, parseWith, pathParam } from '../http/request';
import { routeOf } from '../http/routes';
import { verifiedWebhook } from '../http/webhook-signature';

/**
 * A photo announced, answered with its presigned POST: the owner resident's (POST
 * /jobs/{jobId}/photos, a Cognito token) or the holding technician's through their platform
 * (POST /webhooks/technician/uploads, signed as the technician webhook).
 */
export const addPhotoHandler = (p: AppPorts) =>
  httpHandler(p.observability, async (event) => {
    if (isRoute(event, routeOf('postTechnicianUpload'))) {
      const { webhookId, raw } = await verifiedWebhook(event, () => p.webhookSecrets());
      const body = parseWith(technicianUploadSchema, parseJson(raw), 'upload');
      const { redelivery, ...upload } = await addTechnicianPhoto(p, webhookId, body);
      return { status: redelivery ? 200 : 201, body: upload };
    }
    const caller = callerOf(event);
    const jobId = pathParam(event, 'jobId');
    const body = jsonBody(event, photoRequestSchema);
    return { status: 201, body: await addResidentPhoto(p, caller, jobId, body) };
  });
