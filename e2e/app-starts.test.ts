import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, serveApp, type Served } from './harness.ts';

describe('the built app starts in Chromium', () => {
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

  it('starts its worker, which reads the virtual drive over BOT and SCSI', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    // INQUIRY's vendor (SPC-4 §6.6) came from the virtual drive through the
    // worker's BOT transport (in the Advanced area: attached, not shown); no
    // self-test text is left in the page.
    const vendor = page.locator('wd-app [data-testid=vendor]').first();
    await vendor.waitFor({ state: 'attached', timeout: 15000 });
    // The front door shows the disc in words.
    await page.locator('wd-home [data-testid=disc-words]').waitFor({ timeout: 15000 });
    assert.ok(((await vendor.textContent()) ?? '').trim().length > 0);
    assert.equal(await page.getByText(/self-test|CBW from the worker/i).count(), 0);
    assert.equal(await page.locator('wd-app [data-testid=cbw]').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
