import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { settingsFrom } from '../functions/config';
import type { StackOptions } from './stack';

// The one place on the local side that reads the environment: what `npm start` honours.

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, valid: (n: number) => boolean) {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!valid(value)) throw new Error(`${name}=${raw} is not valid`);
  return value;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL', 'TRACE'];

export function stackOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StackOptions {
  const level = env.POWERTOOLS_LOG_LEVEL?.toUpperCase();
  if (level && !LOG_LEVELS.includes(level)) throw new Error(`POWERTOOLS_LOG_LEVEL=${level} is not valid`);
  return {
    port: numberFrom(env, 'PORT', 3000, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    dataDir: env.DATA_DIR || '.data',
    webhookSecret: env.TECH_WEBHOOK_SECRET || undefined,
    clockSpeed: numberFrom(env, 'CLOCK_SPEED', 1, (n) => Number.isFinite(n) && n > 0),
    settings: settingsFrom(env),
    logLevel: level as LogLevel | undefined,
    logEvent: env.POWERTOOLS_LOGGER_LOG_EVENT === 'true',
  };
}
