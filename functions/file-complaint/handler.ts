import { fromEnvironment } from '../adapters/ports';
import { fileComplaintHandler } from './file-complaint';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = fileComplaintHandler(fromEnvironment());
