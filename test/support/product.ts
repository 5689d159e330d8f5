import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { Client } from './client';
import { type Running, startProcess } from './process';
import { TEST_SECRET } from './stack';

// The product as a user meets it: a real `npm start` process and a real Chromium, one of each
// per browser test file, both gone after it.

export interface Product {
  url: string;
  client: Client;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startProduct(): Promise<Product> {
  const dataDir = mkdtempSync(join(tmpdir(), 'home-repair-browser-'));
  let running: Running | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    running = await startProcess(dataDir, { TECH_WEBHOOK_SECRET: TEST_SECRET });
    browser = await launch();
    return { url: running.url, client: new Client(running.url, TEST_SECRET), browser, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
