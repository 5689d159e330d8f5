import { fromEnvironment } from '../adapters/ports';
import { addPhotoHandler } from './add-photo';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = addPhotoHandler(fromEnvironment());
