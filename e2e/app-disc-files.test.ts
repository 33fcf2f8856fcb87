/**
 * From disc to files end to end (issue 17): the built app, the real
 * recorder worker and the shared virtual recorder. Files and a folder are
 * burned to a CD-RW through "Burn files…", then:
 * - "Save as image…" (no save picker here: the worker writes a temporary
 *   OPFS file, which is downloaded) gives an image disc-fs opens in Node,
 *   whose SHA-256 is the one the result shows;
 * - "Browse files…" lists the disc, downloads a file (streamed from the
 *   worker) and a folder as a zip;
 * - "Verify…" finds the disc identical to the saved image and to the folder
 *   on disk, then names the first differing LBA of a changed image;
 * - "Copy disc…" with the one virtual drive reads the disc into OPFS, and
 *   after a blank CD-RW goes in, burns the copy with full verification (the
 *   same SHA-256).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { openIso } from '../disc-fs/src/index.ts';
import {
  screenshotPath,
  axeViolations,
  eventually,
  waitForApp,
  waitForPanels,
  watch,
  VIEWPORTS,
  button,
  text,
  until,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

const FILES = {
  'readme.txt': Buffer.from('Hello from webdisc.\n'),
  'data/numbers.bin': Buffer.from(Uint8Array.from({ length: 70_000 }, (_, i) => i % 251)),
  'data/deep/note.md': Buffer.from('# deep\n'),
};

describe('from disc to files end to end (built app, real worker, virtual recorder)', () => {
  let served: Served;
  let browser: Browser;
  let dir: string;
  before(async () => {
    served = await serveApp();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'webdisc-disc-files-'));
  });
  after(async () => {
    await browser?.close();
    await served?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('burns files, saves the disc as an image, browses and downloads, and verifies', async () => {
    const context = await browser.newContext({
      viewport: VIEWPORTS.wide,
      serviceWorkers: 'block',
      acceptDownloads: true,
    });
    await context.addInitScript(() =>
      Object.defineProperty(window, 'showSaveFilePicker', { value: undefined, configurable: true }),
    );
    const page = await context.newPage();
    const w = await watch(context, page, served.url);
    await page.goto(served.url);
    await waitForApp(page);
    await waitForPanels(page);
    await page.getByLabel('Medium', { exact: true }).selectOption('cd-rw');
    await button(page, 'Insert').click();
    await until(page, 'media-summary', (t) => t === 'CD-RW, blank.', 'a blank CD-RW');
    // A blank disc has nothing to save: the home does not offer it.
    await button(page, 'Burn files…').waitFor();
    assert.equal(await button(page, 'Save disc as image…').count(), 0);

    // -- burn: readme.txt and the folder data/ -------------------------------
    const root = join(dir, 'root');
    for (const [p, bytes] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), bytes);
    }
    await button(page, 'Burn files…').click();
    const files = page.locator('wd-files-dialog dialog');
    await files.waitFor({ state: 'visible' });
    await page
      .locator('wd-files-dialog #add-files-input')
      .setInputFiles({ name: 'readme.txt', mimeType: 'text/plain', buffer: FILES['readme.txt'] });
    await page.locator('wd-files-dialog #add-folder-input').setInputFiles(join(root, 'data'));
    await page.locator('wd-files-dialog #volume-label').fill('Disc Files');
    await until(page, 'files-fit', (t) => t.startsWith('Fits'), 'the fit line');
    await button(page, 'Review…').click();
    await button(page, 'Burn').click();
    await files.waitFor({ state: 'hidden' });
    await until(page, 'result-headline', (t) => t === 'Burn completed', 'the burn to complete');
    await until(page, 'media-summary', (t) => t.startsWith('CD-RW, appendable'), 'fresh media');
    await button(page, 'Dismiss').click();

    // -- save as image: OPFS, then a download ------------------------------------
    await button(page, 'Save disc as image…').click();
    const save = page.locator('wd-save-dialog dialog');
    await save.waitFor({ state: 'visible' });
    // The file is named from the disc's volume label (Joliet's, as given; read by the worker).
    const fileName = page.locator('wd-save-dialog #file-name');
    await eventually(async () => (await fileName.inputValue()) === 'Disc Files.iso', 'the name');
    assert.deepEqual(await axeViolations(page), []);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      button(page, 'Save…').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Disc Files.iso');
    const image = readFileSync(await download.path());
    await until(page, 'result-headline', (t) => t === 'Save completed', 'the save to complete');
    const sectors = Number((await text(page, 'result-sectors')).split(' ')[0]!.replace(/,/g, ''));
    assert.equal(image.length, sectors * 2048);
    assert.equal(
      await text(page, 'result-sha256'),
      createHash('sha256').update(image).digest('hex'),
    );
    assert.equal(await text(page, 'result-md5'), createHash('md5').update(image).digest('hex'));
    assert.equal(await text(page, 'result-bad'), 'none: every sector was read');
    assert.equal(await text(page, 'result-file'), 'Disc Files.iso (downloaded)');
    await page.screenshot({ path: screenshotPath('save-disc-result-wide-light') });
    const iso = await openIso(
      { read: async (s, n) => image.subarray(s * 2048, (s + n) * 2048) },
      'joliet',
    );
    assert.equal(iso.volumeId, 'Disc Files');
    const readme = (await iso.list(iso.root)).find((e) => e.name === 'readme.txt')!;
    assert.ok(Buffer.from(await iso.readFile(readme)).equals(FILES['readme.txt']));
    await button(page, 'Dismiss').click();

    // -- browse: list, download a file, a folder as a zip --------------------------
    await button(page, 'Browse files…').click();
    const browse = page.locator('wd-browse-dialog');
    await browse.locator('dialog').waitFor({ state: 'visible' });
    const volume = browse.locator('[data-testid=browse-volume]');
    await eventually(
      async () => ((await volume.textContent()) ?? '').includes('—'),
      'the volume line',
    );
    // Joliet's label (as given) with Rock Ridge's names.
    assert.equal(((await volume.textContent()) ?? '').trim(), 'Disc Files — ISO 9660 + Rock Ridge');
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('browse-disc-wide-light') });
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      browse.getByRole('button', { name: 'Download readme.txt' }).click(),
    ]);
    assert.equal(file.suggestedFilename(), 'readme.txt');
    assert.ok(readFileSync(await file.path()).equals(FILES['readme.txt']));
    await browse.getByRole('button', { name: 'Open folder data' }).click();
    await browse.getByRole('button', { name: 'Download numbers.bin' }).waitFor();
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      browse.getByRole('button', { name: 'Download this folder as .zip' }).click(),
    ]);
    assert.equal(zip.suggestedFilename(), 'data.zip');
    const zipBytes = readFileSync(await zip.path());
    assert.equal(zipBytes.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(zipBytes.includes(Buffer.from('data/deep/note.md')));
    assert.ok(zipBytes.includes(FILES['data/numbers.bin'].subarray(0, 1000)));
    await browse.getByRole('button', { name: 'Close' }).click();

    // -- verify: the image, the folder, then a changed image -----------------------
    await button(page, 'Verify…').click();
    const verify = page.locator('wd-verify-dialog');
    await verify.locator('dialog').waitFor({ state: 'visible' });
    const saved = join(dir, 'disc.iso');
    writeFileSync(saved, image);
    await verify.locator('#image-input').setInputFiles(saved);
    const headline = verify.locator('[data-testid=verify-headline]');
    await headline.waitFor();
    assert.match((await headline.textContent()) ?? '', /^\s*Identical: The disc holds the image/);
    await verify.locator('#folder-input').setInputFiles(root);
    await eventually(
      async () => /the folder: 3 files identical/.test((await headline.textContent()) ?? ''),
      'the folder verification',
      30000,
    );
    await page.screenshot({ path: screenshotPath('verify-disc-wide-light') });
    const changed = Buffer.from(image);
    changed[20 * 2048 + 5]! ^= 0xff;
    writeFileSync(join(dir, 'changed.iso'), changed);
    await verify.locator('#image-input').setInputFiles(join(dir, 'changed.iso'));
    await eventually(
      async () => /first at LBA 20\./.test((await headline.textContent()) ?? ''),
      'the first differing LBA',
      30000,
    );

    await verify.getByRole('button', { name: 'Close' }).click();
    await verify.locator('dialog').waitFor({ state: 'hidden' });

    // -- copy with one drive: read into OPFS, a blank disc, burn the copy ----------
    await button(page, 'Copy disc…').click();
    await until(page, 'result-headline', (t) => t === 'Save completed', 'the copy to be read');
    const copySha = await text(page, 'result-sha256');
    assert.equal(copySha, createHash('sha256').update(image).digest('hex'));
    await until(page, 'copy-status', (t) => t.startsWith('The disc is read'), 'the copy panel');
    await page.screenshot({ path: screenshotPath('copy-disc-ready-wide-light') });
    await button(page, 'Dismiss').click();
    await page.getByLabel('Medium', { exact: true }).selectOption('cd-rw');
    await button(page, 'Insert').click();
    await until(page, 'media-summary', (t) => t === 'CD-RW, blank.', 'a blank CD-RW');
    await button(page, 'Burn the copy…').click();
    const burn = page.locator('wd-burn-dialog dialog');
    await burn.waitFor({ state: 'visible' });
    await page.locator('wd-burn-dialog input[name=verify][value=full]').check();
    await button(page, 'Review…').click();
    await button(page, 'Burn').click();
    await burn.waitFor({ state: 'hidden' });
    await until(page, 'result-headline', (t) => t === 'Burn completed', 'the copy to be burned');
    assert.equal(await text(page, 'result-sha256'), copySha);
    await until(page, 'status', (t) => /Copy of the disc\.iso .*verified/.test(t), 'the status');

    assert.deepEqual(w.errors, []);
    assert.deepEqual(await w.cspViolations(), []);
    await context.close();
  });
});
