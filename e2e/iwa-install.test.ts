/**
 * The Isolated Web App end to end: build with `--mode iwa`, serve the files
 * with the IWA headers on 127.0.0.1, install them into the system Chromium
 * through its dev-mode proxy (CDP PWA.install with a dev-proxy Web Bundle
 * ID), launch the app (PWA.launch), and drive it on its isolated-app:// origin.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { devProxyBundleId, isolatedAppOrigin } from '../iwa/bundle-id.ts';
import { buildIwaApp } from '../iwa/build.ts';
import { serveIwa, type ServedIwa } from '../iwa/serve.ts';
// @ts-expect-error -- plain ESM helper shared with web-test-runner.config.mjs
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';
import { deepText, eventually, openAdvanced, waitForApp, waitForPanels } from './app-helpers.ts';

/** IWAs and their developer mode; the pipe connection needs the extension-debugging switch for PWA.install. */
const IWA_ARGS = [
  '--enable-features=IsolatedWebApps,IsolatedWebAppDevMode',
  '--enable-unsafe-extension-debugging',
] as const;

/** Fails after `ms` instead of waiting for ever (an install that hangs must fail the test). */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const testid = (page: Page, id: string) => page.locator(`wd-app [data-testid=${id}]`).first();

async function textOf(page: Page, id: string): Promise<string> {
  return ((await testid(page, id).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function lockCount(page: Page, want: string): Promise<void> {
  await eventually(async () => (await textOf(page, 'lock-count')) === want, `lock count ${want}`);
}

/**
 * Records, from before the app's first script runs, every CSP or Trusted
 * Types violation the document reports. A string: tsx would wrap a function's
 * inner arrows in a `__name` helper the page does not have.
 */
const RECORD_VIOLATIONS = `(() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')),
  );
})();`;

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

describe('Isolated Web App (dev-mode proxy install in Chromium)', { timeout: 180_000 }, () => {
  let served: ServedIwa;
  let context: BrowserContext;
  let cdp: CDPSession;
  let page: Page;
  let profile: string;
  const id = devProxyBundleId();
  const manifestId = isolatedAppOrigin(id);
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    await buildIwaApp();
    served = await serveIwa();
    const executablePath = (findChromium as () => string | undefined)();
    if (!executablePath) throw new Error('No Chromium: set CHROME_PATH or run `npm test`.');
    profile = mkdtempSync(join(tmpdir(), 'webdisc-iwa-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...(chromiumArgs as string[]), ...IWA_ARGS],
    });
    await context.addInitScript(RECORD_VIOLATIONS);
    const browser = context.browser();
    if (!browser) throw new Error('the persistent context has no browser to open a CDP session on');
    cdp = await browser.newBrowserCDPSession();

    await within(
      60_000,
      'PWA.install',
      cdp.send('PWA.install', { manifestId, installUrlOrBundleUrl: served.url }),
    );
    const opened = context.waitForEvent('page', { timeout: 30_000 });
    await within(30_000, 'PWA.launch', cdp.send('PWA.launch', { manifestId }));
    page = await opened;
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.waitForLoadState();
  });

  after(async () => {
    await context?.close();
    await served?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('installed from the proxy: Chrome read the IWA manifest and its icons from the server', () => {
    assert.ok(served.requests.includes('/.well-known/manifest.webmanifest'));
    assert.ok(
      served.requests.some((p) => /^\/[\w-]+\.png$/.test(p)),
      `no icon fetched: ${served.requests.join(' ')}`,
    );
  });

  it('runs as an isolated-app:// origin, cross-origin isolated, with usb-unrestricted allowed', async () => {
    const url = new URL(page.url());
    assert.equal(url.protocol, 'isolated-app:');
    assert.equal(url.host, id);
    const facts = await page.evaluate(() => ({
      origin: location.origin,
      crossOriginIsolated,
      usb: 'usb' in navigator,
      trustedTypes: typeof (window as unknown as { trustedTypes?: unknown }).trustedTypes,
      usbUnrestricted: (
        document as Document & { featurePolicy?: { allowsFeature(f: string): boolean } }
      ).featurePolicy?.allowsFeature('usb-unrestricted'),
      usbAllowed: (
        document as Document & { featurePolicy?: { allowsFeature(f: string): boolean } }
      ).featurePolicy?.allowsFeature('usb'),
    }));
    assert.deepEqual(facts, {
      origin: `isolated-app://${id}`,
      crossOriginIsolated: true,
      usb: true,
      trustedTypes: 'object',
      usbUnrestricted: true,
      usbAllowed: true,
    });
  });

  it("the recorder worker sees navigator.usb and may list this origin's devices", async () => {
    await waitForApp(page);
    const worker = page.workers().find((w) => /\/assets\/main-[^/]+\.js$/.test(w.url()));
    assert.ok(worker, `no recorder worker among ${page.workers().map((w) => w.url())}`);
    assert.ok(worker.url().startsWith(manifestId));
    // getDevices() resolving (to no devices here) means WebUSB is not blocked for the worker.
    const facts = await worker.evaluate(
      `(async () => ({ usb: 'usb' in navigator, isolated: self.crossOriginIsolated,
        devices: (await navigator.usb.getDevices()).length }))()`,
    );
    assert.deepEqual(facts, { usb: true, isolated: true, devices: 0 });
  });

  it('the recorder worker may run WebAssembly (hash-wasm: SHA-256 and MD5 of every image)', async () => {
    await waitForApp(page);
    const worker = page.workers().find((w) => /\/assets\/main-[^/]+\.js$/.test(w.url()));
    assert.ok(worker);
    // The IWA's headers give the worker the page's CSP; without 'wasm-unsafe-eval'
    // in script-src, Chrome refuses to compile any module and a verified burn fails.
    const compiled = await worker.evaluate(
      `WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
        () => 'compiled', (e) => String(e))`,
    );
    assert.equal(compiled, 'compiled');
  });

  it('no service worker, and it says it works offline (the bundle is local)', async () => {
    await waitForApp(page);
    assert.equal(
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length),
      0,
    );
    assert.equal(await textOf(page, 'offline-ready'), 'Works offline.');
  });

  it('drives the virtual recorder end to end: media, identity, exclusive access', async () => {
    await waitForApp(page);
    await waitForPanels(page);
    assert.ok((await textOf(page, 'vendor')).length > 0);

    await page.getByLabel('Medium', { exact: true }).selectOption('dvd+r');
    await page.getByRole('button', { name: 'Insert', exact: true }).click();
    await eventually(
      async () => (await textOf(page, 'media-summary')).includes('DVD+R'),
      'DVD+R in the media panel',
      15_000,
    );
    assert.match(await textOf(page, 'media-type'), /IMAPI_MEDIA_TYPE_DVDPLUSR/);
    assert.equal(await textOf(page, 'current-profile'), 'DVD+R');

    await openAdvanced(page);
    await page.getByLabel('Client name').fill('IWA test');
    await page.getByRole('button', { name: 'Acquire', exact: true }).click();
    await lockCount(page, '1');
    assert.match(await textOf(page, 'lock-owner'), /IWA test/);
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await lockCount(page, '0');
    assert.match(await textOf(page, 'lock-owner'), /nobody/);
  });

  it('shows no "Chrome will not let this page use the drive" notice for a SecurityError here', async () => {
    await waitForApp(page);
    // Stand in for Chrome refusing the chooser (here usb-unrestricted is allowed, so a
    // SecurityError is not the protected-class refusal the notice explains).
    await page.evaluate(`(() => {
      document.querySelector('wd-app').usb = {
        requestDevice: () => Promise.reject(new DOMException('Refused for a test.', 'SecurityError')),
        addEventListener() {},
        removeEventListener() {},
      };
    })()`);
    await page.getByRole('button', { name: 'Connect a USB drive' }).click();
    await eventually(
      async () => (await deepText(page)).includes('Refused for a test.'),
      'the error',
    );
    assert.equal(await page.locator('wd-usb-notice [data-testid=usb-explanation]').count(), 0);
    assert.doesNotMatch(await deepText(page), /Chrome will not let this page use the drive/);
  });

  it('reported no CSP or Trusted Types violation and no error', async () => {
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors, []);
  });

  it('does enforce Trusted Types (so the clean record above means something)', async () => {
    const before = (await violations(page)).length;
    const outcome = await page.evaluate(`(() => {
      const results = [];
      try { document.createElement('div').innerHTML = '<b>x</b>'; results.push('html allowed'); }
      catch (e) { results.push(e.name); }
      try { new Worker('/assets/anything.js'); results.push('worker allowed'); }
      catch (e) { results.push(e.name); }
      return results;
    })()`);
    assert.deepEqual(outcome, ['TypeError', 'TypeError']);
    await eventually(async () => (await violations(page)).length >= before + 2, 'the reports');
    const reported = (await violations(page)).slice(before).join('\n');
    assert.match(reported, /require-trusted-types-for/);
  });
});
