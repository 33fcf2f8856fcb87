/**
 * Files and folders end to end (issue 16): the built app, the real recorder
 * worker and the shared virtual recorder. Files and a folder go in through
 * the "Burn files…" dialog's hidden inputs (the file chooser's and the
 * webkitdirectory folder chooser's), the worker plans the image, and:
 * - "Save as ISO…" (the download fallback: the page's showSaveFilePicker is
 *   hidden) gives an image that disc-fs's reader opens in Node, with every
 *   file's bytes in Joliet and Rock Ridge;
 * - the burn, with full verification, reports the SHA-256 of that same
 *   image: the page's builder and the worker's make it byte for byte.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openIso, type IsoVolume, type ReadEntry } from '../disc-fs/src/index.ts';
import {
  VIEWPORTS,
  axeViolations,
  horizontalOverflow,
  screenshotPath,
  waitForApp,
  waitForPanels,
  watch,
  button,
  text,
  until,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

/** The files the test adds: two at the top, and a folder with a sub-folder. */
const FILES = {
  'readme.txt': Buffer.from('Hello from webdisc.\n'),
  'Übersicht für Käthe.txt': Buffer.from('Umlaute im Namen.\n'),
  'data/numbers.bin': Buffer.from(Uint8Array.from({ length: 70_000 }, (_, i) => i % 251)),
  'data/deep/note.md': Buffer.from('# deep\n'),
};

/** `dir`: where the folder's files are written; they must stay until the test ends (the page reads them as it builds the image). */
async function addProject(page: Page, dir: string): Promise<void> {
  await page.locator('wd-files-dialog #add-files-input').setInputFiles(
    (['readme.txt', 'Übersicht für Käthe.txt'] as const).map((name) => ({
      name,
      mimeType: 'text/plain',
      buffer: FILES[name],
    })),
  );
  // A folder, as the webkitdirectory chooser hands it over (Chromium: each
  // File with its webkitRelativePath, "data/deep/note.md").
  for (const p of ['data/numbers.bin', 'data/deep/note.md'] as const) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), FILES[p]);
  }
  await page.locator('wd-files-dialog #add-folder-input').setInputFiles(join(dir, 'data'));
}

async function walk(iso: IsoVolume, dir: ReadEntry, prefix = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await iso.list(dir)) {
    const path = `${prefix}${e.name}`;
    if (e.kind === 'dir') for (const [k, v] of await walk(iso, e, `${path}/`)) out.set(k, v);
    else out.set(path, Buffer.from(await iso.readFile(e)));
  }
  return out;
}

describe('burn files and folders end to end (built app, real worker, virtual recorder)', () => {
  let served: Served;
  let browser: Browser;
  let dir: string;
  before(async () => {
    served = await serveApp();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'webdisc-files-'));
  });
  after(async () => {
    await browser?.close();
    await served?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('saves the project as an ISO, then burns it to a blank CD-RW with full verification', async () => {
    const context = await browser.newContext({
      viewport: VIEWPORTS.wide,
      serviceWorkers: 'block',
      acceptDownloads: true,
    });
    // No File System Access save picker: Save as ISO takes the download path.
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

    // -- the project ---------------------------------------------------------
    await button(page, 'Burn files…').click();
    const dialog = page.locator('wd-files-dialog dialog');
    await dialog.waitFor({ state: 'visible' });
    await addProject(page, dir);
    await page.locator('wd-files-dialog #volume-label').fill('Sommer 2024');
    await until(page, 'files-fit', (t) => t.startsWith('Fits'), 'the fit line');
    const size = await text(page, 'files-size');
    assert.match(size, /^4 files in 2 folders: /);
    const sectors = Number(/\(([\d,]+) sectors\)/.exec(size)?.[1]?.replace(/,/g, ''));
    assert.ok(sectors > 35 && sectors < 1000, size);
    assert.equal(await text(page, 'files-fit'), `Fits: ${sectors} of 359,847 free sectors.`);
    // The umlaut name is not a plain ISO 9660 name: the report says what it becomes.
    await page.locator('wd-files-dialog [data-testid=name-report] summary').click();
    assert.match(await text(page, 'report-renamed'), /Übersicht für Käthe\.txt: ISO 9660 /);
    await page.locator('wd-files-dialog input[name=verify][value=full]').check();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('burn-files-dialog-wide-light') });
    await page.setViewportSize(VIEWPORTS.narrow);
    assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
    await page.screenshot({ path: screenshotPath('burn-files-dialog-narrow-light') });
    await page.setViewportSize(VIEWPORTS.wide);

    // -- Save as ISO: a download, read back in Node ----------------------------
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      button(page, 'Save as ISO…').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'Sommer 2024.iso');
    const image = readFileSync(await download.path());
    assert.equal(image.length, sectors * 2048);
    await until(page, 'save-status', (t) => t.startsWith('Downloaded'), 'the save status');
    const read = { read: async (s: number, n: number) => image.subarray(s * 2048, (s + n) * 2048) };
    for (const ns of ['joliet', 'rockRidge'] as const) {
      const iso = await openIso(read, ns);
      assert.equal(iso.namespace, ns);
      const files = await walk(iso, iso.root);
      assert.deepEqual([...files.keys()].sort(), Object.keys(FILES).sort(), ns);
      for (const [path, bytes] of Object.entries(FILES))
        assert.ok(files.get(path)?.equals(bytes), `${ns}: ${path}`);
    }
    assert.equal((await openIso(read, 'joliet')).volumeId, 'Sommer 2024');
    const sha256 = createHash('sha256').update(image).digest('hex');

    // -- burn: the same image, verified ----------------------------------------
    await button(page, 'Review…').click();
    await page.locator('wd-files-dialog [data-testid=files-summary]').waitFor();
    assert.equal(
      await text(page, 'files-warning'),
      `Writing uses LBA 0 to ${sectors - 1} of the CD-RW; they stay used until the disc is erased.`,
    );
    await button(page, 'Burn').click();
    await dialog.waitFor({ state: 'hidden' });
    await until(page, 'result-headline', (t) => t === 'Burn completed', 'the burn to complete');
    assert.equal(await text(page, 'result-sha256'), sha256);
    assert.match(await text(page, 'result-sectors'), new RegExp(`^${sectors} sectors`));
    await until(page, 'status', (t) => /verified \(SHA-256 matches\)/.test(t), 'the status');
    assert.match(await text(page, 'status'), /^Burn of Sommer 2024 \(4 files\) completed/);
    await until(page, 'media-summary', (t) => t.startsWith('CD-RW, appendable'), 'fresh media');
    await page.screenshot({ path: screenshotPath('burn-files-result-wide-light') });

    assert.deepEqual(w.errors, []);
    assert.deepEqual(await w.cspViolations(), []);
    await context.close();
  });
});
