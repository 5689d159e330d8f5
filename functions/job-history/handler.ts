import { fromEnvironment } from '../adapters/ports';
import { jobHistoryHandler } from './job-history';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = jobHistoryHandler(fromEnvironment());
