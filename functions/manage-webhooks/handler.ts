import { fromEnvironment } from '../adapters/ports';
import { manageWebhooksHandler } from './manage-webhooks';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = manageWebhooksHandler(fromEnvironment());
