import * as path from 'node:path';

// Everything is resolved from this file's location, never the working directory, so
// `cdk synth`, jest and editors agree whichever folder they start in.
export const REPO_ROOT = path.resolve(__dirname, '..');
export const LOCK_FILE = path.join(REPO_ROOT, 'package-lock.json');
export const STATE_MACHINES_DIR = path.join(REPO_ROOT, 'statemachines');
export const REPAIR_JOB_ASL = path.join(STATE_MACHINES_DIR, 'repair-job.asl.json');
export const COMPLAINT_ASL = path.join(STATE_MACHINES_DIR, 'complaint.asl.json');

export const functionEntry = (name: string): string => path.join(REPO_ROOT, 'functions', name, 'handler.ts');
export const SITE_REWRITE_FUNCTION = path.join(REPO_ROOT, 'lib', 'site-rewrite.js');
