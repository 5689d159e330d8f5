import { fromEnvironment } from '../adapters/ports';
import { outboxStreamHandler } from './outbox-stream';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = outboxStreamHandler(fromEnvironment());
