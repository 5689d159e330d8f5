import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectStatus } from '../../client/api-client';
import { nextSlots } from '../../pages/shared/slots';
import { DESKTOP, openPage, PHONE, seriousViolations, signIn } from '../support/browser';
import { drive, ON_SITE_STEPS, TEST_CALENDAR, urgentBooking } from '../support/client';
import { type Product, startProduct } from '../support/product';

// Every view of both pages, on the phone and on the desktop: axe-core finds no serious or
// critical accessibility violation, and a screenshot of each is written (`npm run screenshots`
// writes them to docs/screenshots for the README; otherwise to a temporary folder).

const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'home-repair-screenshots');
mkdirSync(SHOTS, { recursive: true });

let product: Product;
let jobId: string;
const ids: Record<string, string> = {};
beforeAll(async () => {
  product = await startProduct();
  const { client } = product;
  const resident = await client.token('r-a11y', 'resident');
  const book = (description: string, unitId: string) =>
    client.book(resident, urgentBooking({ description, unitId })).then((r) => r.body.jobId as string);
  jobId = await book('厨房水龙头漏水,关不紧', 'B2-1203');
  await drive(client, jobId, ['job.accepted', 'job.en_route']);
  const signed = await book('卫生间灯不亮', 'A1-0302');
  await drive(client, signed, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  await book('空调漏水', 'A1-1101');
  // A job called back unresolved and unhappy: its rework is booked and a complaint opened.
  const linked = await book('热水器不热', 'A1-0505');
  await drive(client, linked, ['job.accepted', 'job.arrived', ...ON_SITE_STEPS]);
  const agent = await client.token('a-a11y', 'agent');
  const [slot] = nextSlots(new Date(await client.now()), 1, TEST_CALENDAR);
  const called = expectStatus(
    await client.recordCallback(agent, linked, {
      reached: true,
      satisfaction: 1,
      issueResolved: false,
      rework: { appointment: slot as { start: string; end: string } },
    }),
  );
  ids.linked = linked;
  ids.complaint = called.links.complaints[0] ?? '';
  const filed = expectStatus(
    await client.fileComplaint(agent, {
      residentId: 'r-a11y',
      unitId: 'B2-1203',
      category: 'conduct',
      description: '师傅态度不好',
      contactPhone: '+8613800138000',
    }),
  );
  expectStatus(
    await client.investigateComplaint(agent, filed.complaintId, {
      findings: '师傅说话声音大',
      cause: '对报价有误会',
      handler: '张敏',
      result: '已道歉并安排培训',
    }),
  );
  ids.investigated = filed.complaintId;
  // The roster and a configured property, for the managers' settings pages.
  const manager = await client.token('m-a11y', 'manager');
  const technician = { skills: ['plumbing' as const], properties: ['B2'], maxOpenJobs: 3 };
  expectStatus(await client.putTechnician(manager, 't-wang', { ...technician, name: '王伟', onDuty: true }));
  expectStatus(await client.putTechnician(manager, 't-li', { ...technician, name: '李娜', onDuty: false }));
  expectStatus(
    await client.putProperty(manager, 'B2', {
      name: '翠湖花园',
      dispatch: 'assign',
      holidays: ['2026-10-01', '2026-10-02'],
      extraWorkdays: ['2026-09-27'],
    }),
  );
});
afterAll(() => product?.stop());

/** What a view shows only after a choice: the rework windows of an unresolved callback, the complaint form. */
const PREPARE: Record<string, (page: Page) => Promise<unknown>> = {
  'callbacks-rework': (page) => page.getByLabel('问题已解决').first().selectOption('no'),
  'resident-complain': (page) => page.getByRole('button', { name: '投诉这次维修' }).click(),
  // A refusal: the field marked invalid and its message beside it.
  'roster-refused': async (page) => {
    await page.getByRole('button', { name: '编辑 王伟' }).click();
    await page.getByLabel('同时最多工单数').fill('0');
    await page.getByRole('button', { name: '保存师傅信息' }).click();
    await page.locator('#t-max-error').waitFor();
  },
};

const VIEWS = [
  ['resident-book', 'r-a11y', 'resident', '/app/#/new', PHONE],
  ['resident-jobs', 'r-a11y', 'resident', '/app/#/', PHONE],
  ['resident-job', 'r-a11y', 'resident', '/app/#/jobs/{job}', PHONE],
  ['resident-complain', 'r-a11y', 'resident', '/app/#/jobs/{job}', PHONE],
  ['resident-complaints', 'r-a11y', 'resident', '/app/#/complaints', PHONE],
  ['board', 'm-a11y', 'manager', '/console/', DESKTOP],
  ['board-phone', 'm-a11y', 'manager', '/console/', PHONE],
  ['job-detail', 'm-a11y', 'manager', '/console/#/jobs/{job}', DESKTOP],
  ['job-links', 'm-a11y', 'manager', '/console/#/jobs/{linked}', DESKTOP],
  ['callbacks', 'a-a11y', 'agent', '/console/#/callbacks', DESKTOP],
  ['callbacks-rework', 'a-a11y', 'agent', '/console/#/callbacks', DESKTOP],
  ['intake', 'a-a11y', 'agent', '/console/#/intake', DESKTOP],
  ['complaints', 'a-a11y', 'agent', '/console/#/complaints', DESKTOP],
  ['complaints-phone', 'a-a11y', 'agent', '/console/#/complaints', PHONE],
  ['complaint-investigation', 'a-a11y', 'agent', '/console/#/complaints/{complaint}', DESKTOP],
  ['complaint-callback', 'a-a11y', 'agent', '/console/#/complaints/{investigated}', DESKTOP],
  ['reports', 'm-a11y', 'manager', '/console/#/reports', DESKTOP],
  ['roster', 'm-a11y', 'manager', '/console/#/roster', DESKTOP],
  ['roster-refused', 'm-a11y', 'manager', '/console/#/roster', DESKTOP],
  ['property-settings', 'm-a11y', 'manager', '/console/#/properties/B2', DESKTOP],
  ['property-unconfigured', 'm-a11y', 'manager', '/console/#/properties/Z9', PHONE],
] as const;

test.each(VIEWS)('%s has no serious accessibility violation', async (name, sub, role, next, viewport) => {
  const tab = await openPage(product.browser, viewport);
  const { page } = tab;
  const path = next.replace(/\{(\w+)\}/g, (_, key: string) => (key === 'job' ? jobId : (ids[key] ?? key)));
  await signIn(page, product.url, sub, role, path);
  await page.locator('main').waitFor();
  // Past the first answers of the live views (they ask every second).
  await page.waitForTimeout(1200);
  await PREPARE[name]?.(page);

  const violations = await seriousViolations(page);
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await tab.context.close();

  expect(violations).toEqual([]);
  expect(tab.incidents).toEqual([]);
  expect(statSync(file).size).toBeGreaterThan(5000);
});
