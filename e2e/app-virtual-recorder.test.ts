import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  openPage,
  VIEWPORTS,
  eventually,
  openAdvanced,
  screenshotPath,
  waitForApp,
  waitForPanels,
  watch,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

/** Text of a `data-testid` inside any panel of the app (Playwright pierces shadow roots). */
const testid = (page: Page, id: string) => page.locator(`wd-app [data-testid=${id}]`).first();

/** Exclusive access by hand: the Advanced area's lock panel. */
async function acquire(page: Page, name: string): Promise<void> {
  await openAdvanced(page);
  await page.getByLabel('Client name').fill(name);
  await page.getByRole('button', { name: 'Acquire', exact: true }).click();
}

async function lockCount(page: Page, want: string): Promise<void> {
  await eventually(
    async () => ((await testid(page, 'lock-count').textContent()) ?? '').trim() === want,
    `lock count ${want}`,
  );
}

/** Waits until the text of `data-testid=id` passes `test`; the panel's text on failure. */
async function textUntil(page: Page, id: string, test: (text: string) => boolean, what: string) {
  let last = '';
  try {
    await eventually(
      async () => test((last = (await testid(page, id).textContent()) ?? '')),
      what,
      15000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; “${id}” says: ${last.replace(/\s+/g, ' ')}`, {
      cause: error,
    });
  }
}

describe('virtual recorder end to end (built app, real worker)', () => {
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

  it('picks media and reads identity and media', async () => {
    const { context, page, w } = await openPage(browser, served.url, 'wide');
    await openAdvanced(page);
    assert.ok(((await testid(page, 'vendor').textContent()) ?? '').trim().length > 0);
    assert.ok(((await testid(page, 'product').textContent()) ?? '').trim().length > 0);
    assert.ok(await page.locator('wd-drive-panel [data-testid=profiles] li').count());

    await page.getByLabel('Medium', { exact: true }).selectOption('dvd+r');
    await page.getByRole('button', { name: 'Insert', exact: true }).click();
    await textUntil(
      page,
      'disc-words',
      (t) => t.startsWith('Blank DVD+R'),
      'a blank DVD+R on the home',
    );
    await textUntil(page, 'media-summary', (t) => t.includes('DVD+R'), 'DVD+R in the media panel');
    assert.match(
      (await testid(page, 'media-type').textContent()) ?? '',
      /IMAPI_MEDIA_TYPE_DVDPLUSR/,
    );
    assert.match((await testid(page, 'capacity').textContent()) ?? '', /GB free of/);
    assert.equal(await testid(page, 'current-profile').textContent(), 'DVD+R');

    await page.getByLabel('Medium', { exact: true }).selectOption('cd-rom');
    await page.getByRole('button', { name: 'Insert', exact: true }).click();
    await page.locator('wd-media-panel [data-testid=tracks] tbody tr').first().waitFor();
    await page.screenshot({ path: screenshotPath('virtual-cd-rom-wide-light'), fullPage: true });
    assert.deepEqual(w.errors, []);
    await context.close();
  });

  it('acquires twice (lock count 2) and releases', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(served.url);
    await waitForApp(page);
    await waitForPanels(page);
    await acquire(page, 'Tab one');
    await lockCount(page, '1');
    await page.getByRole('button', { name: 'Acquire', exact: true }).click();
    await lockCount(page, '2');
    assert.match((await testid(page, 'lock-owner').textContent()) ?? '', /Tab one/);
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await lockCount(page, '1');
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await lockCount(page, '0');
    assert.match((await testid(page, 'lock-owner').textContent()) ?? '', /nobody/);
    await context.close();
  });

  it("refuses a second tab's eject while the first holds the lock, showing the owner; frees when that tab closes", async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.wide, serviceWorkers: 'block' });
    const first = await context.newPage();
    await first.goto(served.url);
    await waitForApp(first);
    await waitForPanels(first);
    const second = await context.newPage();
    const w = await watch(context, second, served.url);
    await second.goto(served.url);
    await waitForApp(second);
    await waitForPanels(second);

    await acquire(first, 'Burner tab');
    await lockCount(first, '1');

    // The second tab learns of the lock live, with the owner's name: on its home, in words…
    await textUntil(
      second,
      'held-elsewhere',
      (t) => t.includes('Burner tab'),
      'the owner on the home',
    );
    // …and in the Advanced area's lock panel.
    await openAdvanced(second);
    await second.locator('wd-lock-panel [data-testid=busy-notice]').waitFor({ timeout: 10000 });
    assert.match((await testid(second, 'lock-owner').textContent()) ?? '', /Burner tab/);

    await second.getByRole('button', { name: 'Eject', exact: true }).click();
    const refusal = second.locator('wd-home wd-error-view [role=alert]');
    await refusal.waitFor({ timeout: 10000 });
    // Words first (who has the drive), then the codes for a bug report.
    assert.match(
      await refusal.innerText(),
      /^The tray did not move: The drive is used by Burner tab\./,
    );
    assert.match(await refusal.innerText(), /E_IMAPI_RECORDER_LOCKED/);
    assert.match(await refusal.innerText(), /0xC0AA0210/);
    await second.screenshot({ path: screenshotPath('second-tab-refused-wide-light') });
    // The tray stayed shut: the home still offers Eject, not Close tray.
    assert.equal(await second.getByRole('button', { name: 'Close tray', exact: true }).count(), 0);

    // The owner goes away at once: Web Locks frees its lock and the second tab sees the drive free.
    await first.close({ runBeforeUnload: false });
    await textUntil(second, 'lock-owner', (t) => !t.includes('Burner tab'), 'the lock to free');
    assert.match((await testid(second, 'lock-owner').textContent()) ?? '', /nobody/);
    // The dead owner left the tray locked (PREVENT): the second tab clears it
    // itself, with no "Unlock tray" to press (issue 19, defect 3).
    const tray = second.locator('wd-lock-panel dl.facts');
    await eventually(
      async () => /Tray\s*unlocked/.test(await tray.innerText()),
      'the tray unlocked',
    );
    await second
      .locator('wd-lock-panel [data-testid=stale-notice]')
      .waitFor({ state: 'detached', timeout: 10000 });
    await second.locator('wd-lock-panel h2').scrollIntoViewIfNeeded();
    await second.evaluate(() => window.scrollBy(0, -16));
    await second.screenshot({ path: screenshotPath('stale-lock-cleared-wide-light') });
    await acquire(second, 'Second tab');
    await lockCount(second, '1');
    assert.deepEqual(w.errors, []);
    await context.close();
  });
});
