import { fromEnvironment } from '../adapters/ports';
import { workflowStepHandler } from './workflow-step';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = workflowStepHandler(fromEnvironment());
