import type { Locale } from './types';

/** Per-property settings; a property is the part of unitId before the first dash ("B2" in "B2-1203"). */
export interface PropertyPolicy {
  quickFixWaiver: boolean;
}
export interface PolicyConfig {
  default: PropertyPolicy;
  properties?: Record<string, Partial<PropertyPolicy>>;
}

export const propertyOf = (unitId: string) => unitId.split('-')[0] ?? unitId;

export function policyFor(config: PolicyConfig, unitId: string): PropertyPolicy {
  return { ...config.default, ...config.properties?.[propertyOf(unitId)] };
}

/** What the domain needs from configuration to decide and to word its messages. */
export interface DomainSettings {
  policy: PolicyConfig;
  timeZone: string;
  staffLocale: Locale;
  /** Bookings one resident may make per clock hour (default 10). */
  bookingsPerHour?: number;
}
