import { expect, fixture, html } from '@open-wc/testing';
import { AccessProblem } from '../../../contract/errors.ts';
import { HRESULT } from '../../../contract/hresult.ts';
import { toErrorValue } from '../../lib/errors.ts';
import { WdDismissEvent } from '../../lib/events.ts';
import { usbProblemOf } from '../../lib/usb-problems.ts';
import { button, nextEvent, textOf } from '../../test/helpers.ts';
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

/** The protected-class advice: the Isolated Web App or the CLI. */
function expectSecurityAdvice(text: string) {
  expect(text).to.contain('Chrome will not let this page use the drive');
  expect(text).to.contain('Isolated Web App');
  expect(text).to.contain('command-line tool');
  expect(text).to.contain('protected class');
}

/** The busy advice: unbind usb-storage (udev) or the CLI. */
function expectNetworkAdvice(text: string) {
  expect(text).to.contain('Your operating system is using the drive');
  expect(text).to.contain('usb-storage/unbind');
  expect(text).to.contain('udev rule');
  expect(text).to.contain('command-line tool');
}

describe('wd-usb-notice', () => {
  it('explains a SecurityError: the Isolated Web App or the CLI', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('SecurityError', 'The requested interface implements a protected class.')}
      ></wd-usb-notice>`,
    );
    const text = textOf(el);
    expectSecurityAdvice(text);
    expect(text).not.to.match(/\bat .*:\d+:\d+/);
    await expect(el).to.be.accessible();
  });

  it('explains a NetworkError: unbind usb-storage (udev) or the CLI', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('NetworkError', 'Unable to claim interface.')}
      ></wd-usb-notice>`,
    );
    expectNetworkAdvice(textOf(el));
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
    expectSecurityAdvice(textOf(el));
  });

  it("gives the same advice for the worker's busy problem, which says none", async () => {
    const busy = fromWorker(AccessProblem.Busy, "Another driver holds the drive's interface.");
    const el = await fixture<WdUsbNotice>(html`<wd-usb-notice .problem=${busy}></wd-usb-notice>`);
    expectNetworkAdvice(textOf(el));
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
