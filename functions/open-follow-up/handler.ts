import { fromEnvironment } from '../adapters/ports';
import { openFollowUpHandler } from './open-follow-up';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = openFollowUpHandler(fromEnvironment());
