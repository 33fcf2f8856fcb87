import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  STACK_TRACE,
  VIEWPORTS,
  axeViolations,
  deepText,
  screenshotPath,
  waitForApp,
  watch,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

/**
 * Replaces navigator.usb in the page before the app starts: requestDevice
 * throws SecurityError (Chrome refusing the protected mass-storage class),
 * then NetworkError (the OS driver holds the interface). A Playwright init
 * script, so the page's CSP does not apply to it; a string, because tsx would
 * wrap a function's inner arrows in a `__name` helper the page does not have.
 */
const STUB_USB = `(() => {
  let calls = 0;
  const usb = new EventTarget();
  usb.requestDevice = (options) => {
    calls++;
    window.__usbRequests = calls;
    window.__usbFilters = options.filters;
    return Promise.reject(
      calls === 1
        ? new DOMException('The requested interface implements a protected class.', 'SecurityError')
        : new DOMException('Unable to claim interface.', 'NetworkError'),
    );
  };
  usb.getDevices = () => Promise.resolve([]);
  Object.defineProperty(Navigator.prototype, 'usb', { configurable: true, get: () => usb });
})();`;

describe('connect a USB drive with navigator.usb refusing (built app)', () => {
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

  for (const scheme of ['light', 'dark'] as const) {
    it(`explains SecurityError, then NetworkError, in words (${scheme})`, async () => {
      const context = await browser.newContext({
        viewport: VIEWPORTS.narrow,
        colorScheme: scheme,
        serviceWorkers: 'block',
      });
      const page = await context.newPage();
      const w = await watch(context, page, served.url);
      await page.addInitScript(STUB_USB);
      await page.goto(served.url);
      await waitForApp(page);

      const connect = page.getByRole('button', { name: 'Connect a USB drive' });
      const notice = page.locator('wd-usb-notice [data-testid=usb-explanation]');

      // USB is asked for only on the person's action (issue 20, part 8): not on load.
      const requests = () =>
        page.evaluate(() => (window as unknown as { __usbRequests?: number }).__usbRequests ?? 0);
      assert.equal(await requests(), 0, 'requestDevice before any click');
      await connect.click();
      await notice.waitFor();
      assert.equal(await requests(), 1);
      assert.equal(await notice.getAttribute('data-kind'), 'security');
      const security = await notice.innerText();
      assert.match(security, /Chrome will not let this page use the drive/);
      assert.match(security, /SecurityError/);
      assert.match(security, /Isolated Web App/);
      assert.match(security, /command-line tool/);
      assert.doesNotMatch(security, STACK_TRACE);
      assert.deepEqual(
        await page.evaluate(() => (window as unknown as { __usbFilters: unknown }).__usbFilters),
        [
          { classCode: 8, subclassCode: 2 },
          { classCode: 8, subclassCode: 6 },
        ],
      );
      await notice.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`usb-security-narrow-${scheme}`) });
      assert.deepEqual(await axeViolations(page), []);

      await connect.click();
      await page.locator('wd-usb-notice [data-kind=network]').waitFor();
      const network = await notice.innerText();
      assert.match(network, /Your operating system is using the drive/);
      assert.match(network, /NetworkError/);
      assert.match(network, /usb-storage\/unbind/);
      assert.match(network, /udev rule/);
      assert.match(network, /command-line tool/);
      assert.doesNotMatch(network, STACK_TRACE);
      await notice.scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath(`usb-network-narrow-${scheme}`) });

      // No stack trace anywhere on the page either.
      const all = await deepText(page);
      assert.match(all, /Your operating system is using the drive/);
      assert.doesNotMatch(all, STACK_TRACE);

      await page.getByRole('button', { name: 'Dismiss' }).click();
      await notice.waitFor({ state: 'detached' });
      assert.deepEqual(w.errors, []);
      assert.deepEqual(await w.cspViolations(), []);
      await context.close();
    });
  }
});
