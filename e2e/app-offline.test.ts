import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { eventually, screenshotPath, waitForApp, waitForPanels, watch } from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('installable, offline PWA (built app)', () => {
  let served: Served;
  let browser: Browser;
  before(async () => {
    served = await serveApp();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await served?.close();
  });

  it('serves a manifest: name, icons that are real PNGs, standalone, theme colour, .iso handler', async () => {
    const html = await (await fetch(served.url)).text();
    assert.match(html, /<link rel="manifest" href="\/manifest\.webmanifest"/);
    assert.match(html, /http-equiv="Content-Security-Policy"/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'an inline script');
    assert.doesNotMatch(html, /<style/, 'an inline style sheet');
    const manifest = (await (await fetch(new URL('manifest.webmanifest', served.url))).json()) as {
      name: string;
      short_name: string;
      display: string;
      theme_color: string;
      start_url: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
      file_handlers: { action: string; accept: Record<string, string[]> }[];
    };
    assert.equal(manifest.short_name, 'webdisc');
    assert.ok(manifest.name.length > 0);
    assert.equal(manifest.display, 'standalone');
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.deepEqual(manifest.file_handlers, [
      { action: '/', accept: { 'application/x-iso9660-image': ['.iso'] } },
    ]);
    const png = manifest.icons.filter((i) => i.type === 'image/png');
    for (const want of ['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable'])
      assert.ok(
        png.some((i) => `${i.sizes} ${i.purpose}` === want),
        `no ${want} icon in the manifest`,
      );
    for (const icon of png) {
      const bytes = new Uint8Array(
        await (await fetch(new URL(icon.src, served.url))).arrayBuffer(),
      );
      assert.deepEqual([...bytes.subarray(0, 8)], PNG, `${icon.src} is not a PNG`);
      const view = new DataView(bytes.buffer);
      const [w, h] = icon.sizes.split('x').map(Number);
      assert.deepEqual([view.getUint32(16), view.getUint32(20)], [w, h], `${icon.src} size`);
    }
  });

  it('works offline after the first visit: the service worker serves the app and its worker', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const w = await watch(context, page, served.url);
    await page.goto(served.url);
    await waitForApp(page);
    // The service worker (clientsClaim) takes control of this first page once it has precached.
    await eventually(
      () => page.evaluate(() => navigator.serviceWorker.controller !== null),
      'the service worker to control the page',
      20000,
    );
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls.map((u) => new URL(u).pathname);
    });
    assert.ok(cached.includes('/index.html'), cached.join(' '));
    assert.ok(cached.includes('/manifest.webmanifest'), cached.join(' '));
    assert.ok(
      cached.filter((p) => /^\/assets\/.*\.js$/.test(p)).length >= 2,
      `the entry and the recorder worker chunk are precached: ${cached.join(' ')}`,
    );
    await page.locator('wd-app [data-testid=offline-ready]').waitFor({ timeout: 10000 });

    await context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    // The worker answered offline: the virtual drive's INQUIRY came through it.
    const vendor = await page.locator('wd-app [data-testid=vendor]').first().textContent();
    assert.ok((vendor ?? '').trim().length > 0, 'the drive panel shows the INQUIRY vendor');
    // The shell is all there: the virtual recorder is listed and every panel rendered.
    await page.getByRole('radio', { name: /Virtual recorder/ }).waitFor();
    for (const tag of ['wd-lock-panel', 'wd-media-panel', 'wd-drive-panel', 'wd-trace-log'])
      // Attached: these are the Advanced area's, closed until asked for.
      await page.locator(`${tag} h2`).first().waitFor({ state: 'attached' });
    await page.locator('wd-home h2').waitFor();
    // The virtual recorder still answers: its identity and the medium are read through the worker.
    await waitForPanels(page);
    assert.equal(
      await page.locator('wd-drive-panel [data-testid=vendor]').textContent(),
      'WEBDISC',
    );
    assert.ok(
      (
        (await page.locator('wd-media-panel [data-testid=media-summary]').textContent()) ?? ''
      ).trim(),
    );
    await page.screenshot({ path: screenshotPath('offline-wide-light'), fullPage: true });
    assert.deepEqual(w.errors, []);
    assert.deepEqual(await w.cspViolations(), []);
    assert.deepEqual(w.offOrigin, []);
    await context.close();
  });

  it('shows "Update available" when a new version is deployed; Reload switches to it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const w = await watch(context, page, served.url);
    await page.goto(served.url);
    await waitForApp(page);
    await eventually(
      () => page.evaluate(() => navigator.serviceWorker.controller !== null),
      'the service worker to control the page',
      20000,
    );
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);

    // "Deploy" a new version: the same sw.js with one precache revision changed
    // (same length, so the preview server's cached file size still holds).
    const sw = 'dist/sw.js';
    const original = readFileSync(sw, 'utf8');
    const match = /revision:"([0-9a-f])/.exec(original);
    assert.ok(match, 'no precache revision in sw.js');
    const flipped = match[1] === '0' ? '1' : '0';
    const at = match.index + 'revision:"'.length;
    writeFileSync(sw, original.slice(0, at) + flipped + original.slice(at + 1));
    try {
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      const banner = page.locator('wd-update-banner [data-testid=update-banner]');
      await banner.waitFor({ timeout: 20000 });
      assert.match(await banner.innerText(), /Update available/);
      await page.screenshot({ path: screenshotPath('update-available-wide-light') });

      const reloaded = page.waitForEvent('load', { timeout: 20000 });
      await page.getByRole('button', { name: 'Reload', exact: true }).click();
      await reloaded;
      await waitForApp(page);
      await eventually(
        () =>
          page.evaluate(async () => {
            const reg = await navigator.serviceWorker.getRegistration();
            return !reg?.waiting && navigator.serviceWorker.controller !== null;
          }),
        'the new service worker to take over',
        20000,
      );
      assert.equal(await banner.count(), 0);
      assert.equal(
        await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL),
        firstWorker,
      );
    } finally {
      writeFileSync(sw, original);
    }
    assert.deepEqual(w.errors, []);
    await context.close();
  });
});
