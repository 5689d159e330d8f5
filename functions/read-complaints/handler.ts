import { fromEnvironment } from '../adapters/ports';
import { readComplaintsHandler } from './read-complaints';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = readComplaintsHandler(fromEnvironment());
