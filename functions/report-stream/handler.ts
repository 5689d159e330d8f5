import { fromEnvironment } from '../adapters/ports';
import { reportStreamHandler } from './report-stream';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = reportStreamHandler(fromEnvironment());
