import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  VIEWPORTS,
  axeViolations,
  eventually,
  horizontalOverflow,
  openAdvanced,
  screenshotPath,
  waitForApp,
  waitForPanels,
  watch,
} from './app-helpers.ts';
import { launchChromium, serveApp, type Served } from './harness.ts';

describe('app views: screenshots, layout, accessibility (built app)', () => {
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

  for (const size of ['narrow', 'wide'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`main view, ${size}, ${scheme}: fits, no axe violations, screenshot saved`, async () => {
        const context = await browser.newContext({
          viewport: VIEWPORTS[size],
          colorScheme: scheme,
          serviceWorkers: 'block',
        });
        const page = await context.newPage();
        const w = await watch(context, page, served.url);
        await page.goto(served.url);
        await waitForApp(page);
        await waitForPanels(page);
        // The media picker is filled once the virtual drive answered (or its error shows).
        await page.waitForTimeout(300);
        const file = screenshotPath(`main-${size}-${scheme}`);
        await page.screenshot({ path: file, fullPage: true });
        assert.ok(existsSync(file) && statSync(file).size > 10_000, `${file} was not written`);
        assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
        assert.deepEqual(await axeViolations(page), []);
        assert.deepEqual(w.errors, []);
        assert.deepEqual(await w.cspViolations(), []);
        assert.deepEqual(w.offOrigin, []);
        await context.close();
      });
    }
  }

  for (const [name, viewport] of [
    ['1280x900', { width: 1280, height: 900 }],
    ['390x844', VIEWPORTS.narrow],
  ] as const) {
    it(`home at ${name}: the disc in words and the jobs, Burn files… in view without scrolling`, async () => {
      const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
      const page = await context.newPage();
      const w = await watch(context, page, served.url);
      await page.goto(served.url);
      await waitForApp(page);
      await waitForPanels(page);
      await page.getByLabel('Medium', { exact: true }).selectOption('dvd+r');
      await page.getByRole('button', { name: 'Insert', exact: true }).click();
      const words = page.locator('wd-home [data-testid=disc-words]');
      await eventually(
        async () =>
          /^Blank DVD\+R, [\d.]+ GB free\.$/.test((await words.textContent())?.trim() ?? ''),
        'a blank DVD+R in words',
      );
      const burnFiles = page.getByRole('button', { name: 'Burn files…', exact: true });
      await burnFiles.waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = await burnFiles.boundingBox();
      assert.ok(box, 'Burn files… has no box');
      assert.ok(box.y + box.height <= viewport.height, `Burn files… is below the fold (${box.y})`);
      // The engineering views are there, closed: nothing of theirs shows on the front door.
      assert.equal(await page.locator('wd-app details[data-testid=advanced]').count(), 1);
      assert.equal(await page.getByRole('button', { name: 'Acquire', exact: true }).count(), 0);
      const file = screenshotPath(`home-${name}`);
      await page.screenshot({ path: file });
      assert.ok(existsSync(file) && statSync(file).size > 10_000, `${file} was not written`);
      assert.ok((await horizontalOverflow(page)) <= 0, 'the page scrolls sideways');
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(w.errors, []);
      await context.close();
    });
  }

  it('keyboard: Tab reaches every control, each with a visible focus ring', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.wide, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(served.url);
    await waitForApp(page);
    await waitForPanels(page);
    const seen = await tabThrough(page);
    for (const name of [
      'Burn files…',
      'Eject',
      'Virtual recorder',
      'Connect a USB drive',
      'Advanced',
    ])
      assert.ok(
        seen.some((n) => n.startsWith(name)),
        `${name} not reached by Tab: ${seen.join(' | ')}`,
      );
    // The Advanced area, once opened, is reached the same way.
    await openAdvanced(page);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const advanced = await tabThrough(page);
    for (const name of ['Client name', 'Acquire', 'Filter'])
      assert.ok(
        advanced.some((n) => n.startsWith(name)),
        `${name} not reached by Tab: ${advanced.join(' | ')}`,
      );
    await context.close();
  });
});

/** Presses Tab until focus wraps to the document; each control's name, checking its focus ring. */
async function tabThrough(page: Page): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 90; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el || el === document.body) return null;
      const name =
        el.getAttribute('aria-label') ||
        (el as HTMLInputElement).labels?.[0]?.textContent ||
        el.textContent ||
        el.localName;
      return {
        name: name.replace(/\s+/g, ' ').trim(),
        outline: getComputedStyle(el).outlineStyle,
        focusVisible: el.matches(':focus-visible'),
      };
    });
    if (!focused) break; // wrapped around to the document
    assert.ok(focused.focusVisible, `${focused.name} is not :focus-visible`);
    assert.notEqual(focused.outline, 'none', `no focus ring on ${focused.name}`);
    if (seen.length === 3) await page.screenshot({ path: screenshotPath('focus-wide-light') });
    seen.push(focused.name);
  }
  return seen;
}
