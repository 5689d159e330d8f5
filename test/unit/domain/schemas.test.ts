import type { z } from 'zod';
import {
  bookingSchema,
  callbackSchema,
  cancelSchema,
  listQuerySchema,
  webhookEventSchema,
} from '../../../functions/domain/schemas';
import { VALID_PNG } from '../support/fixtures';

const booking = {
  unitId: 'B2-1203',
  category: 'plumbing',
  description: 'Kitchen tap leaking',
  priority: 'urgent',
  contactPhone: '+8613800138000',
  locale: 'en',
};

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  expect(result.success).toBe(false);
  return (
    result.error?.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })) ?? []
  );
};
const pathsOf = (schema: z.ZodType, value: unknown) => issuesOf(schema, value).map((i) => i.path);

describe('bookingSchema', () => {
  it('accepts the booking of the contract', () => {
    expect(bookingSchema.parse(booking)).toEqual(booking);
  });

  it('defaults the locale to zh-CN', () => {
    const { locale: _, ...withoutLocale } = booking;

    expect(bookingSchema.parse(withoutLocale).locale).toBe('zh-CN');
  });

  it.each(['status', 'technician', 'sla', 'laborWaived'])('rejects the unknown field %s', (field) => {
    const issues = issuesOf(bookingSchema, { ...booking, [field]: 'x' });

    expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', path: '' })]);
    expect(issues[0]?.message).toContain(field);
  });

  it('rejects an unknown field inside the appointment', () => {
    const appointment = { start: '2026-11-24T02:00:00.000Z', end: '2026-11-24T04:00:00.000Z', room: 'x' };

    expect(pathsOf(bookingSchema, { ...booking, priority: 'regular', appointment })).toEqual(['appointment']);
  });

  it.each([
    '13800138000',
    '+0861380013800',
    '+86 138 0013 8000',
    '+86-13800138000',
    '+12345',
    '+1234567890123456',
  ])('rejects the phone number %j', (contactPhone) => {
    expect(issuesOf(bookingSchema, { ...booking, contactPhone })).toEqual([
      {
        path: 'contactPhone',
        code: 'invalid_format',
        message: 'must be an E.164 phone number, e.g. +8613800138000',
      },
    ]);
  });

  it.each(['+8613800138000', '+14155550123', '+4420712345'])(
    'accepts the E.164 phone number %j',
    (contactPhone) => {
      expect(bookingSchema.safeParse({ ...booking, contactPhone }).success).toBe(true);
    },
  );

  it('rejects an empty description', () => {
    expect(pathsOf(bookingSchema, { ...booking, description: '' })).toEqual(['description']);
  });

  it('rejects a description of only spaces', () => {
    expect(pathsOf(bookingSchema, { ...booking, description: '   ' })).toEqual(['description']);
  });

  it('accepts a one-character description', () => {
    expect(bookingSchema.parse({ ...booking, description: 'x' }).description).toBe('x');
  });

  it('accepts a description of 1000 characters', () => {
    expect(bookingSchema.safeParse({ ...booking, description: 'x'.repeat(1000) }).success).toBe(true);
  });

  it('rejects a description of 1001 characters', () => {
    expect(pathsOf(bookingSchema, { ...booking, description: 'x'.repeat(1001) })).toEqual(['description']);
  });

  it('trims the description', () => {
    expect(bookingSchema.parse({ ...booking, description: '  Tap  ' }).description).toBe('Tap');
  });

  it.each(['roof', 'PLUMBING', ''])('rejects the category %j', (category) => {
    expect(pathsOf(bookingSchema, { ...booking, category })).toEqual(['category']);
  });

  it.each(['plumbing', 'electrical', 'appliance', 'door_lock', 'hvac', 'other'])(
    'accepts the category %s',
    (category) => {
      expect(bookingSchema.safeParse({ ...booking, category }).success).toBe(true);
    },
  );

  it.each(['emergency', 'Urgent'])('rejects the priority %j', (priority) => {
    expect(pathsOf(bookingSchema, { ...booking, priority })).toEqual(['priority']);
  });

  it('rejects a locale other than zh-CN or en', () => {
    expect(pathsOf(bookingSchema, { ...booking, locale: 'fr' })).toEqual(['locale']);
  });

  it.each(['', '-B2', 'B2 1203', 'B2/1203', 'x'.repeat(33)])('rejects the unitId %j', (unitId) => {
    expect(pathsOf(bookingSchema, { ...booking, unitId })).toEqual(['unitId']);
  });

  it.each(['2026-11-24T02:00:00Z', '2026-11-24T10:00:00.000+08:00', '2026-11-24 02:00:00.000Z', 'tomorrow'])(
    'rejects the appointment start %j: UTC with milliseconds only',
    (start) => {
      const appointment = { start, end: '2026-11-24T04:00:00.000Z' };

      expect(issuesOf(bookingSchema, { ...booking, appointment })).toEqual([
        {
          path: 'appointment.start',
          code: 'invalid_format',
          message: 'must be an ISO 8601 UTC time with milliseconds',
        },
      ]);
    },
  );

  it('names every missing required field', () => {
    expect(pathsOf(bookingSchema, {}).sort()).toEqual(
      ['category', 'contactPhone', 'description', 'priority', 'unitId'].sort(),
    );
  });
});

describe('callbackSchema', () => {
  it('accepts a callback that did not reach the resident with nothing else', () => {
    expect(callbackSchema.parse({ reached: false })).toEqual({ reached: false });
  });

  it('accepts a completed callback', () => {
    const body = { reached: true, satisfaction: 4, issueResolved: true, comment: 'Fine' };

    expect(callbackSchema.parse(body)).toEqual(body);
  });

  it('requires satisfaction and issueResolved when the resident was reached', () => {
    expect(issuesOf(callbackSchema, { reached: true })).toEqual([
      { path: 'satisfaction', code: 'custom', message: 'required when reached is true' },
      { path: 'issueResolved', code: 'custom', message: 'required when reached is true' },
    ]);
  });

  it.each([0, 6, 3.5])('rejects the satisfaction %p (an integer 1-5)', (satisfaction) => {
    expect(pathsOf(callbackSchema, { reached: true, satisfaction, issueResolved: true })).toEqual([
      'satisfaction',
    ]);
  });

  it('rejects an unknown field', () => {
    expect(issuesOf(callbackSchema, { reached: false, status: 'closed' })[0]?.code).toBe('unrecognized_keys');
  });
});

describe('cancelSchema', () => {
  it('accepts an empty body', () => {
    expect(cancelSchema.parse({})).toEqual({});
  });

  it('rejects a reason over 500 characters', () => {
    expect(pathsOf(cancelSchema, { reason: 'x'.repeat(501) })).toEqual(['reason']);
  });
});

describe('listQuerySchema', () => {
  it('defaults the limit to 20', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: 20 });
  });

  it('reads the limit from a query string', () => {
    expect(listQuerySchema.parse({ limit: '50' }).limit).toBe(50);
  });

  it.each(['0', '101', 'ten'])('rejects the limit %j', (limit) => {
    expect(pathsOf(listQuerySchema, { limit })).toEqual(['limit']);
  });

  it('rejects an unknown status', () => {
    expect(pathsOf(listQuerySchema, { status: 'lost' })).toEqual(['status']);
  });
});

describe('webhookEventSchema', () => {
  const base = { jobId: 'job-1', technicianId: 't-1', occurredAt: '2026-11-23T08:00:00.000Z' };

  it('accepts each event with its own data', () => {
    const event = { ...base, type: 'job.accepted', data: { technicianName: 'Wang Wei' } };

    expect(webhookEventSchema.parse(event)).toEqual(event);
  });

  it('rejects an unknown event type', () => {
    expect(pathsOf(webhookEventSchema, { ...base, type: 'job.teleported', data: {} })).toEqual(['type']);
  });

  it("rejects another event's data", () => {
    expect(
      pathsOf(webhookEventSchema, { ...base, type: 'job.accepted', data: { etaMinutes: 5 } }).sort(),
    ).toEqual(['data', 'data.technicianName'].sort());
  });

  it('rejects an unknown field at the top level', () => {
    const event = { ...base, type: 'job.work_started', data: {}, status: 'completed' };

    expect(issuesOf(webhookEventSchema, event)[0]?.code).toBe('unrecognized_keys');
  });

  it('requires the kit to name all four items (S4)', () => {
    const event = {
      ...base,
      type: 'job.arrived',
      data: { kit: { tools: true, floorMat: true, cloth: true } },
    };

    expect(pathsOf(webhookEventSchema, event)).toEqual(['data.kit.shoeCovers']);
  });

  it('requires the fault and price to be explained before work (S5)', () => {
    const event = {
      ...base,
      type: 'job.diagnosed',
      data: {
        fault: 'Worn washer',
        covered: true,
        quote: { labor: 0, parts: 0, currency: 'CNY' },
        residentAcknowledged: false,
      },
    };

    expect(issuesOf(webhookEventSchema, event)).toEqual([
      expect.objectContaining({
        path: 'data.residentAcknowledged',
        message: 'the fault and price must be explained first (S5)',
      }),
    ]);
  });

  it('accepts quotes in CNY only', () => {
    const event = {
      ...base,
      type: 'job.diagnosed',
      data: {
        fault: 'x',
        covered: false,
        quote: { labor: 1, parts: 1, currency: 'USD' },
        residentAcknowledged: true,
      },
    };

    expect(pathsOf(webhookEventSchema, event)).toEqual(['data.quote.currency']);
  });

  it('requires the fix to be tested in front of the resident (S10)', () => {
    const event = {
      ...base,
      type: 'job.completed',
      data: { testedWithResident: false, explanation: { cause: 'a', fix: 'b', advice: 'c' } },
    };

    expect(issuesOf(webhookEventSchema, event)[0]).toMatchObject({
      path: 'data.testedWithResident',
      message: 'the fix must be tested in front of the resident (S10)',
    });
  });

  it("requires the resident's consent for a take-away (S9)", () => {
    const event = {
      ...base,
      type: 'job.unable_to_fix',
      data: { reason: 'Part', takeAway: { consent: false, receiptNo: 'R-1' } },
    };

    expect(pathsOf(webhookEventSchema, event)).toEqual(['data.takeAway.consent']);
  });

  it('requires a clean site and restored belongings (S2, S11)', () => {
    const event = {
      ...base,
      type: 'job.site_cleaned',
      data: { siteClean: false, belongingsRestored: false },
    };

    expect(pathsOf(webhookEventSchema, event)).toEqual(['data.siteClean', 'data.belongingsRestored']);
  });

  it('accepts a base64 PNG signature (S12)', () => {
    const event = { ...base, type: 'job.form_signed', data: { signerName: 'Li Na', signature: VALID_PNG } };

    expect(webhookEventSchema.safeParse(event).success).toBe(true);
  });

  it('rejects a signature that is not a PNG', () => {
    const event = {
      ...base,
      type: 'job.form_signed',
      data: { signerName: 'Li Na', signature: '/9j/4AAQSkZJRg==' },
    };

    expect(issuesOf(webhookEventSchema, event)[0]).toMatchObject({
      path: 'data.signature',
      message: 'must be a base64-encoded PNG',
    });
  });

  it('rejects a signature larger than 200 KiB', () => {
    const big = `iVBORw0KGgo${'A'.repeat(Math.ceil((200 * 1024) / 3) * 4)}`;
    const event = { ...base, type: 'job.form_signed', data: { signerName: 'Li Na', signature: big } };

    expect(issuesOf(webhookEventSchema, event)[0]).toMatchObject({
      path: 'data.signature',
      message: 'must be a base64 PNG of at most 200 KiB',
    });
  });

  it('rejects an occurredAt without milliseconds', () => {
    const event = { ...base, occurredAt: '2026-11-23T08:00:00Z', type: 'job.work_started', data: {} };

    expect(pathsOf(webhookEventSchema, event)).toEqual(['occurredAt']);
  });

  it.each([-1, 601, 2.5])('rejects an etaMinutes of %p', (etaMinutes) => {
    expect(pathsOf(webhookEventSchema, { ...base, type: 'job.en_route', data: { etaMinutes } })).toEqual([
      'data.etaMinutes',
    ]);
  });
});
