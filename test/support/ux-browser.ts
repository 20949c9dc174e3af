import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { ROOT } from './cli.js';

export const TEST_OUTPUT = join(ROOT, 'test-output');

// Without the background-networking flags Chromium keeps trying hosts that a closed network
// refuses; a test page must be the only thing it talks to.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

// The Chromium that the npm package @sparticuz/chromium ships, unpacked once per test run by
// test/support/chromium-setup.ts; playwright-core brings no browser of its own. A fresh profile per
// launch, so no state or cache carries over between tests.
// `offline`: no host name resolves but 127.0.0.1, so a page that reaches for anything beyond its
// own loopback origin finds no network.
export async function openBrowser(options: { offline?: boolean } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'case-route-chromium-'));
  const context = await chromium
    .launchPersistentContext(profile, { executablePath: inject('chromiumPath'), headless: true, args: options.offline ? [...ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] : ARGS, viewport: { width: 1200, height: 900 } })
    .catch(async (error: unknown) => {
      await rm(profile, { recursive: true, force: true });
      throw error;
    });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// Opens a page the route wrote to disk and records every request it makes beyond its own file: a
// self-contained page makes none.
export async function openFilePage(browser: Browser, file: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  return { page, requests: requests.filter((r) => r !== url) };
}

export async function screenshotPath(name: string): Promise<string> {
  const dir = join(TEST_OUTPUT, 'screenshots');
  await mkdir(dir, { recursive: true });
  return join(dir, name);
}
