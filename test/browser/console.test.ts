import { expectStatus } from '../../client/api-client';
import { DESKTOP, openPage, PHONE, signIn, type WatchedPage } from '../support/browser';
import { drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { type Product, startProduct } from '../support/product';

// The operations console in a real Chromium against a real `npm start`: the live board, phone
// intake, the callback queue (with its rework), the complaints queue, a job's links and
// follow-up, the report, and what must never happen on any page.

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
const complaintRow = (complaintId: string) => `tr[data-complaint="${complaintId}"]`;

async function fileComplaint(token: string, unitId: string, description: string) {
  const body = { residentId: 'r-complains', unitId, category: 'conduct' as const, description };
  const reply = await product.client.fileComplaint(token, { ...body, contactPhone: '+8613800138000' });
  return expectStatus(reply, 201, 'POST /complaints').complaintId;
}

const INVESTIGATION = {
  findings: 'The technician raised his voice',
  cause: 'Misunderstood the quote',
  handler: 'Zhang Min',
  result: 'Apologised; coaching booked',
};

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

test('the callback of an issue not resolved books the rework at the window agreed, and the jobs link to each other', async () => {
  const jobId = await bookAs('r-rework', { description: 'Tap still drips after the repair' });
  await drive(product.client, jobId, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  const page = await open();
  await signIn(page, product.url, 'a-rework', 'agent', '/console/#/callbacks');
  const item = page.locator(`li[data-job="${jobId}"]`);
  await item.waitFor({ timeout: 3000 });

  await item.getByLabel('满意度(1–5)').selectOption('2');
  await item.getByLabel('问题已解决').selectOption('no');
  const windows = item.getByRole('group', { name: '电话中约定的返修时段' }).getByRole('radio');
  expect(await windows.count()).toBeGreaterThan(1);
  const chosen = windows.nth(1);
  await chosen.check();
  const window = (await chosen.locator('xpath=..').innerText()).trim();
  await item.getByRole('button', { name: '记录回访' }).click();

  await item.waitFor({ state: 'detached', timeout: 3000 });
  const outcome = page.getByTestId('callback-outcome');
  const reworkId = (await outcome.locator('[data-rework]').getAttribute('data-rework')) ?? '';
  const complaintId = (await outcome.locator('[data-complaint]').getAttribute('data-complaint')) ?? '';
  const staff = await product.client.token('a-rework', 'agent');
  const original = expectStatus(await product.client.getJob(staff, jobId));
  expect(original).toMatchObject({
    status: 'closed',
    satisfaction: 2,
    links: { reworkJobs: [reworkId], complaints: [complaintId] },
  });
  const rework = expectStatus(await product.client.getJob(staff, reworkId));
  expect(rework).toMatchObject({ priority: 'regular', status: 'booked', links: { reworkOf: jobId } });

  await outcome.locator('[data-rework]').click();
  const reworkView = page.locator(`article[data-job="${reworkId}"]`);
  await reworkView.waitFor();
  expect(await reworkView.innerText()).toContain(window);
  await reworkView.locator('[data-link="reworkOf"] a').click();
  const originalView = page.locator(`article[data-job="${jobId}"]`);
  await originalView.waitFor();
  expect(await originalView.locator('[data-link="reworkJobs"]').innerText()).toBe(reworkId);
  await originalView.locator('[data-link="complaints"] a').click();
  const complaint = page.locator(`article[data-complaint="${complaintId}"]`);
  await complaint.waitFor();
  expect(await complaint.innerText()).toContain('回访不满意');
});

test('a manager opens the follow-up of a job that needs one, and the job links to it', async () => {
  const jobId = await bookAs('r-follow', { description: 'Boiler needs a spare part' });
  await drive(product.client, jobId, ['job.accepted', 'job.arrived', 'job.unable_to_fix']);
  const page = await open();
  await signIn(page, product.url, 'm-follow', 'manager', `/console/#/jobs/${jobId}`);
  const view = page.locator(`article[data-job="${jobId}"]`);
  await view.waitFor({ timeout: 3000 });

  await view.getByRole('group', { name: '与住户约定的时段' }).getByRole('radio').first().check();
  await view.getByRole('button', { name: '安排再次上门' }).click();

  const link = view.locator('[data-link="followUps"] a');
  await link.waitFor({ timeout: 3000 });
  await view.getByRole('button', { name: '安排再次上门' }).waitFor({ state: 'detached' });
  const followUpId = await link.innerText();
  const staff = await product.client.token('m-follow', 'manager');
  const followUp = expectStatus(await product.client.getJob(staff, followUpId));
  expect(followUp).toMatchObject({ priority: 'regular', links: { followUpOf: jobId } });
});

test("a job's view says its history checks against its hash chain, in words", async () => {
  const jobId = await bookAs('r-chain', { description: 'Window will not close' });
  await drive(product.client, jobId, ['job.accepted', 'job.arrived']);
  const staff = await product.client.token('m-chain', 'manager');
  const check = expectStatus(await product.client.verifyJobHistory(staff, jobId));
  const page = await open();
  await signIn(page, product.url, 'm-chain', 'manager', `/console/#/jobs/${jobId}`);

  const note = page.locator('[data-history-check="valid"]');
  await note.waitFor({ timeout: 3000 });
  expect(check).toMatchObject({ valid: true, items: 3 });
  expect(await note.innerText()).toBe('记录已校验：共 3 条，逐条链式相连');
});

test('the complaints queue works: nearest deadline first, investigated and called back through the page', async () => {
  const { client } = product;
  const agent = await client.token('a-complaints', 'agent');
  // The first is investigated already: its next deadline is the callback in 3 days, later
  // than the end of today, the second's investigation deadline.
  const first = await fileComplaint(agent, 'D4-0101', 'The technician was rude');
  expectStatus(await client.investigateComplaint(agent, first, INVESTIGATION), 200);
  const second = await fileComplaint(agent, 'D4-0102', 'Came two hours late');

  const page = await open();
  await signIn(page, product.url, 'a-complaints', 'agent', '/console/#/complaints');
  await page.locator(complaintRow(second)).waitFor({ timeout: 3000 });
  const order = () =>
    page
      .locator('tr[data-complaint]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-complaint')));
  const shown = await order();
  expect(shown.indexOf(second)).toBeGreaterThanOrEqual(0);
  expect(shown.indexOf(second)).toBeLessThan(shown.indexOf(first));
  const listed = expectStatus(await client.listComplaints(agent, { open: true })).items.map(
    (c) => c.complaintId,
  );
  expect(shown.filter((id) => id === first || id === second)).toEqual(
    listed.filter((id) => id === first || id === second),
  );
  expect(await page.locator(complaintRow(second)).innerText()).toContain('调查截止');
  expect(await page.locator(complaintRow(first)).innerText()).toContain('回访截止');

  await page.locator(`${complaintRow(second)} a`).click();
  const detail = page.locator(`article[data-complaint="${second}"]`);
  await detail.waitFor();
  await detail.getByLabel('调查情况').fill(INVESTIGATION.findings);
  await detail.getByLabel('原因').fill(INVESTIGATION.cause);
  await detail.getByLabel('处理人').fill(INVESTIGATION.handler);
  await detail.getByLabel('处理结果').fill(INVESTIGATION.result);
  await detail.getByRole('button', { name: '提交调查结果' }).click();

  await detail.locator('[data-status="investigated"]').waitFor({ timeout: 3000 });
  await page.locator('[data-history="complaint.investigated"]').waitFor({ timeout: 3000 });
  expect(await detail.innerText()).toContain(INVESTIGATION.cause);

  await detail.getByLabel('住户满意').selectOption('yes');
  await detail.getByLabel(/^答复时间/).fill('2030-01-02T10:30');
  await detail.getByRole('button', { name: '记录回访' }).click();
  await detail.locator('[data-status="closed"]').waitFor({ timeout: 3000 });
  expect(await detail.getByTestId('answer-by').innerText()).toContain('10:30');
  const closed = expectStatus(await client.getComplaint(agent, second));
  expect(closed).toMatchObject({ status: 'closed', satisfied: true, answerBy: '2030-01-02T02:30:00.000Z' });

  await page.getByRole('link', { name: '返回' }).click();
  await page.locator(complaintRow(first)).waitFor({ timeout: 3000 });
  expect(await page.locator(complaintRow(second)).count()).toBe(0);
});

test('an agent takes a complaint by phone, and it is in the queue', async () => {
  const page = await open();
  await signIn(page, product.url, 'a-take', 'agent', '/console/#/complaints');
  const form = page.getByRole('form', { name: '电话登记投诉' });
  await form.getByLabel('住户账号').fill('r-phoned');
  await form.getByLabel(/^联系电话/).fill('+8613900139000');
  await form.getByLabel('类别').selectOption('price');
  await form.getByLabel('描述').fill('Charged for parts that were covered');
  await form.getByRole('button', { name: '登记投诉' }).click();
  expect(await form.getByRole('alert').innerText()).toBe('请填写工单号或房号。');

  await form.getByLabel(/^房号/).fill('E5-0808');
  await form.getByRole('button', { name: '登记投诉' }).click();

  const filed = form.getByRole('status').locator('a[data-complaint]');
  await filed.waitFor();
  const complaintId = (await filed.getAttribute('data-complaint')) ?? '';
  const row = page.locator(complaintRow(complaintId));
  await row.waitFor({ timeout: 3000 });
  expect(await row.innerText()).toContain('电话登记');
  const staff = await product.client.token('a-take', 'agent');
  expect(expectStatus(await product.client.getComplaint(staff, complaintId))).toMatchObject({
    source: 'agent',
    residentId: 'r-phoned',
    unitId: 'E5-0808',
    category: 'price',
  });
});

test("a complaint's missed investigation shows on the queue and its alert on the board, live", async () => {
  const agent = await product.client.token('a-missed', 'agent');
  const complaintId = await fileComplaint(agent, 'F6-0606', 'Nobody came back to me');
  const board = await open();
  await signIn(board, product.url, 'm-missed', 'manager', '/console/');
  const queue = await open();
  await signIn(queue, product.url, 'a-missed', 'agent', '/console/#/complaints');
  await queue.locator(complaintRow(complaintId)).waitFor({ timeout: 3000 });
  expect(await queue.locator(`${complaintRow(complaintId)} [data-missed]`).count()).toBe(0);

  // Past its deadline (S16: the end of the business day of receipt, or of the next one after closing).
  const filed = expectStatus(await product.client.getComplaint(agent, complaintId));
  const now = Date.parse(await product.client.now());
  await product.client.advance(Math.ceil((Date.parse(filed.sla.investigationDueAt) - now) / 1000) + 60);

  await board
    .locator(`[data-alert="sla.complaint_investigation_missed"][data-complaint="${complaintId}"]`)
    .waitFor({ timeout: 3000 });
  await queue
    .locator(`${complaintRow(complaintId)}[data-risk="missed"] [data-missed="investigation"]`)
    .waitFor({ timeout: 3000 });
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
