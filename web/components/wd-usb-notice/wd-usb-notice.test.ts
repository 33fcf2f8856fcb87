import { expect, fixture, html } from '@open-wc/testing';
import { AccessProblem } from '../../../contract/errors.ts';
import { HRESULT } from '../../../contract/hresult.ts';
import { toErrorValue } from '../../lib/errors.ts';
import { WdDismissEvent } from '../../lib/events.ts';
import { usbProblemOf } from '../../lib/usb-problems.ts';
import { $, $$, button, nextEvent, textOf } from '../../test/helpers.ts';
import './wd-usb-notice.ts';
import type { WdUsbNotice } from './wd-usb-notice.ts';

const problem = (name: string, message: string) =>
  usbProblemOf(toErrorValue(new DOMException(message, name)));

/** The worker's E_ACCESS_DENIED that names the problem, as a fact without advice. */
const fromWorker = (problem: AccessProblem, message: string) =>
  usbProblemOf(
    {
      hresult: HRESULT.E_ACCESS_DENIED | 0,
      name: 'E_ACCESS_DENIED',
      message,
      sense: null,
      problem,
    },
    false,
  );

/** The three ways in, the same list whatever the cause. */
function expectWaysIn(el: WdUsbNotice) {
  const ways = $$(el, '[data-testid=ways-in] > li').map((li) =>
    li.textContent!.replace(/\s+/g, ' '),
  );
  expect(ways).to.have.length(3);
  expect(ways[0]).to.contain('Isolated Web App').and.to.contain('usb-unrestricted');
  expect(ways[1]).to.contain('npx webdisc');
  expect(ways[2]).to.contain('usb-storage/unbind').and.to.contain('udev rule');
}

/** The protected-class cause, then the ways in. */
function expectSecurityAdvice(el: WdUsbNotice) {
  const text = textOf(el);
  expect(text).to.contain('Chrome will not let this page use the drive');
  expect(text).to.contain('protected class');
  expectWaysIn(el);
}

/** The busy cause, then the ways in. */
function expectNetworkAdvice(el: WdUsbNotice) {
  expect(textOf(el)).to.contain('Your operating system is using the drive');
  expectWaysIn(el);
}

describe('wd-usb-notice', () => {
  it('explains a SecurityError: the Isolated Web App or the CLI', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('SecurityError', 'The requested interface implements a protected class.')}
      ></wd-usb-notice>`,
    );
    expectSecurityAdvice(el);
    expect(textOf(el)).not.to.match(/\bat .*:\d+:\d+/);
    await expect(el).to.be.accessible();
  });

  it('explains a NetworkError: unbind usb-storage (udev) or the CLI', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('NetworkError', 'Unable to claim interface.')}
      ></wd-usb-notice>`,
    );
    expectNetworkAdvice(el);
    await expect(el).to.be.accessible();
  });

  it("gives the same advice for the worker's protected-class problem, which says none", async () => {
    const refused = fromWorker(
      AccessProblem.ProtectedClass,
      'The platform refused access to the USB Mass Storage interface.',
    );
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice .problem=${refused}></wd-usb-notice>`,
    );
    expectSecurityAdvice(el);
  });

  it("gives the same advice for the worker's busy problem, which says none", async () => {
    const busy = fromWorker(AccessProblem.Busy, "Another driver holds the drive's interface.");
    const el = await fixture<WdUsbNotice>(html`<wd-usb-notice .problem=${busy}></wd-usb-notice>`);
    expectNetworkAdvice(el);
  });

  it('without WebUSB, explains the ways in calmly: no alert, nothing to dismiss', async () => {
    const el = await fixture<WdUsbNotice>(html`<wd-usb-notice unavailable></wd-usb-notice>`);
    expect($(el, '[data-testid=usb-explanation]').dataset['kind']).to.equal('unavailable');
    expect(textOf(el)).to.contain('This browser cannot reach USB drives');
    expectWaysIn(el);
    expect(el.shadowRoot!.querySelector('[role=alert]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('emits a dismiss event', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('NetworkError', 'Unable to claim interface.')}
      ></wd-usb-notice>`,
    );
    const event = nextEvent<WdDismissEvent>(el, WdDismissEvent.type);
    button(el, 'Dismiss').click();
    expect(await event).to.be.instanceOf(WdDismissEvent);
  });
});
