import { fromEnvironment } from '../adapters/ports';
import { rescheduleJobHandler } from './reschedule-job';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = rescheduleJobHandler(fromEnvironment());
