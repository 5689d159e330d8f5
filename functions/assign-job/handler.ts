import { fromEnvironment } from '../adapters/ports';
import { assignJobHandler } from './assign-job';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = assignJobHandler(fromEnvironment());
