/**
 * The app's file pickers fed odd files (issue 20, part 6): an empty file, a
 * 1-byte file, a 3-byte ".iso", a file with no ISO 9660 or UDF file system
 * and a name that looks like a folder, in the virtual drive's "Insert an image
 * as a disc…", "Burn an image…", "Browse files…" (an image that is not an
 * ISO) and "Verify…". Each must be answered in words (no stack, no raw
 * exception such as "TypeError"), the app must stay usable (a good image
 * works right after), and no page or console error may appear.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { romSector } from '../virtual-recorder/src/index.ts';
import {
  VIEWPORTS,
  eventually,
  waitForApp,
  waitForPanels,
  watch,
  type Watch,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

interface Picked {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** A valid ISO 9660 volume of `blocks` sectors (the virtual recorder's ROM layout). */
function isoImage(blocks: number, volumeId: string): Buffer {
  const image = Buffer.alloc(blocks * 2048);
  for (let lba = 0; lba < blocks; lba++)
    romSector(lba, blocks, volumeId, image.subarray(lba * 2048, (lba + 1) * 2048));
  return image;
}

const ISO = 'application/x-iso9660-image';
/** `empty`: no byte at all (a name that looks like a folder comes as such a file). */
const ODD: readonly (Picked & { readonly empty: boolean })[] = [
  { name: 'empty.iso', mimeType: ISO, buffer: Buffer.alloc(0), empty: true },
  { name: 'one-byte.iso', mimeType: ISO, buffer: Buffer.from('x'), empty: false },
  { name: 'three.iso', mimeType: ISO, buffer: Buffer.from('abc'), empty: false },
  // 40 sectors of text: no volume descriptor at sector 16, so no ISO 9660 or UDF.
  {
    name: 'notes.iso',
    mimeType: ISO,
    buffer: Buffer.alloc(40 * 2048, 'not a file system '),
    empty: false,
  },
  { name: 'Photos', mimeType: '', buffer: Buffer.alloc(0), empty: true },
];
const GOOD: Picked = { name: 'good.iso', mimeType: ISO, buffer: isoImage(300, 'GOOD_DISC') };

/** Words a person should never be shown. */
const RAW =
  /\b(Type|Reference|Range|Syntax)Error\b|\bat \S+ \(|:\d+:\d+\)|\[object Object\]|\bundefined\b|\bNaN\b/;

/** The words `l` shows, its components' shadow roots included (innerText stops at a host). */
async function words(l: Locator): Promise<string> {
  // One loop, no inner named function: tsx would wrap one in a helper the page does not have.
  const text = await l
    .first()
    .evaluate((root) => {
      const parts: string[] = [];
      const stack: Node[] = [root];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.nodeType === Node.TEXT_NODE) parts.push(n.textContent ?? '');
        if (n instanceof Element && /^(STYLE|SCRIPT|TEMPLATE)$/.test(n.tagName)) continue;
        if (n instanceof HTMLElement && n.hidden) continue;
        const children: Node[] = [...n.childNodes];
        if (n instanceof Element && n.shadowRoot) children.unshift(n.shadowRoot);
        stack.push(...children.reverse());
      }
      return parts.join(' ');
    })
    .catch((error: unknown) => `(unreadable: ${String(error)})`);
  return text.replace(/\s+/g, ' ').trim();
}

/** The visible words of `where`, once they pass `test`; fails naming what was shown. */
async function shows(where: Locator, test: (t: string) => boolean, what: string): Promise<string> {
  let last = '';
  try {
    await eventually(async () => test((last = await words(where))), what, 20000);
  } catch (error) {
    throw new Error(`${(error as Error).message}; it says: ${last}`, { cause: error });
  }
  assert.doesNotMatch(last, RAW, `raw words for ${what}`);
  return last;
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('the app on odd files (issue 20, part 6)', () => {
  let served: Served;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let w: Watch;
  const consoleErrors: string[] = [];

  before(async () => {
    served = await serveApp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORTS.wide, serviceWorkers: 'block' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    w = await watch(context, page, served.url);
    await page.goto(served.url);
    await waitForApp(page);
    await waitForPanels(page);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await served?.close();
  });

  const summary = () => page.locator('wd-app [data-testid=media-summary]').first();
  const driveList = () => page.locator('wd-drive-list');

  it('"Insert an image as a disc…": an empty file is refused in words, a few bytes make a 1-sector disc; a good image then goes in', async () => {
    const insertButton = driveList().locator('[data-testid=insert-image]');
    for (const file of ODD) {
      await driveList().locator('#image-input').setInputFiles(file);
      await shows(
        driveList(),
        (t) =>
          file.empty
            ? /an image needs at least one byte/.test(t)
            : /In the drive: CD-ROM/.test(t) && !/Details:/.test(t),
        `the answer to ${file.name}`,
      );
      await eventually(() => insertButton.isEnabled(), 'the drive list to be free again');
    }
    await driveList().locator('#image-input').setInputFiles(GOOD);
    await shows(summary(), (t) => t.startsWith('CD-ROM'), 'the good image as a disc');
    await shows(driveList(), (t) => !/Details:/.test(t), 'no error left in the drive list');
  });

  it('"Browse files…": an image that is not an ISO says so, with no listing under its name; a good one is listed', async () => {
    await button(page, 'Browse files…').click();
    const browse = page.locator('wd-browse-dialog');
    await browse.locator('dialog').waitFor({ state: 'visible' });
    for (const file of ODD) {
      // Picked at once, while the disc is still being read: its late answer must not show.
      await browse.locator('#image-input').setInputFiles(file);
      await shows(
        browse,
        (t) =>
          t.includes(`Files in ${file.name}`) &&
          /no file system webdisc can read/.test(t) &&
          !t.includes('Folder /'),
        `the answer to ${file.name}`,
      );
    }
    await browse.locator('#image-input').setInputFiles(GOOD);
    await shows(
      browse.locator('[data-testid=browse-volume]'),
      (t) => t === 'GOOD_DISC — ISO 9660',
      'the good image',
    );
    await shows(browse, (t) => !/Details:/.test(t), 'no error left');
    await browse.getByRole('button', { name: 'Close' }).click();
    await browse.locator('dialog').waitFor({ state: 'hidden' });
  });

  it('"Verify…": an empty file is refused in words, other odd files differ at LBA 0; the good image is identical', async () => {
    await button(page, 'Verify…').click();
    const verify = page.locator('wd-verify-dialog');
    await verify.locator('dialog').waitFor({ state: 'visible' });
    for (const file of ODD) {
      await verify.locator('#image-input').setInputFiles(file);
      const said = await shows(
        verify,
        (t) =>
          file.empty
            ? t.includes(`${file.name} is empty: there is nothing to compare the disc with.`)
            : t.includes('Different : The disc differs from the image first at LBA 0.'),
        `the answer to ${file.name}`,
      );
      assert.doesNotMatch(said, /Identical/, `${file.name} is not the disc`);
    }
    await verify.locator('#image-input').setInputFiles(GOOD);
    await shows(
      verify.locator('[data-testid=verify-headline]'),
      (t) => t.startsWith('Identical'),
      'the good image identical',
    );
    await verify.getByRole('button', { name: 'Close' }).click();
    await verify.locator('dialog').waitFor({ state: 'hidden' });
  });

  it('"Burn an image…": an empty file is said to be empty, other odd files are raw data with a warning; a good one fits', async () => {
    await page.getByLabel('Medium', { exact: true }).selectOption('cd-rw');
    await button(page, 'Insert').click();
    await shows(summary(), (t) => t === 'CD-RW, blank.', 'a blank CD-RW');
    await button(page, 'Burn an image…').click();
    const burn = page.locator('wd-burn-dialog');
    await burn.locator('dialog').waitFor({ state: 'visible' });
    const warning = 'This file has no ISO 9660 or UDF file system at its start';
    for (const file of ODD) {
      await burn.locator('input[type=file]').setInputFiles(file);
      await shows(
        burn,
        (t) =>
          t.includes(`Image ${file.name}`) &&
          (file.empty
            ? t.includes('The image is empty.') && !t.includes(warning)
            : /Fits: \d+ of 359,847 free sectors\./.test(t) && t.includes(warning)),
        `the answer to ${file.name}`,
      );
      if (file.empty) assert.equal(await button(page, 'Review…').isEnabled(), false);
    }
    await burn.locator('input[type=file]').setInputFiles(GOOD);
    await shows(burn.locator('[data-testid=fit]'), (t) => t.startsWith('Fits'), 'the fit line');
    await shows(burn, (t) => !t.includes(warning), 'no warning for a disc image');
    await button(page, 'Cancel').click();
    await burn.locator('dialog').waitFor({ state: 'hidden' });
  });

  it('no page error and no console error', async () => {
    assert.deepEqual(w.errors, []);
    assert.deepEqual(consoleErrors, []);
  });
});
