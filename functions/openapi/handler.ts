import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import document from './openapi.json';

// A static document: no caller, no input, no data, nothing worth a log line. So no middleware and no
// zod: the file is generated from the schemas at build time (npm run openapi) and served as it is,
// which keeps this function's cold start at Node's own (bench: initRatio).

const body = JSON.stringify(document);

export const handler = async (): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  body,
});
