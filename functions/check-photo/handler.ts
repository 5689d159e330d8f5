import { fromEnvironment } from '../adapters/ports';
import { checkPhotoHandler } from './check-photo';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = checkPhotoHandler(fromEnvironment());
