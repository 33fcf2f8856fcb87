import { expect, fixture, html } from '@open-wc/testing';
import { WdDismissEvent, WdReloadEvent } from '../../lib/events.ts';
import { button, nextEvent, textOf } from '../../test/helpers.ts';
import './wd-update-banner.ts';
import type { WdUpdateBanner } from './wd-update-banner.ts';

describe('wd-update-banner', () => {
  it('is empty until an update is waiting', async () => {
    const el = await fixture<WdUpdateBanner>(html`<wd-update-banner></wd-update-banner>`);
    expect(textOf(el)).to.equal('');
    el.open = true;
    await el.updateComplete;
    expect(textOf(el)).to.contain('Update available');
    await expect(el).to.be.accessible();
  });

  it('asks to reload or to wait', async () => {
    const el = await fixture<WdUpdateBanner>(html`<wd-update-banner open></wd-update-banner>`);
    const reload = nextEvent(el, WdReloadEvent.type);
    button(el, 'Reload').click();
    expect(await reload).to.be.instanceOf(WdReloadEvent);
    const later = nextEvent(el, WdDismissEvent.type);
    button(el, 'Later').click();
    expect(await later).to.be.instanceOf(WdDismissEvent);
  });
});
