import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESKTOP, openPage, PHONE, seriousViolations, signIn } from '../support/browser';
import { drive, ON_SITE_STEPS, urgentBooking } from '../support/client';
import { type Product, startProduct } from '../support/product';

// Every view of both pages, on the phone and on the desktop: axe-core finds no serious or
// critical accessibility violation, and a screenshot of each is written (`npm run screenshots`
// writes them to docs/screenshots for the README; otherwise to a temporary folder).

const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'home-repair-screenshots');
mkdirSync(SHOTS, { recursive: true });

let product: Product;
let jobId: string;
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
});
afterAll(() => product?.stop());

const VIEWS = [
  ['resident-book', 'r-a11y', 'resident', '/app/#/new', PHONE],
  ['resident-jobs', 'r-a11y', 'resident', '/app/#/', PHONE],
  ['resident-job', 'r-a11y', 'resident', '/app/#/jobs/{job}', PHONE],
  ['board', 'm-a11y', 'manager', '/console/', DESKTOP],
  ['board-phone', 'm-a11y', 'manager', '/console/', PHONE],
  ['job-detail', 'm-a11y', 'manager', '/console/#/jobs/{job}', DESKTOP],
  ['callbacks', 'a-a11y', 'agent', '/console/#/callbacks', DESKTOP],
  ['intake', 'a-a11y', 'agent', '/console/#/intake', DESKTOP],
  ['reports', 'm-a11y', 'manager', '/console/#/reports', DESKTOP],
] as const;

test.each(VIEWS)('%s has no serious accessibility violation', async (name, sub, role, next, viewport) => {
  const tab = await openPage(product.browser, viewport);
  const { page } = tab;
  await signIn(page, product.url, sub, role, next.replace('{job}', jobId));
  await page.locator('main').waitFor();
  // Past the first answers of the live views (they ask every second).
  await page.waitForTimeout(1200);

  const violations = await seriousViolations(page);
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await tab.context.close();

  expect(violations).toEqual([]);
  expect(tab.incidents).toEqual([]);
  expect(statSync(file).size).toBeGreaterThan(5000);
});
