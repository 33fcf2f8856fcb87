import { expect, fixture, html } from '@open-wc/testing';
import { lockedError, mediumNotPresent } from '../../test/samples.ts';
import { $, textAt } from '../../test/helpers.ts';
import './wd-error-view.ts';
import type { WdErrorView } from './wd-error-view.ts';

describe('wd-error-view', () => {
  it('says the error in words first, then the message, then the details line (name, 0x code)', async () => {
    const el = await fixture<WdErrorView>(
      html`<wd-error-view
        label="Eject refused"
        owner="Burner tab"
        .error=${lockedError('Burner tab')}
      ></wd-error-view>`,
    );
    const alert = $(el, '[role=alert]');
    const text = alert.textContent!.replace(/\s+/g, ' ');
    expect(textAt(el, '[data-testid=error-words]')).to.equal('The drive is used by Burner tab.');
    // Words come before the codes.
    expect(text.indexOf('The drive is used by Burner tab.')).to.be.lessThan(
      text.indexOf('E_IMAPI_RECORDER_LOCKED'),
    );
    expect(text).to.match(/^\s*Eject refused:/);
    expect($(el, '[data-testid=error-name]').textContent).to.equal('E_IMAPI_RECORDER_LOCKED');
    expect($(el, '[data-testid=error-hresult]').textContent).to.equal('0xC0AA0210');
    expect(textAt(el, '[data-testid=error-message]')).to.contain(
      'locked for exclusive access by “Burner tab”',
    );
    expect(text.indexOf('locked for exclusive access')).to.be.lessThan(text.indexOf('Details:'));
    expect(el.shadowRoot!.querySelector('[data-testid=error-sense]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('decodes the sense in the details line, and says a missing disc in words', async () => {
    const el = await fixture<WdErrorView>(
      html`<wd-error-view label="Could not read" .error=${mediumNotPresent}></wd-error-view>`,
    );
    expect(textAt(el, '[data-testid=error-words]')).to.equal('There is no disc in the drive.');
    expect(textAt(el, '[data-testid=error-message]')).to.equal('There is no medium in the drive.');
    expect(textAt(el, '[data-testid=error-details]')).to.equal(
      'Details: E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202 Sense: NOT READY (2h), ASC 3Ah, ASCQ 00h',
    );
  });

  it('without an owner, an "in use" error still says so in words', async () => {
    const el = await fixture<WdErrorView>(
      html`<wd-error-view .error=${lockedError('x')}></wd-error-view>`,
    );
    expect(textAt(el, '[data-testid=error-words]')).to.equal(
      'The drive is used by another program.',
    );
  });

  it('renders nothing without an error', async () => {
    const el = await fixture<WdErrorView>(html`<wd-error-view></wd-error-view>`);
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.equal(null);
  });
});
