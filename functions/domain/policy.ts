import { type Category, type Locale, propertyOf } from './types';

// A property's rules: its calendar, its dispatch mode and its SLA numbers. Stored per property
// (PUT /properties/{propertyId}); a property nobody configured gets DEFAULT_POLICY, with the
// deployment's seed (cdk.json's propertyPolicy and TIME_ZONE) over it, so an environment that
// predates stored properties keeps its behaviour.

export const DISPATCH_MODES = ['grab', 'assign'] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];

/** When a property works: local hours on its workdays (ISO 1 = Monday … 7 = Sunday). */
export interface BusinessCalendar {
  timeZone: string;
  businessHours: { start: string; end: string };
  workdays: number[];
  /** Local dates (YYYY-MM-DD) that are not worked although their weekday is. */
  holidays: string[];
  /** Local dates that are worked although their weekday is not (make-up workdays). */
  extraWorkdays: string[];
}

export interface SlaPolicy {
  /** S3: an urgent repair is on site within this many minutes. */
  urgentArrivalMinutes: number;
  /** An urgent job nobody accepted this long after booking warns the staff. */
  acceptWarnMinutes: number;
  /** With nobody on site at this share of the arrival window, the staff are warned. */
  arrivalRiskPercent: number;
  /** S15: the callback within this many days of the signed form. */
  callbackDays: number;
}

/** What PUT /properties/{propertyId} stores. */
export interface PropertySettings extends BusinessCalendar {
  name: string;
  /** S1: work finished within 10 minutes of starting carries no labour fee. */
  quickFixWaiver: boolean;
  dispatch: DispatchMode;
  sla: SlaPolicy;
}

/** A property's settings as the domain uses them: stored, or the defaults under the seed. */
export interface PropertyPolicy extends PropertySettings {
  propertyId: string;
  /** False for a property nobody configured. */
  configured: boolean;
}

export const DEFAULT_SLA: SlaPolicy = {
  urgentArrivalMinutes: 10,
  acceptWarnMinutes: 2,
  arrivalRiskPercent: 80,
  callbackDays: 7,
};

export const DEFAULT_PROPERTY: PropertySettings = {
  name: '',
  timeZone: 'Asia/Shanghai',
  quickFixWaiver: false,
  dispatch: 'grab',
  businessHours: { start: '09:00', end: '18:00' },
  workdays: [1, 2, 3, 4, 5],
  holidays: [],
  extraWorkdays: [],
  sla: DEFAULT_SLA,
};

/** The seed from deployment config: the S1 waiver per property, as cdk.json had it before stored properties. */
export interface SeedPolicy {
  quickFixWaiver: boolean;
}
export interface PolicyConfig {
  default: SeedPolicy;
  properties?: Record<string, Partial<SeedPolicy>>;
}

/** A property's policy: what was stored for it, else the defaults with the deployment's seed over them. */
export function policyFor(
  settings: Pick<DomainSettings, 'policy' | 'timeZone'>,
  propertyId: string,
  stored: PropertySettings | null,
): PropertyPolicy {
  if (stored) return { ...stored, propertyId, configured: true };
  const seed = { ...settings.policy.default, ...settings.policy.properties?.[propertyId] };
  return {
    ...DEFAULT_PROPERTY,
    name: propertyId,
    timeZone: settings.timeZone,
    quickFixWaiver: seed.quickFixWaiver,
    propertyId,
    configured: false,
  };
}

/** A technician on the roster (PUT /technicians/{technicianId}). */
export interface Technician {
  technicianId: string;
  name: string;
  skills: Category[];
  properties: string[];
  onDuty: boolean;
  maxOpenJobs: number;
}

export const DEFAULT_MAX_OPEN_JOBS = 3;

/** What the domain needs from configuration to decide and to word its messages. */
export interface DomainSettings {
  /** The seed of every property's policy (see policyFor). */
  policy: PolicyConfig;
  /** The company's time zone: its reports' months, its staff's messages, the seed of a property's. */
  timeZone: string;
  staffLocale: Locale;
  /** Bookings one resident may make per clock hour (default 10). */
  bookingsPerHour?: number;
  /** How long a GET /jobs/{id}/form redirect stays valid, in seconds (default 300). */
  formUrlSeconds?: number;
}

export { propertyOf };
