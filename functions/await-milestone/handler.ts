import { fromEnvironment } from '../adapters/ports';
import { awaitMilestoneHandler } from './await-milestone';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = awaitMilestoneHandler(fromEnvironment());
