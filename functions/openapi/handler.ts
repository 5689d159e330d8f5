import { openApiDocument } from '../domain/openapi';
import { httpHandler } from '../http/handler';

const document = openApiDocument();

export const handler = httpHandler(async () => ({ status: 200, body: document }));
