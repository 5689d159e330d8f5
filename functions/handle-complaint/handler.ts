import { fromEnvironment } from '../adapters/ports';
import { handleComplaintHandler } from './handle-complaint';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = handleComplaintHandler(fromEnvironment());
