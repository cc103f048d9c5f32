// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core,
// never a downloaded browser; a fresh profile per launch and nothing that reaches the network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.FLOWPROOF_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
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
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'flowproof-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that loaded a local file, with what it logged as errors and every URL it requested. */
export interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  requests: string[];
}

/** Opens a local file and waits until it and its fonts have loaded. */
export async function openFile(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  const opened: OpenedPage = { page, consoleErrors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') opened.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => opened.consoleErrors.push(e.message));
  page.on('request', (r) => opened.requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await inPage(page, 'document.fonts.ready.then(() => true)');
  return opened;
}

/** Evaluates a JavaScript expression in the page (as text: the project's types have no DOM library). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** URLs other than the file itself and inline data: what a self-contained page must not request. */
export const external = (urls: string[]) =>
  urls.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
