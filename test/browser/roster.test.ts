import { expectStatus } from '../../client/api-client';
import { categoryLabel } from '../../pages/shared/i18n';
import { DESKTOP, openPage, signIn, type WatchedPage } from '../support/browser';
import { urgentBooking } from '../support/client';
import { type Product, startProduct } from '../support/product';

// The managers' roster and property settings in a real Chromium against a real `npm start`: a
// technician added, flipped off and on duty, a bad value refused at its field; a property's
// business hours and holiday saved and read back; the board's property filter; and the tabs
// agents do not get. (A token limited to one property cannot be minted locally yet: the
// filter's scope is tested in test/unit/pages/scope.test.ts.)

let product: Product;
const tabs: WatchedPage[] = [];
beforeAll(async () => {
  product = await startProduct();
});
afterAll(() => product?.stop());
afterEach(async () => {
  const incidents = tabs.flatMap((t) => t.incidents);
  for (const t of tabs.splice(0)) await t.context.close();
  expect(incidents).toEqual([]);
});

async function open() {
  const tab = await openPage(product.browser, DESKTOP);
  tabs.push(tab);
  return tab.page;
}

/** Asks until `read` gives what `done` wants, or fails after `ms` with the last value. */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

test('a manager adds a technician, flips them off and on duty, and a max of zero is refused at its field', async () => {
  const manager = await product.client.token('m-roster', 'manager');
  const page = await open();
  await signIn(page, product.url, 'm-roster', 'manager', '/console/#/roster');
  const form = page.getByTestId('technician-form');
  await form.getByRole('heading', { name: '添加师傅' }).waitFor();

  await form.getByLabel('师傅编号').fill('t-wang');
  await form.getByLabel('姓名').fill('Wang Wei');
  await form.getByRole('checkbox', { name: categoryLabel('zh-CN', 'plumbing') }).check();
  await form.getByLabel('负责项目').fill('B2');
  await form.getByLabel('同时最多工单数').fill('0');
  await form.getByRole('button', { name: '保存师傅信息' }).click();

  const message = form.locator('#t-max-error');
  await message.waitFor({ timeout: 3000 });
  expect(await message.innerText()).toMatch(/>=\s*1/);
  expect(await form.getByLabel('同时最多工单数').getAttribute('aria-invalid')).toBe('true');
  expect(await form.getByLabel('同时最多工单数').getAttribute('aria-describedby')).toBe('t-max-error');
  expect((await product.client.getTechnician(manager, 't-wang')).status).toBe(404);

  await form.getByLabel('同时最多工单数').fill('2');
  await form.getByRole('button', { name: '保存师傅信息' }).click();

  await form.getByRole('status').filter({ hasText: '已保存:Wang Wei' }).waitFor({ timeout: 3000 });
  await page.locator('tr[data-technician="t-wang"]').waitFor({ timeout: 3000 });
  expect(expectStatus(await product.client.getTechnician(manager, 't-wang'))).toEqual({
    technicianId: 't-wang',
    name: 'Wang Wei',
    skills: ['plumbing'],
    properties: ['B2'],
    onDuty: true,
    maxOpenJobs: 2,
  });

  const duty = page.getByRole('switch', { name: 'Wang Wei 在岗' });
  expect(await duty.isChecked()).toBe(true);
  await duty.click();
  const off = await eventually(
    async () => expectStatus(await product.client.getTechnician(manager, 't-wang')).onDuty,
    (onDuty) => !onDuty,
  );
  expect(off).toBe(false);
  await page.locator('tr[data-technician="t-wang"] input[role="switch"]:not(:checked):enabled').waitFor();
  expect(await page.locator('tr[data-technician="t-wang"]').innerText()).toContain('休息');

  await duty.click();
  const on = await eventually(
    async () => expectStatus(await product.client.getTechnician(manager, 't-wang')).onDuty,
    (onDuty) => onDuty,
  );
  expect(on).toBe(true);
  // Flipping changed nothing else.
  expect(expectStatus(await product.client.getTechnician(manager, 't-wang'))).toMatchObject({
    name: 'Wang Wei',
    maxOpenJobs: 2,
    skills: ['plumbing'],
  });
});

test('adding a technician whose id is on the roster already is refused, and the one there stays', async () => {
  const manager = await product.client.token('m-roster', 'manager');
  const body = { name: 'Li Na', skills: ['electrical' as const], properties: ['A1'], onDuty: true };
  expectStatus(await product.client.putTechnician(manager, 't-li', body));
  const page = await open();
  await signIn(page, product.url, 'm-roster', 'manager', '/console/#/roster');
  const form = page.getByTestId('technician-form');

  await form.getByLabel('师傅编号').fill('t-li');
  await form.getByLabel('姓名').fill('Someone else');
  await form.getByRole('checkbox', { name: categoryLabel('zh-CN', 'plumbing') }).check();
  await form.getByLabel('负责项目').fill('B2');
  await form.getByRole('button', { name: '保存师傅信息' }).click();

  expect(await form.getByRole('alert').innerText()).toBe('师傅 t-li 已在名册中,请直接编辑。');
  expect(expectStatus(await product.client.getTechnician(manager, 't-li')).name).toBe('Li Na');
});

test("a manager saves a property's business hours and a holiday, and reads them back", async () => {
  const manager = await product.client.token('m-property', 'manager');
  const page = await open();
  await signIn(page, product.url, 'm-property', 'manager', '/console/#/properties');
  await page.getByLabel('项目代码').fill('H8');
  await page.getByRole('button', { name: '打开' }).click();
  const form = page.locator('form[data-property="H8"]');
  await form.waitFor({ timeout: 3000 });
  expect(await form.getAttribute('data-configured')).toBe('false');
  await form.getByTestId('unconfigured').waitFor();

  await form.getByLabel('开始').fill('08:30');
  await form.getByLabel('结束').fill('17:30');
  await form.locator('#p-holidays-new').fill('2026-10-01');
  await form.getByRole('button', { name: '添加 节假日' }).click();
  await form.locator('[data-dates="p-holidays"] li[data-date="2026-10-01"]').waitFor();
  // A warning no earlier than the deadline it warns of is refused, at its field.
  await form.getByLabel(/^紧急工单无人接单提醒/).fill('10');
  await form.getByRole('button', { name: '保存设置' }).click();

  const refused = form.locator('#p-acceptWarnMinutes-error');
  await refused.waitFor({ timeout: 3000 });
  expect(await refused.innerText()).toContain('urgentArrivalMinutes');
  expect(expectStatus(await product.client.getProperty(manager, 'H8')).configured).toBe(false);

  await form.getByLabel(/^紧急工单无人接单提醒/).fill('3');
  await form.getByRole('button', { name: '保存设置' }).click();
  await form.getByRole('status').filter({ hasText: '已保存:H8' }).waitFor({ timeout: 3000 });

  expect(expectStatus(await product.client.getProperty(manager, 'H8'))).toMatchObject({
    configured: true,
    businessHours: { start: '08:30', end: '17:30' },
    holidays: ['2026-10-01'],
    sla: { acceptWarnMinutes: 3, urgentArrivalMinutes: 10 },
  });
  await page.reload();
  const again = page.locator('form[data-property="H8"][data-configured="true"]');
  await again.waitFor({ timeout: 3000 });
  expect(await again.getByLabel('开始').inputValue()).toBe('08:30');
  expect(await again.getByLabel('结束').inputValue()).toBe('17:30');
  await again.locator('[data-dates="p-holidays"] li[data-date="2026-10-01"]').waitFor();
  expect(await again.getByTestId('unconfigured').count()).toBe(0);
  await page.locator('aside li[data-property="H8"] a').waitFor();
});

test('the board shows only the property typed into its filter', async () => {
  const resident = await product.client.token('r-filter', 'resident');
  const b2 = expectStatus(await product.client.book(resident, urgentBooking({ unitId: 'B2-0707' })), 201);
  const a1 = expectStatus(await product.client.book(resident, urgentBooking({ unitId: 'A1-0707' })), 201);
  const page = await open();
  await signIn(page, product.url, 'm-filter', 'manager', '/console/');
  await page.locator(`tr[data-job="${a1.jobId}"]`).waitFor({ timeout: 3000 });
  await page.locator(`tr[data-job="${b2.jobId}"]`).waitFor();

  await page.getByLabel('项目').fill('B2');

  // The board asks the server for B2's open jobs (?property=B2): the rows come back with its answer.
  await page.locator(`tr[data-job="${a1.jobId}"]`).waitFor({ state: 'detached' });
  await page.locator(`tr[data-job="${b2.jobId}"]`).waitFor();
  expect(await page.locator(`tr[data-job="${a1.jobId}"]`).count()).toBe(0);
  const properties = await page.locator('tr[data-job] a').allInnerTexts();
  expect(properties.every((unit) => unit.startsWith('B2-'))).toBe(true);
});

test('agents do not get the roster or the property settings', async () => {
  const page = await open();
  await signIn(page, product.url, 'a-roster', 'agent', '/console/#/roster');
  await page.getByRole('link', { name: '工单看板' }).waitFor();

  expect(await page.getByRole('link', { name: '师傅名册' }).count()).toBe(0);
  expect(await page.getByRole('link', { name: '项目设置' }).count()).toBe(0);
  expect(await page.getByTestId('technician-form').count()).toBe(0);
});

test('a manager assigns a booked job from the board; an off-duty pick is refused in words, the fit one is offered', async () => {
  const manager = await product.client.token('m-assign', 'manager');
  const tech = { skills: ['plumbing' as const], properties: ['K5'], onDuty: true };
  expectStatus(await product.client.putTechnician(manager, 't-zhao', { ...tech, name: 'Zhao Lei' }));
  expectStatus(
    await product.client.putTechnician(manager, 't-off', { ...tech, name: 'Off Duty', onDuty: false }),
  );
  const resident = await product.client.token('r-assign', 'resident');
  const job = expectStatus(await product.client.book(resident, urgentBooking({ unitId: 'K5-0101' })), 201);
  const page = await open();
  await signIn(page, product.url, 'm-assign', 'manager', '/console/');
  const row = page.locator(`tr[data-job="${job.jobId}"]`);
  const picker = row.getByLabel('指派给');
  await picker.locator('option[value="t-off"]').waitFor({ state: 'attached', timeout: 5000 });
  // The fit technician comes first; the off-duty one is labelled so.
  expect(await picker.inputValue()).toBe('t-zhao');
  expect(await picker.locator('option[value="t-off"]').innerText()).toContain('休息');

  await picker.selectOption('t-off');
  await row.getByRole('button', { name: '指派' }).click();
  const refusal = row.getByRole('alert');
  await refusal.waitFor({ timeout: 3000 });
  expect(await refusal.innerText()).toContain('is off duty');
  expect(expectStatus(await product.client.getJob(manager, job.jobId)).offer).toBeNull();

  await picker.selectOption('t-zhao');
  await row.getByRole('button', { name: '指派' }).click();
  await row.getByText('已派给 Zhao Lei').waitFor({ timeout: 3000 });
  expect(await row.getByRole('alert').count()).toBe(0);
  expect(await row.getByRole('button', { name: '改派' }).count()).toBe(1);
  const history = expectStatus(await product.client.getJobHistory(manager, job.jobId)).items;
  expect(history.filter((h) => h.type === 'job.assigned')).toEqual([
    expect.objectContaining({
      actor: 'manager:m-assign',
      data: expect.objectContaining({ technicianId: 't-zhao' }),
    }),
  ]);
  expect(expectStatus(await product.client.getJob(manager, job.jobId)).offer?.technicianId).toBe('t-zhao');
});
