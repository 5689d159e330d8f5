import { DESKTOP, openPage, PHONE, signIn, type WatchedPage } from '../support/browser';
import { drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { type Product, startProduct } from '../support/product';

// The operations console in a real Chromium against a real `npm start`: the live board, phone
// intake, the callback queue and the report, and what must never happen on any page.

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

async function open(viewport = DESKTOP) {
  const tab = await openPage(product.browser, viewport);
  tabs.push(tab);
  return tab.page;
}

async function bookAs(sub: string, extra: Record<string, unknown> = {}) {
  const token = await product.client.token(sub, 'resident');
  const reply = await product.client.book(token, urgentBooking(extra));
  if (reply.status !== 201) throw new Error(`booking answered ${reply.status}`);
  return reply.body.jobId as string;
}

const row = (jobId: string) => `tr[data-job="${jobId}"]`;

test('the board shows a new booking within 3 s, then its missed arrival and the alert without a reload', async () => {
  const page = await open();
  await signIn(page, product.url, 'm-1', 'manager', '/console/');
  await page.getByRole('heading', { name: /进行中的工单/ }).waitFor();

  const jobId = await bookAs('r-board', { description: 'Water heater leaking' });

  await page.locator(row(jobId)).waitFor({ timeout: 3000 });
  expect(await page.locator(row(jobId)).getAttribute('data-risk')).not.toBe('missed');
  await product.client.advance(11 * 60);
  await page.locator(`${row(jobId)}[data-risk="missed"]`).waitFor({ timeout: 3000 });
  await page.locator(`[data-alert="sla.arrival_missed"][data-job="${jobId}"]`).waitFor({ timeout: 3000 });
  expect(await page.locator(row(jobId)).innerText()).toContain('已超时');
});

test("an agent books by phone after reading it back, and the job is on the resident's page", async () => {
  const page = await open();
  await signIn(page, product.url, 'a-1', 'agent', '/console/#/intake');
  await page.getByLabel('住户账号').fill('r-caller');
  await page.getByLabel('房号').fill('C3-0501');
  await page.getByLabel('电话').first().fill('+8613900139000');
  await page.getByLabel('描述').fill('Front door lock jammed');
  await page.getByRole('button', { name: '核对' }).click();

  const readBack = await page.getByTestId('read-back').innerText();
  expect(readBack).toContain('r-caller');
  expect(readBack).toContain('Front door lock jammed');
  await page.getByRole('button', { name: '确认并提交' }).click();
  await page.getByText(/已提交:工单/).waitFor();

  const phone = await open(PHONE);
  await signIn(phone, product.url, 'r-caller', 'resident', '/app/');
  await phone.getByText('Front door lock jammed').waitFor({ timeout: 3000 });
  const token = await product.client.token('r-caller', 'resident');
  const [job] = (await product.client.request('GET', '/jobs', { token })).body.items;
  expect(job).toMatchObject({ channel: 'phone', residentId: 'r-caller', unitId: 'C3-0501' });
});

test('an agent works the callback queue to closed, and the month report counts it', async () => {
  const jobId = await bookAs('r-callback', { description: 'Socket sparks' });
  await drive(product.client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  const page = await open();
  await signIn(page, product.url, 'a-2', 'agent', '/console/#/callbacks');
  const item = page.locator(`li[data-job="${jobId}"]`);
  await item.waitFor({ timeout: 3000 });
  expect(await item.locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:+8613800138000');

  await item.getByLabel('满意度(1–5)').selectOption('4');
  await item.getByRole('button', { name: '记录回访' }).click();

  await item.waitFor({ state: 'detached', timeout: 3000 });
  const staff = await product.client.token('a-2', 'agent');
  const view = (await product.client.request('GET', `/jobs/${jobId}`, { token: staff })).body;
  expect(view).toMatchObject({ status: 'closed', satisfaction: 4 });

  const manager = await open();
  await signIn(manager, product.url, 'm-report', 'manager', '/console/#/reports');
  // Kept current from the table's stream: polled until the closing has been counted.
  await manager.locator('[data-kpi="closed"] strong', { hasText: /^1$/ }).waitFor({ timeout: 5000 });
  expect(await manager.locator('[data-kpi="satisfaction"] strong').innerText()).toBe('4.0');
  expect(await manager.getByTestId('league').innerText()).toContain('Wang Wei');
});

test('a stored script in a description is text on the board and the detail, and never runs', async () => {
  const jobId = await bookAs('r-xss', { description: '<img src=x onerror=alert(1)>' });
  const page = await open();
  await signIn(page, product.url, 'm-2', 'manager', '/console/');

  await page.locator(row(jobId)).waitFor({ timeout: 3000 });
  expect(await page.locator(row(jobId)).innerText()).toContain('<img src=x onerror=alert(1)>');
  await page.locator(`${row(jobId)} a`).click();
  await page.locator(`article[data-job="${jobId}"]`).waitFor();

  expect(await page.locator('article').innerText()).toContain('<img src=x onerror=alert(1)>');
  expect(await page.locator('img').count()).toBe(0);
});

test.each(['/app/', '/console/'])('%s is served with a strict CSP and the security headers', async (path) => {
  const page = await open();
  const response = await page.goto(`${product.url}${path}`);
  const headers = response?.headers() ?? {};

  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
});
