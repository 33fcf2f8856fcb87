/**
 * Erase and burn end to end: the built app, the real recorder worker and the
 * shared virtual recorder. An ISO 9660 image generated here goes in through
 * the burn dialog's file input, is written with full verification, and the
 * result must carry the image's SHA-256 as Node computes it; the CD-RW is
 * then erased; a larger burn is cancelled part-way. Screenshots of the
 * dialogs and the progress and result views go to test-results/screenshots/.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { romSector } from '../virtual-recorder/src/index.ts';
import {
  openPage,
  VIEWPORTS,
  axeViolations,
  eventually,
  horizontalOverflow,
  screenshotPath,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

/** A valid ISO 9660 volume of `blocks` 2048-byte sectors (the virtual recorder's ROM layout). */
function isoImage(blocks: number, volumeId: string): Buffer {
  const image = Buffer.alloc(blocks * 2048);
  for (let lba = 0; lba < blocks; lba++)
    romSector(lba, blocks, volumeId, image.subarray(lba * 2048, (lba + 1) * 2048));
  return image;
}

const testid = (page: Page, id: string) => page.locator(`wd-app [data-testid=${id}]`).first();

async function text(page: Page, id: string): Promise<string> {
  return ((await testid(page, id).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until `data-testid=id` says something that passes `test`; its text on failure. */
async function until(
  page: Page,
  id: string,
  test: (t: string) => boolean,
  what: string,
  timeoutMs = 30000,
) {
  let last = '';
  try {
    await eventually(
      async () => (await testid(page, id).count()) > 0 && test((last = await text(page, id))),
      what,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; “${id}” says: ${last}`, { cause: error });
  }
}

async function insert(page: Page, medium: string): Promise<void> {
  await page.getByLabel('Medium', { exact: true }).selectOption(medium);
  await page.getByRole('button', { name: 'Insert', exact: true }).click();
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/**
 * A screenshot of what is in view: a modal dialog sits in the viewport (the
 * top layer), and a result is scrolled into view first (showProgress).
 */
async function shot(page: Page, name: string, size: keyof typeof VIEWPORTS): Promise<void> {
  await page.screenshot({ path: screenshotPath(`${name}-${size}-light`) });
}

/** Brings the progress panel to the top of the viewport for a screenshot of it. */
async function showProgress(page: Page): Promise<void> {
  await page.locator('wd-progress h2').evaluate((h) => h.scrollIntoView({ block: 'start' }));
}

describe('erase and burn end to end (built app, real worker, virtual recorder)', () => {
  let served: Served;
  let browser: Browser;
  let dir: string;
  before(async () => {
    served = await serveApp();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'webdisc-e2e-'));
  });
  after(async () => {
    await browser?.close();
    await served?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const size of ['wide', 'narrow'] as const) {
    it(`${size}: burns a generated .iso to a blank CD-RW with full verification, then erases it`, async () => {
      const { context, page, w } = await openPage(browser, served.url, size);
      await insert(page, 'cd-rw');
      await until(page, 'media-summary', (t) => t === 'CD-RW, blank.', 'a blank CD-RW');

      // -- burn: the dialog, the image, the options, the summary ------------
      const image = isoImage(600, 'WEBDISC_E2E');
      const sha256 = createHash('sha256').update(image).digest('hex');
      await button(page, 'Burn an image…').click();
      const dialog = page.locator('wd-burn-dialog dialog');
      await dialog.waitFor({ state: 'visible' });
      assert.match(await text(page, 'burn-medium'), /^CD-RW, blank$/);
      assert.match(await text(page, 'burn-drive'), /Virtual recorder/);
      await page.locator('wd-burn-dialog input[type=file]').setInputFiles({
        name: 'e2e.iso',
        mimeType: 'application/x-iso9660-image',
        buffer: image,
      });
      await until(page, 'fit', (t) => t.startsWith('Fits'), 'the fit line');
      assert.equal(await text(page, 'fit'), 'Fits: 600 of 359,847 free sectors.');
      assert.equal(await text(page, 'image-size'), '1.23 MB (1,228,800 bytes, 600 sectors)');
      await page.locator('wd-burn-dialog input[name=verify][value=full]').check();
      // The drive's write speeds are the choices, and test write is offered for a CD-RW.
      const speeds = await page.locator('wd-burn-dialog #speed option').allTextContents();
      assert.ok(speeds.length > 1 && speeds[0] === 'Maximum', speeds.join(' | '));
      assert.equal(await page.locator('wd-burn-dialog input[type=checkbox]').isEnabled(), true);
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
      await shot(page, 'burn-dialog', size);
      await button(page, 'Review…').click();
      await page.locator('wd-burn-dialog [data-testid=burn-summary]').waitFor();
      assert.equal(
        await text(page, 'burn-warning'),
        'Writing uses LBA 0 to 599 of the CD-RW; they stay used until the disc is erased.',
      );
      await shot(page, 'burn-confirm', size);
      await button(page, 'Burn').click();
      await dialog.waitFor({ state: 'hidden' });

      // -- progress, then the result -------------------------------------------
      await until(page, 'operation-title', (t) => t.startsWith('Burning e2e.iso'), 'the title');
      await until(page, 'result-headline', (t) => t === 'Burn completed', 'the burn to complete');
      assert.equal(await text(page, 'result-sha256'), sha256);
      assert.equal(await text(page, 'result-sectors'), '600 sectors (1.23 MB), LBA 0 to 599');
      assert.match(
        await text(page, 'result-disc'),
        /^CD-RW, appendable \(open session\); 1 session/,
      );
      await until(page, 'media-summary', (t) => t.startsWith('CD-RW, appendable'), 'fresh media');
      assert.match(await text(page, 'lock-owner'), /nobody/);
      assert.equal(await button(page, 'Eject').isEnabled(), true);
      await showProgress(page);
      await shot(page, 'burn-result', size);
      assert.deepEqual(await axeViolations(page), []);

      // -- erase ---------------------------------------------------------------
      await button(page, 'Erase…').click();
      const erase = page.locator('wd-erase-dialog dialog');
      await erase.waitFor({ state: 'visible' });
      assert.equal(await text(page, 'erase-medium'), 'CD-RW, appendable (open session)');
      assert.match(await text(page, 'erase-warning'), /Everything on the CD-RW will be lost/);
      assert.deepEqual(await axeViolations(page), []);
      await shot(page, 'erase-dialog', size);
      await button(page, 'Erase disc').click();
      await erase.waitFor({ state: 'hidden' });
      await until(page, 'result-headline', (t) => t === 'Erase completed', 'the erase');
      assert.equal(await text(page, 'result-disc'), 'CD-RW, blank; 0 sessions; 737 MB free');
      await until(page, 'media-summary', (t) => t === 'CD-RW, blank.', 'a blank CD-RW again');
      await showProgress(page);
      await shot(page, 'erase-result', size);

      // A CD-R cannot be erased: the home does not offer it (the dialog's refusal
      // is the component tests').
      await insert(page, 'cd-r');
      await until(page, 'disc-words', (t) => t.startsWith('Blank CD-R'), 'a blank CD-R');
      await button(page, 'Burn files…').waitFor();
      assert.equal(await button(page, 'Erase…').count(), 0);

      assert.deepEqual(w.errors, []);
      assert.deepEqual(await w.cspViolations(), []);
      await context.close();
    });
  }

  it('cancels a larger burn part-way: E_IMAPI_REQUEST_CANCELLED and the state the disc was left in', async () => {
    const { context, page, w } = await openPage(browser, served.url, 'wide');
    await insert(page, 'dvd+r');
    await until(page, 'media-summary', (t) => t === 'DVD+R, blank.', 'a blank DVD+R');
    // Large enough to be still writing when Cancel lands (the app's virtual drive runs on
    // APP_CLOCK, a scaled real-time clock, so the burn takes seconds), and past Playwright's 50 MB limit for
    // in-memory files: this one goes in from a file.
    const file = join(dir, 'large.iso');
    writeFileSync(file, isoImage(LARGE_BLOCKS, 'WEBDISC_LARGE'));
    await button(page, 'Burn an image…').click();
    await page.locator('wd-burn-dialog dialog').waitFor({ state: 'visible' });
    await page.locator('wd-burn-dialog input[type=file]').setInputFiles(file);
    await until(page, 'fit', (t) => t.startsWith('Fits'), 'the fit line');
    await button(page, 'Review…').click();
    await button(page, 'Burn').click();
    await until(page, 'progress-action', (t) => t === 'Writing', 'writing', 60000);

    // While it runs: the live view, and the buttons that would disturb it wait.
    assert.match(await text(page, 'progress-lbas'), /^0 to 196,607; last written [\d,]+$/);
    assert.equal(await button(page, 'Eject').isDisabled(), true);
    assert.equal(await button(page, 'Burn an image…').isDisabled(), true);
    assert.equal(await button(page, 'Burn files…').isDisabled(), true);
    await showProgress(page);
    await shot(page, 'burn-progress', 'wide');
    await page.setViewportSize(VIEWPORTS.narrow);
    await showProgress(page);
    await shot(page, 'burn-progress', 'narrow');
    assert.equal(await text(page, 'progress-action'), 'Writing', 'the burn ended before Cancel');
    await button(page, 'Cancel').click();

    await until(page, 'result-headline', (t) => t === 'Burn cancelled', 'the cancel', 60000);
    const error = await page
      .locator('wd-progress [data-testid=result] wd-error-view [role=alert]')
      .innerText();
    assert.match(error, /E_IMAPI_REQUEST_CANCELLED/);
    assert.match(error, /0xC0AA0002/);
    // It stopped part-way: some sectors written, not all of them.
    const last = Number((await text(page, 'result-last-lba')).replace(/,/g, ''));
    assert.ok(last >= 0 && last < LARGE_BLOCKS - 1, `last written LBA ${last}`);
    // The disc as the drive reports it afterwards, and the media panel agrees.
    assert.match(
      await text(page, 'result-disc'),
      /^DVD\+R, appendable \(open session\); 1 session;/,
    );
    await until(page, 'media-summary', (t) => t === 'DVD+R, appendable (open session).', 'media');
    // The lock and the tray are given back.
    await until(page, 'lock-owner', (t) => t.includes('nobody'), 'the lock to be released');
    assert.equal(await button(page, 'Eject').isEnabled(), true);
    await showProgress(page);
    await shot(page, 'burn-cancelled', 'narrow');
    assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
    await page.setViewportSize(VIEWPORTS.wide);
    await showProgress(page);
    await shot(page, 'burn-cancelled', 'wide');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(w.errors, []);
    await context.close();
  });
});

/** 384 MiB. */
const LARGE_BLOCKS = 196_608;
