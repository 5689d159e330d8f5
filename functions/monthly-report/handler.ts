import { fromEnvironment } from '../adapters/ports';
import { monthlyReportHandler } from './monthly-report';

// The Lambda entry: its ports are built once, at load, from the environment.
export const handler = monthlyReportHandler(fromEnvironment());
