import type { PropertyPolicy, Technician } from '../../../client/api-client';
import { DEFAULT_PROPERTY } from '../../../functions/domain/policy';
import { propertySchema, technicianSchema } from '../../../functions/domain/schemas';
import {
  bodyOf,
  formOf,
  HOLIDAY_PRESETS,
  toggleDay,
  withDate,
  withPreset,
} from '../../../pages/console/property-form';
import {
  flippedDuty,
  formOfTechnician,
  newTechnician,
  splitList,
  technicianBodyOf,
} from '../../../pages/console/roster-form';
import { errorAt, unplaced } from '../../../pages/shared/field-errors';

// The roster and property forms: what they send is what the server's schema takes, a value
// that is not a number reaches the server to be named, and each refusal lands on its field.

const POLICY: PropertyPolicy = { ...DEFAULT_PROPERTY, name: 'B2', propertyId: 'B2', configured: false };
const TECH: Technician = {
  technicianId: 't-1',
  name: 'Wang Wei',
  skills: ['plumbing'],
  properties: ['B2'],
  onDuty: true,
  maxOpenJobs: 3,
};

describe('the property settings form', () => {
  test('an unchanged form sends the settings it was read from', () => {
    const body = bodyOf(formOf(POLICY));

    expect(propertySchema.parse(body)).toEqual({ ...DEFAULT_PROPERTY, name: 'B2' });
  });

  test('business hours, a holiday and a make-up workday are sent as typed, the dates in order', () => {
    const form = { ...formOf(POLICY), start: '08:30', end: '17:00' };
    form.holidays = withDate(withDate(form.holidays, '2026-10-02'), '2026-10-01');
    form.extraWorkdays = withDate(form.extraWorkdays, '2026-09-27');

    const body = propertySchema.parse(bodyOf(form));

    expect(body.businessHours).toEqual({ start: '08:30', end: '17:00' });
    expect(body.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(body.extraWorkdays).toEqual(['2026-09-27']);
  });

  test('a date added twice is listed once', () => {
    expect(withDate(['2026-10-01'], '2026-10-01')).toEqual(['2026-10-01']);
  });

  test('a number left empty or mistyped goes as typed, so the server names its field', () => {
    const form = { ...formOf(POLICY), callbackDays: '', urgentArrivalMinutes: '10m' };

    const result = propertySchema.safeParse(bodyOf(form));

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'sla.callbackDays',
      'sla.urgentArrivalMinutes',
    ]);
  });

  test('workdays toggle on and off and are sent in weekday order', () => {
    const days = toggleDay(toggleDay([1, 2, 3, 4, 5], 6), 2);

    expect(days).toEqual([1, 3, 4, 5, 6]);
    expect(bodyOf({ ...formOf(POLICY), workdays: [6, 1] }).workdays).toEqual([1, 6]);
  });

  test("a holiday preset adds its dates to the manager's own", () => {
    const form = { ...formOf(POLICY), holidays: ['2026-12-24'] };

    const loaded = withPreset(form, {
      id: 'x',
      label: 'x',
      holidays: ['2026-10-01', '2026-12-24'],
      extraWorkdays: ['2026-09-27'],
    });

    expect(loaded.holidays).toEqual(['2026-10-01', '2026-12-24']);
    expect(loaded.extraWorkdays).toEqual(['2026-09-27']);
  });
});

describe('the technician form', () => {
  test('an edited technician sends what the server stores', () => {
    const body = technicianBodyOf({ ...formOfTechnician(TECH), properties: 'B2，A1 B2' });

    expect(technicianSchema.parse(body)).toEqual({
      name: 'Wang Wei',
      skills: ['plumbing'],
      properties: ['B2', 'A1'],
      onDuty: true,
      maxOpenJobs: 3,
    });
  });

  test('a new technician starts on duty at the property the roster shows, with no skills', () => {
    expect(newTechnician('B2', 3)).toMatchObject({
      properties: 'B2',
      onDuty: true,
      skills: [],
      maxOpenJobs: '3',
    });
  });

  test('a max of zero reaches the server, which names maxOpenJobs', () => {
    const result = technicianSchema.safeParse(
      technicianBodyOf({ ...formOfTechnician(TECH), maxOpenJobs: '0' }),
    );

    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['maxOpenJobs']);
  });

  test('flipping on duty sends the whole technician with only onDuty changed', () => {
    const body = flippedDuty(TECH);

    expect(technicianSchema.parse(body)).toEqual({ ...TECH, technicianId: undefined, onDuty: false });
    expect(body).not.toHaveProperty('technicianId');
  });

  test('a typed list splits on commas and spaces, each item once', () => {
    expect(splitList(' B2, A1  B2、C3 ')).toEqual(['B2', 'A1', 'C3']);
  });
});

describe("the server's field errors", () => {
  const errors = [
    { path: 'holidays.1', message: 'must be a local date, YYYY-MM-DD' },
    { path: 'holidays.3', message: 'must be a local date, YYYY-MM-DD' },
    { path: 'sla.acceptWarnMinutes', message: 'must be shorter than urgentArrivalMinutes' },
    { path: 'color', message: 'unknown field' },
  ];

  test("a list's item errors show once at the list", () => {
    expect(errorAt(errors, 'holidays')).toBe('must be a local date, YYYY-MM-DD');
  });

  test('a nested field is found by its path, and a field with none has none', () => {
    expect(errorAt(errors, 'sla.acceptWarnMinutes')).toBe('must be shorter than urgentArrivalMinutes');
    expect(errorAt(errors, 'sla.callbackDays')).toBeUndefined();
  });

  test('what no field shows is left for the summary', () => {
    expect(unplaced(errors, ['holidays', 'sla'])).toBe('color: unknown field');
  });
});

describe('the holiday presets the property form offers', () => {
  it("offers China's 2026 schedule, its make-up workdays included", () => {
    const cn = HOLIDAY_PRESETS.find((p) => p.id === 'CN-2026');

    expect(cn?.holidays).toContain('2026-02-16');
    expect(cn?.extraWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });
});
