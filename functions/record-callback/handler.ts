import { fromEnvironment } from '../adapters/ports';
import { recordCallbackHandler } from './record-callback';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = recordCallbackHandler(fromEnvironment());
