import { fromEnvironment } from '../adapters/ports';
import { getJobHandler } from './get-job';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = getJobHandler(fromEnvironment());
