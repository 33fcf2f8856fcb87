import { expect, fixture, html } from '@open-wc/testing';
import { toErrorValue } from '../../lib/errors.ts';
import { WdDismissEvent } from '../../lib/events.ts';
import { usbProblemOf } from '../../lib/usb-problems.ts';
import { button, nextEvent, textOf } from '../../test/helpers.ts';
import './wd-usb-notice.ts';
import type { WdUsbNotice } from './wd-usb-notice.ts';

const problem = (name: string, message: string) =>
  usbProblemOf(toErrorValue(new DOMException(message, name)));

describe('wd-usb-notice', () => {
  it('explains a SecurityError: the Isolated Web App or the CLI', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('SecurityError', 'The requested interface implements a protected class.')}
      ></wd-usb-notice>`,
    );
    const text = textOf(el);
    expect(text).to.contain('Chrome will not let this page use the drive');
    expect(text).to.contain('Isolated Web App');
    expect(text).to.contain('command-line tool');
    expect(text).to.contain('protected class');
    expect(text).not.to.match(/\bat .*:\d+:\d+/);
    await expect(el).to.be.accessible();
  });

  it('explains a NetworkError: unbind usb-storage (udev) or the CLI', async () => {
    const el = await fixture<WdUsbNotice>(
      html`<wd-usb-notice
        .problem=${problem('NetworkError', 'Unable to claim interface.')}
      ></wd-usb-notice>`,
    );
    const text = textOf(el);
    expect(text).to.contain('Your operating system is using the drive');
    expect(text).to.contain('usb-storage/unbind');
    expect(text).to.contain('udev rule');
    expect(text).to.contain('command-line tool');
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
