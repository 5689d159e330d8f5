import { fromEnvironment } from '../adapters/ports';
import { cancelJobHandler } from './cancel-job';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = cancelJobHandler(fromEnvironment());
