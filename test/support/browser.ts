import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// The browser tests' Chromium: Debian's package (browser downloads do not work here), driven by
// playwright-core. Every page records what must never happen: a dialog (an injected script
// ran), a script error, a CSP violation.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in CI; without the background-networking flags Chromium keeps dialling Google.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const PHONE = { width: 375, height: 780 };
export const DESKTOP = { width: 1280, height: 860 };

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Dialogs opened, page errors and CSP violations seen so far. */
  incidents: string[];
}

export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const incidents: string[] = [];
  page.on('dialog', (d) => {
    incidents.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => incidents.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) incidents.push(`csp: ${m.text()}`);
  });
  return { page, context, incidents };
}

/** Signs in through `/_local/login` and lands on `next`. */
export async function signIn(page: Page, url: string, sub: string, role: string, next: string) {
  const q = new URLSearchParams({ sub, role, name: sub, next });
  await page.goto(`${url}/_local/login?${q}`);
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
