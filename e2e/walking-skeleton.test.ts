import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, serveApp, type Served } from './harness.ts';

describe('walking skeleton (built app in Chromium)', () => {
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

  it('renders the CBW the worker encoded with usb-mass-storage', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    const cbw = page.locator('wd-app [data-testid=cbw]');
    await cbw.waitFor({ timeout: 15000 });
    // TEST UNIT READY, tag 0x2a, no data, 6-byte CDB (BOT §5.1).
    assert.equal(await cbw.textContent(), '555342432a00000000000000000006' + '00'.repeat(16));
    assert.equal(
      await page.locator('wd-app [data-testid=roundtrip]').textContent(),
      'round trip ok',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
});
