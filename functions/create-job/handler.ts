import { fromEnvironment } from '../adapters/ports';
import { createJobHandler } from './create-job';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = createJobHandler(fromEnvironment());
