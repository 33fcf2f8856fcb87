/**
 * Helpers for the app e2e tests (e2e/app-*.test.ts): wait for the shell to
 * settle, collect page errors, CSP violations and off-origin requests, run
 * axe-core on the whole page, and save screenshots under
 * test-results/screenshots/ for people to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const SCREENSHOTS = 'test-results/screenshots';

export const VIEWPORTS = {
  narrow: { width: 390, height: 844 },
  wide: { width: 1366, height: 900 },
} as const;

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return `${SCREENSHOTS}/${name}.png`;
}

/** What went wrong in a page that should have gone right. */
export interface Watch {
  readonly errors: string[];
  readonly offOrigin: string[];
  cspViolations(): Promise<string[]>;
}

/** Records page errors and requests to anything but `origin`; CSP violations via an init script. */
export async function watch(context: BrowserContext, page: Page, origin: string): Promise<Watch> {
  const errors: string[] = [];
  const offOrigin: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !/^(blob|data|chrome-extension):/.test(url)) offOrigin.push(url);
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    errors,
    offOrigin,
    cspViolations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

/**
 * The worker chunk loaded and answered: the drive panel (in the closed
 * Advanced area, so attached rather than visible) has the drive's INQUIRY vendor.
 */
export async function waitForApp(page: Page): Promise<void> {
  await page
    .locator('wd-app [data-testid=vendor]')
    .first()
    .waitFor({ state: 'attached', timeout: 15000 });
}

/** The home and the drive panel finished their first reads (with a value or an error). */
export async function waitForPanels(page: Page): Promise<void> {
  const settled = (tag: string, state: 'visible' | 'attached') =>
    page
      .locator(`wd-app ${tag} section[aria-busy=false]`)
      .first()
      .waitFor({ state, timeout: 15000 });
  await Promise.all([settled('wd-drive-panel', 'attached'), settled('wd-home', 'visible')]);
}

/**
 * Opens the Advanced area (exclusive access by hand, the drive's features,
 * the disc's details, the command trace), as a person does with its summary.
 */
/** A fresh context (no service worker) at a viewport, the app loaded and settled, watched. */
export async function openPage(
  browser: Browser,
  url: string,
  size: keyof typeof VIEWPORTS,
): Promise<{ context: BrowserContext; page: Page; w: Watch }> {
  const context = await browser.newContext({ viewport: VIEWPORTS[size], serviceWorkers: 'block' });
  const page = await context.newPage();
  const w = await watch(context, page, url);
  await page.goto(url);
  await waitForApp(page);
  await waitForPanels(page);
  return { context, page, w };
}

export async function openAdvanced(page: Page): Promise<void> {
  const details = page.locator('wd-app details[data-testid=advanced]');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
    await details.locator('[data-testid=advanced-summary]').click();
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core over the whole page (shadow roots included); the violations as readable lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP does not apply to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
    }
    const results = await axe.run(document);
    return results.violations.map(
      (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  });
}

/** Nothing wider than the viewport (no sideways scrolling on a phone). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Polls `check` from Node until it is true. Not page.waitForFunction: that
 * evaluates its predicate with eval in the page, which the app's CSP forbids.
 */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** All text in the page, shadow roots included (innerText stops at a shadow root). */
export function deepText(page: Page): Promise<string> {
  // A string: tsx would wrap the inner arrow in a `__name` helper the page does not have.
  return page.evaluate(`(() => {
    const out = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent);
      if (node.localName === 'style' || node.localName === 'script') return;
      if (node.shadowRoot) walk(node.shadowRoot);
      for (const child of node.childNodes) walk(child);
    };
    walk(document.body);
    return out.join(' ').replace(/\\s+/g, ' ');
  })()`);
}

/** Matches the lines of a JavaScript stack trace. */
export const STACK_TRACE = /\bat\s+\S+\s+\(|\bat\s+\S+:\d+:\d+|\.js:\d+:\d+/;

/** An element of the app by its data-testid (the first, inside wd-app). */
export const testid = (page: Page, id: string) =>
  page.locator(`wd-app [data-testid=${id}]`).first();

/** Its text, whitespace collapsed. */
export async function text(page: Page, id: string): Promise<string> {
  return ((await testid(page, id).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits (30 s) until the element's text passes `test`; the error says what it last said. */
export async function until(
  page: Page,
  id: string,
  test: (t: string) => boolean,
  what: string,
): Promise<void> {
  let last = '';
  try {
    await eventually(
      async () => (await testid(page, id).count()) > 0 && test((last = await text(page, id))),
      what,
      30000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; “${id}” says: ${last}`, { cause: error });
  }
}

/** A button by its exact accessible name. */
export const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
