import { fromEnvironment } from '../adapters/ports';
import { manageDirectoryHandler } from './manage-directory';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = manageDirectoryHandler(fromEnvironment());
