import { expect, fixture, html } from '@open-wc/testing';
import { lockedError, mediumNotPresent } from '../../test/samples.ts';
import { $ } from '../../test/helpers.ts';
import './wd-error-view.ts';
import type { WdErrorView } from './wd-error-view.ts';

describe('wd-error-view', () => {
  it('shows name, HRESULT as 0xC0AA0210, message and decoded sense as an alert', async () => {
    const el = await fixture<WdErrorView>(
      html`<wd-error-view
        label="Eject refused"
        .error=${lockedError('Burner tab')}
      ></wd-error-view>`,
    );
    const alert = $(el, '[role=alert]');
    expect(alert.textContent).to.contain('Eject refused');
    expect(alert.textContent).to.contain('locked for exclusive access by “Burner tab”');
    expect($(el, '[data-testid=error-name]').textContent).to.equal('E_IMAPI_RECORDER_LOCKED');
    expect($(el, '[data-testid=error-hresult]').textContent).to.equal('0xC0AA0210');
    expect(el.shadowRoot!.querySelector('[data-testid=error-sense]')).to.equal(null);

    el.error = mediumNotPresent;
    await el.updateComplete;
    expect($(el, '[data-testid=error-sense]').textContent).to.equal(
      'Sense: NOT READY (2h), ASC 3Ah, ASCQ 00h',
    );
    await expect(el).to.be.accessible();
  });

  it('renders nothing without an error', async () => {
    const el = await fixture<WdErrorView>(html`<wd-error-view></wd-error-view>`);
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.equal(null);
  });
});
