import type { DomainSettings, PolicyConfig } from '../domain/policy';
import type { Locale } from '../domain/types';

// Fail fast: a missing variable stops the function at load, not halfway through a request.
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

export function domainSettings(): DomainSettings {
  const raw = process.env.PROPERTY_POLICY;
  const policy: PolicyConfig = raw ? JSON.parse(raw) : { default: { quickFixWaiver: false } };
  return {
    policy,
    timeZone: process.env.TIME_ZONE ?? 'Asia/Shanghai',
    staffLocale: (process.env.STAFF_LOCALE as Locale | undefined) ?? 'zh-CN',
    bookingsPerHour: process.env.BOOKINGS_PER_HOUR ? Number(process.env.BOOKINGS_PER_HOUR) : undefined,
  };
}
