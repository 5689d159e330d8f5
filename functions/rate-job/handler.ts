import { fromEnvironment } from '../adapters/ports';
import { rateJobHandler } from './rate-job';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = rateJobHandler(fromEnvironment());
