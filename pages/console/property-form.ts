import type * as z from 'zod';
import type { PropertyPolicy } from '../../client/api-client';
import { HOLIDAY_PRESETS as PRESETS } from '../../functions/domain/holiday-calendars';
import type { DispatchMode } from '../../functions/domain/policy';
import type { propertySchema } from '../../functions/domain/schemas';

// The property settings form as the inputs hold it, and the PUT /properties/{propertyId} body
// made from it. Numbers stay text while typed; what is not a number goes as typed, so the
// server's 400 names the field rather than the page guessing a value.

export interface PropertyForm {
  name: string;
  timeZone: string;
  quickFixWaiver: boolean;
  dispatch: DispatchMode;
  start: string;
  end: string;
  workdays: number[];
  holidays: string[];
  extraWorkdays: string[];
  urgentArrivalMinutes: string;
  acceptWarnMinutes: string;
  arrivalRiskPercent: string;
  callbackDays: string;
}

export const SLA_FIELDS = [
  'urgentArrivalMinutes',
  'acceptWarnMinutes',
  'arrivalRiskPercent',
  'callbackDays',
] as const;

export function formOf(p: PropertyPolicy): PropertyForm {
  return {
    name: p.name,
    timeZone: p.timeZone,
    quickFixWaiver: p.quickFixWaiver,
    dispatch: p.dispatch,
    start: p.businessHours.start,
    end: p.businessHours.end,
    workdays: [...p.workdays],
    holidays: [...p.holidays],
    extraWorkdays: [...p.extraWorkdays],
    urgentArrivalMinutes: String(p.sla.urgentArrivalMinutes),
    acceptWarnMinutes: String(p.sla.acceptWarnMinutes),
    arrivalRiskPercent: String(p.sla.arrivalRiskPercent),
    callbackDays: String(p.sla.callbackDays),
  };
}

/** A number as typed: the number, or the text itself when it is none (the server names the field). */
export function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * The PUT body: every field, so what the form shows is what is stored. A number that is not one
 * goes as typed (hence the cast), for the server to name.
 */
export function bodyOf(f: PropertyForm): z.input<typeof propertySchema> {
  return {
    name: f.name,
    timeZone: f.timeZone.trim(),
    quickFixWaiver: f.quickFixWaiver,
    dispatch: f.dispatch,
    businessHours: { start: f.start, end: f.end },
    workdays: [...f.workdays].sort((a, b) => a - b),
    holidays: f.holidays,
    extraWorkdays: f.extraWorkdays,
    sla: Object.fromEntries(SLA_FIELDS.map((k) => [k, numberOrText(f[k])])),
  } as z.input<typeof propertySchema>;
}

/** A date list with one more date: in order, each date once. */
export const withDate = (dates: readonly string[], date: string) => [...new Set([...dates, date])].sort();

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const toggleDay = (days: readonly number[], day: number) =>
  days.includes(day) ? days.filter((d) => d !== day) : [...days, day].sort((a, b) => a - b);

/** A calendar preset the form offers: a year's public holidays and make-up workdays. */
export interface HolidayPreset {
  id: string;
  label: string;
  holidays: string[];
  extraWorkdays: string[];
}
export const HOLIDAY_PRESETS: readonly HolidayPreset[] = Object.entries(PRESETS).map(([id, p]) => ({
  id,
  label: p.name,
  holidays: [...p.holidays],
  extraWorkdays: [...p.extraWorkdays],
}));

/** The form with a preset's dates added to what it has (a manager's own dates stay). */
export const withPreset = (f: PropertyForm, preset: HolidayPreset): PropertyForm => ({
  ...f,
  holidays: preset.holidays.reduce(withDate, f.holidays),
  extraWorkdays: preset.extraWorkdays.reduce(withDate, f.extraWorkdays),
});
