import { fromEnvironment } from '../adapters/ports';
import { deliverWebhooksHandler } from './deliver-webhooks';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = deliverWebhooksHandler(fromEnvironment());
