import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import './wd-app.ts';
import type { WdApp } from './wd-app.ts';

describe('wd-app', () => {
  it('renders the value the worker computed', async () => {
    const source = {
      selfTest: (tag: number) =>
        Promise.resolve({ cbwHex: 'cafe', decodedTag: tag, roundTrip: true }),
    };
    const el = await fixture<WdApp>(html`<wd-app .source=${source}></wd-app>`);
    await waitUntil(() => el.shadowRoot?.querySelector('[data-testid=cbw]'), 'no CBW rendered');
    expect(el.shadowRoot!.querySelector('[data-testid=cbw]')!.textContent).to.equal('cafe');
    expect(el.shadowRoot!.querySelector('[data-testid=roundtrip]')!.textContent).to.equal(
      'round trip ok',
    );
  });

  it('shows a worker failure as an alert, not a stack trace', async () => {
    const source = { selfTest: () => Promise.reject(new Error('worker died')) };
    const el = await fixture<WdApp>(html`<wd-app .source=${source}></wd-app>`);
    await waitUntil(() => el.shadowRoot?.querySelector('[role=alert]'), 'no alert');
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).to.contain('worker died');
  });
});
