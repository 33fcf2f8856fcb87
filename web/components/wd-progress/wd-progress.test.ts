import { expect, fixture, html } from '@open-wc/testing';
import { WdCancelEvent } from '../../lib/events.ts';
import { $, button, nextEvent, textOf } from '../../test/helpers.ts';
import './wd-progress.ts';
import type { WdProgress } from './wd-progress.ts';

describe('wd-progress', () => {
  it('says when nothing runs', async () => {
    const el = await fixture<WdProgress>(html`<wd-progress recorder-id="virtual"></wd-progress>`);
    expect(textOf(el)).to.contain('No operation is running.');
    expect(el.shadowRoot!.querySelector('progress')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the bar, the action, elapsed and remaining time, and cancels', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        recorder-id="virtual"
        .progress=${{ action: 'Writing track 1', fraction: 0.25, elapsedMs: 65_000, remainingMs: 195_000 }}
      ></wd-progress>`,
    );
    const bar = $<HTMLProgressElement>(el, 'progress');
    expect(bar.value).to.equal(0.25);
    expect(bar.max).to.equal(1);
    expect($(el, '[data-testid=progress-action]').textContent!.trim()).to.equal('Writing track 1');
    expect($(el, '[data-testid=progress-percent]').textContent).to.equal('25%');
    expect($(el, '[data-testid=progress-elapsed]').textContent).to.equal('1:05');
    expect($(el, '[data-testid=progress-remaining]').textContent!.trim()).to.equal('3:15');
    await expect(el).to.be.accessible();
    const event = nextEvent<WdCancelEvent>(el, WdCancelEvent.type);
    button(el, 'Cancel').click();
    expect((await event).recorderId).to.equal('virtual');
  });

  it('adds sectors written and the drive buffer for a burn', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .progress=${{
          action: 'writing',
          fraction: 0.5,
          elapsedMs: 10_000,
          remainingMs: 10_000,
          startLba: 100,
          sectorCount: 2000,
          lastWrittenLba: 1099,
          bufferFill: 0.84,
        }}
      ></wd-progress>`,
    );
    expect($(el, '[data-testid=progress-sectors]').textContent!.trim()).to.equal('1,000 of 2,000');
    expect($(el, '[data-testid=progress-buffer]').textContent).to.equal('84%');
    await expect(el).to.be.accessible();
  });

  it('is indeterminate when the fraction is unknown and drops Cancel when done', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .progress=${{ action: 'Erasing', fraction: null, elapsedMs: 0, remainingMs: null }}
      ></wd-progress>`,
    );
    expect($<HTMLProgressElement>(el, 'progress').hasAttribute('value')).to.equal(false);
    expect($(el, '[data-testid=progress-remaining]').textContent!.trim()).to.equal('estimating…');
    await expect(el).to.be.accessible();
    el.progress = { action: 'Erasing', fraction: 1, elapsedMs: 90_000, remainingMs: 0 };
    await el.updateComplete;
    expect($(el, '[data-testid=progress-action]').textContent).to.contain('done');
    expect(() => button(el, 'Cancel')).to.throw();
  });
});
