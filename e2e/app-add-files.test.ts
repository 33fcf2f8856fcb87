/**
 * Adding files to a disc end to end (issue 18): the built app, the real
 * recorder worker and the shared virtual recorder. A folder is burned to a
 * blank DVD+R, left appendable; "Add files…" then lists the disc's files,
 * one new file goes in and one disc file is taken out, and the burn writes a
 * second session. Opening "Add files…" again reads the newest session: it
 * holds the merged tree.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  openPage,
  axeViolations,
  eventually,
  screenshotPath,
  button,
  text,
  until,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

const file = (name: string, content: string) => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.from(content),
});

/** The disc's entries as "Add files…" lists them: "path state". */
async function discRows(page: Page): Promise<string[]> {
  await page.locator('wd-files-dialog [data-testid=disc-files]').waitFor();
  return page
    .locator('wd-files-dialog [data-testid=disc-files] li')
    .evaluateAll((lis) =>
      lis.map((li) => `${li.getAttribute('data-path')} ${li.getAttribute('data-state')}`),
    );
}

async function burnAndWait(page: Page, what: string): Promise<void> {
  const dialog = page.locator('wd-files-dialog dialog');
  await button(page, 'Review…').click();
  await page.locator('wd-files-dialog [data-testid=files-summary]').waitFor();
  await button(page, 'Burn').click();
  await dialog.waitFor({ state: 'hidden' });
  await until(page, 'result-headline', (t) => t === 'Burn completed', what);
}

describe('add files to a disc end to end (built app, real worker, virtual recorder)', () => {
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

  it('burns files to a DVD+R, then adds one and removes one in a new session', async () => {
    const { context, page, w } = await openPage(browser, served.url, 'wide');
    await page.getByLabel('Medium', { exact: true }).selectOption('dvd+r');
    await button(page, 'Insert').click();
    await until(page, 'media-summary', (t) => t === 'DVD+R, blank.', 'a blank DVD+R');
    // A blank disc has no files to add to: the home offers Burn files… only.
    await button(page, 'Burn files…').waitFor();
    assert.equal(await button(page, 'Add files to this disc…').count(), 0);

    // -- session 1: two files -------------------------------------------------
    await button(page, 'Burn files…').click();
    await page.locator('wd-files-dialog dialog').waitFor({ state: 'visible' });
    await page
      .locator('wd-files-dialog #add-files-input')
      .setInputFiles([file('keep.txt', 'kept\n'), file('old.txt', 'to be removed\n')]);
    await until(page, 'files-fit', (t) => t.startsWith('Fits'), 'the fit line');
    await burnAndWait(page, 'the first burn');
    await until(page, 'media-summary', (t) => t.startsWith('DVD+R, appendable'), 'appendable');

    // -- session 2: Add files… ------------------------------------------------
    await eventually(
      async () =>
        (await button(page, 'Add files to this disc…').count()) === 1 &&
        !(await button(page, 'Add files to this disc…').isDisabled()),
      'Add files to this disc…',
    );
    await button(page, 'Add files to this disc…').click();
    await page.locator('wd-files-dialog dialog').waitFor({ state: 'visible' });
    assert.equal(
      (await page.locator('wd-files-dialog h2').textContent())?.trim(),
      'Add files to the disc',
    );
    assert.deepEqual(await discRows(page), ['/keep.txt on disc', '/old.txt on disc']);
    await page.getByRole('button', { name: 'Remove old.txt on the disc' }).click();
    await page
      .locator('wd-files-dialog #add-files-input')
      .setInputFiles([file('new.txt', 'added later\n')]);
    await until(page, 'files-fit', (t) => t.startsWith('Fits'), 'the new session fits');
    assert.match(await text(page, 'files-size'), /1 added, 0 replaced, 1 removed\.$/);
    assert.deepEqual(await discRows(page), ['/keep.txt on disc', '/old.txt removed']);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('add-files-dialog-wide-light') });
    await burnAndWait(page, 'the second burn');
    await until(page, 'media-summary', (t) => t.startsWith('DVD+R, appendable'), 'appendable');

    // -- the newest session: the merged tree ----------------------------------
    await eventually(
      async () =>
        (await button(page, 'Add files to this disc…').count()) === 1 &&
        !(await button(page, 'Add files to this disc…').isDisabled()),
      'Add files to this disc…',
    );
    await button(page, 'Add files to this disc…').click();
    await page.locator('wd-files-dialog dialog').waitFor({ state: 'visible' });
    await eventually(
      async () =>
        (await discRows(page)).length === 2 && (await discRows(page))[1] === '/new.txt on disc',
      'the merged tree',
      30000,
    );
    assert.deepEqual(await discRows(page), ['/keep.txt on disc', '/new.txt on disc']);
    // Sizes as the newest session records them: the new file's, and the kept one's.
    const sizes = await page
      .locator('wd-files-dialog [data-testid=disc-files] [data-testid=disc-entry-size]')
      .allTextContents();
    assert.deepEqual(
      sizes.map((t) => t.trim()),
      ['5 B', '12 B'],
    );
    assert.equal(await text(page, 'sessions'), '2');
    await button(page, 'Cancel').click();
    await page.locator('wd-files-dialog dialog').waitFor({ state: 'hidden' });

    assert.deepEqual(w.errors, []);
    assert.deepEqual(await w.cspViolations(), []);
    await context.close();
  });
});
