import { fromEnvironment } from '../adapters/ports';
import { listJobsHandler } from './list-jobs';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = listJobsHandler(fromEnvironment());
