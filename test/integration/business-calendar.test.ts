import { expectStatus, type Problem } from '../../client/api-client';
import { addDays, isoWeekday, localDate } from '../../functions/domain/calendar';
import type { LocalStack } from '../../local/stack';
import { appointmentAfter, type Client, urgentBooking } from '../support/client';
import { testStack } from '../support/stack';

// A property's business calendar on the local stack: stored with PUT /properties, it decides
// which regular windows a booking may take and when a complaint's investigation is due, over
// HTTP and in DynamoDB Local. Properties nobody configured keep 09:00–18:00, Monday to Friday.

let stack: LocalStack;
let client: Client;
let manager: string;
let resident: string;
/** Today in Shanghai, a business day on the default calendar, at 09:00 (the clock is frozen there). */
let morning: Date;
let today: string;

beforeAll(async () => {
  ({ stack, client } = await testStack({ clockSpeed: 0 }));
  manager = await client.token('m-cal', 'manager');
  resident = await client.token('r-cal', 'resident');
  morning = await client.toBusinessMorning();
  today = localDate(morning, 'Asia/Shanghai');
  // Property H8 closes today for a holiday.
  expectStatus(
    await client.putProperty(manager, 'H8', {
      name: 'Holiday House',
      timeZone: 'Asia/Shanghai',
      holidays: [today],
    }),
    200,
  );
});
afterAll(() => stack?.stop());

const paths = (reply: { body: unknown }) => ((reply.body as Problem).errors ?? []).map((e) => e.path);

test('a regular window today is booked where the property works and refused where it is a holiday', async () => {
  const window = appointmentAfter(morning, 2 * 3600_000); // 11:00–12:00 today
  expect(localDate(new Date(window.start), 'Asia/Shanghai')).toBe(today);

  const open = await client.book(resident, { ...urgentBooking(), priority: 'regular', appointment: window });
  const closed = await client.book(resident, {
    ...urgentBooking({ unitId: 'H8-0101' }),
    priority: 'regular',
    appointment: window,
  });

  expect(open.status).toBe(201);
  expect(closed.status).toBe(400);
  expect(paths(closed)).toEqual(['appointment.start', 'appointment.end']);
  expect((closed.body as Problem).errors?.[0]?.message).toBe(
    'must be within business hours, 09:00–18:00 on a business day (Asia/Shanghai)',
  );
});

test('a regular window in the evening is refused at its end when it runs past closing time', async () => {
  const evening = {
    start: new Date(morning.getTime() + 8 * 3600_000),
    end: new Date(morning.getTime() + 10 * 3600_000),
  };
  const reply = await client.book(resident, {
    ...urgentBooking(),
    priority: 'regular',
    appointment: { start: evening.start.toISOString(), end: evening.end.toISOString() }, // 17:00–19:00
  });

  expect(reply.status).toBe(400);
  expect(paths(reply)).toEqual(['appointment.end']);
});

test('an urgent repair is booked on the holiday all the same', async () => {
  expect((await client.book(resident, urgentBooking({ unitId: 'H8-0102' }))).status).toBe(201);
});

test("a complaint on the holiday is due at the end of the property's next business day", async () => {
  const body = {
    category: 'conduct',
    description: 'Rude on the phone',
    contactPhone: '+8613800138000',
  } as const;
  const onHoliday = expectStatus(await client.fileComplaint(resident, { ...body, unitId: 'H8-0101' }), 201);
  const workingDay = expectStatus(await client.fileComplaint(resident, { ...body, unitId: 'B2-0101' }), 201);

  // Today is a weekday: the next business day is tomorrow, or Monday when today is Friday.
  const next = addDays(today, isoWeekday(today) === 5 ? 3 : 1);
  expect(localDate(new Date(onHoliday.sla.investigationDueAt), 'Asia/Shanghai')).toBe(next);
  expect(localDate(new Date(workingDay.sla.investigationDueAt), 'Asia/Shanghai')).toBe(today);
  expect(new Date(onHoliday.sla.investigationDueAt).toISOString().endsWith('15:59:59.999Z')).toBe(true);
});
