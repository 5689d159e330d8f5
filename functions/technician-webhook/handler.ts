import { fromEnvironment } from '../adapters/ports';
import { technicianWebhookHandler } from './technician-webhook';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = technicianWebhookHandler(fromEnvironment());
