import { openPage, PHONE, signIn, type WatchedPage } from '../support/browser';
import { drive, EVENT_DATA, ON_SITE_STEPS } from '../support/client';
import { type Product, startProduct } from '../support/product';

// The resident's phone page on a 375 px viewport, against a real `npm start`.

let product: Product;
let tab: WatchedPage;
beforeAll(async () => {
  product = await startProduct();
});
afterAll(() => product?.stop());
beforeEach(async () => {
  tab = await openPage(product.browser, PHONE);
});
afterEach(async () => {
  await tab.context.close();
  expect(tab.incidents).toEqual([]);
});

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

async function bookUrgent(description: string) {
  const { page } = tab;
  await page.getByLabel('房号').fill('B2-1203');
  await page.getByLabel('联系电话').fill('+8613800138000');
  await page.getByLabel('问题描述').fill(description);
  await page.getByRole('button', { name: '提交报修' }).click();
  await page.getByTestId('arrive-by').waitFor();
}

test('a resident books an urgent repair in zh-CN and sees the job with its arrive-by time', async () => {
  const { page } = tab;
  await signIn(page, product.url, 'r-phone', 'resident', '/app/#/new');

  await bookUrgent('厨房水龙头漏水');

  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  expect(await page.getByTestId('arrive-by').innerText()).toMatch(/最晚到达: \d+月\d+日 \d\d:\d\d/);
  const token = await product.client.token('r-phone', 'resident');
  const [job] = (await product.client.request('GET', '/jobs', { token })).body.items;
  expect(job).toMatchObject({ description: '厨房水龙头漏水', channel: 'app', priority: 'urgent' });
  expect(await page.getByText('已预约,等待接单').count()).toBeGreaterThan(0);
});

test('English switches every visible word of the page', async () => {
  const { page } = tab;
  await signIn(page, product.url, 'r-en', 'resident', '/app/#/new');
  await bookUrgent('Bathroom light flickers');

  await page.getByRole('button', { name: 'English' }).click();

  await page.getByText('On site by').waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  for (const view of ['#/new', '#/', '#/complaints']) {
    await page.goto(`${product.url}/app/${view}`);
    await page.getByRole('navigation').waitFor();
    await page.waitForTimeout(300);
    const text = await page.locator('body').innerText();
    // The language button names Chinese in Chinese, on purpose: the one way back.
    expect(text.replace('中文', '')).not.toMatch(CJK);
  }
});

test('the status timeline follows the technician live, and the resident rates the signed visit', async () => {
  const { page } = tab;
  const { client } = product;
  await signIn(page, product.url, 'r-live', 'resident', '/app/#/new');
  await bookUrgent('门锁坏了');
  const jobId = decodeURIComponent(page.url().split('#/jobs/')[1] ?? '');

  await drive(client, jobId, ['job.accepted']);
  await client.hook({ type: 'job.en_route', jobId, data: EVENT_DATA['job.en_route'] });

  await page.getByText('预计 5 分钟后到达').waitFor({ timeout: 3000 });
  await drive(client, jobId, ['job.arrived', ...ON_SITE_STEPS]);
  await page.getByRole('heading', { name: '评价这次维修' }).waitFor({ timeout: 3000 });
  await page.getByLabel('4★').check();
  await page.getByLabel('想说的话(可选)').fill('很专业');
  await page.getByRole('button', { name: '提交评价' }).click();

  // The form's hint mentions 您的评价 too: wait for the rating itself.
  await page.locator('p.notice', { hasText: /^您的评价: ★★★★☆/ }).waitFor();
  const view = (await client.getJob(await client.token('r-live', 'resident'), jobId)).body;
  expect(view).toMatchObject({ status: 'signed', rating: { score: 4, comment: '很专业' } });
});

test('a resident complains about a repair and follows the complaint to its result, live', async () => {
  const { page } = tab;
  const { client } = product;
  await signIn(page, product.url, 'r-complain', 'resident', '/app/#/new');
  await bookUrgent('水管又漏了');
  const jobId = decodeURIComponent(page.url().split('#/jobs/')[1] ?? '');

  await page.getByRole('button', { name: '投诉这次维修' }).click();
  await page.getByLabel('投诉类型').selectOption('lateness');
  await page.getByLabel('投诉内容').fill('师傅迟到了一个小时');
  await page.getByRole('button', { name: '提交投诉' }).click();

  const item = page.locator('li[data-complaint]');
  await item.waitFor({ timeout: 3000 });
  expect(await item.innerText()).toContain('已受理,调查中');
  expect(await item.innerText()).toMatch(/我们会在 \d+月\d+日 \d\d:\d\d 前调查处理。/);
  const complaintId = (await item.getAttribute('data-complaint')) ?? '';
  const resident = await client.token('r-complain', 'resident');
  expect((await client.getComplaint(resident, complaintId)).body).toMatchObject({
    jobId,
    source: 'resident',
    category: 'lateness',
    description: '师傅迟到了一个小时',
  });

  const agent = await client.token('a-resident', 'agent');
  const investigation = {
    findings: 'Stuck in traffic',
    cause: 'Two jobs booked too close',
    handler: 'Zhang Min',
    result: '已向您致歉,并调整了派单',
  };
  expect((await client.investigateComplaint(agent, complaintId, investigation)).status).toBe(200);

  await page.getByTestId('complaint-result').waitFor({ timeout: 3000 });
  expect(await page.getByTestId('complaint-result').innerText()).toContain('已向您致歉,并调整了派单');
  expect(await item.innerText()).toContain('已调查,待回访');
  expect(await item.innerText()).not.toContain('Stuck in traffic');
});

test('a resident cancels before the technician arrives, after confirming on the page', async () => {
  const { page } = tab;
  await signIn(page, product.url, 'r-cancel', 'resident', '/app/#/new');
  await bookUrgent('空调不制冷');

  await page.getByRole('button', { name: '取消报修' }).click();
  await page.getByRole('button', { name: '确定取消' }).click();

  await page.locator('[data-status="cancelled"]').waitFor({ timeout: 3000 });
  expect(await page.getByRole('button', { name: '取消报修' }).count()).toBe(0);
});

test("a stored script in the description shows as text on the resident's page and never runs", async () => {
  const { page } = tab;
  await signIn(page, product.url, 'r-xss', 'resident', '/app/#/new');

  await bookUrgent('<img src=x onerror=alert(1)>');
  await page.goto(`${product.url}/app/#/`);

  await page.getByText('<img src=x onerror=alert(1)>').first().waitFor();
  expect(await page.locator('img').count()).toBe(0);
});
