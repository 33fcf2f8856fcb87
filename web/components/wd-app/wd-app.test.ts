import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import * as Comlink from 'comlink';
import type { UsbLike } from '../../controllers/usb.ts';
import { FakeApi } from '../../test/fake-api.ts';
import { $, $$, button, textOf, waitForText } from '../../test/helpers.ts';
import { blankDvd, dataCd, traceEntry, usbSummary } from '../../test/samples.ts';
import './wd-app.ts';
import type { WdApp } from './wd-app.ts';

/** A panel inside the app's shadow root. */
function panel<K extends keyof HTMLElementTagNameMap>(
  app: WdApp,
  tag: K,
): HTMLElementTagNameMap[K] {
  return $<HTMLElementTagNameMap[K]>(app, tag);
}

async function renderApp(api: FakeApi, usb?: UsbLike) {
  const el = await fixture<WdApp>(html`<wd-app .usb=${usb} .source=${api}></wd-app>`);
  await waitForText(el, 'WEBDISC');
  return el;
}

/** navigator.usb with requestDevice answering from a list (a device, or an error to throw). */
function fakeUsb(answers: (USBDevice | DOMException)[]) {
  const target = new EventTarget();
  const usb = Object.assign(target, {
    requestDevice: (): Promise<USBDevice> => {
      const next = answers.shift();
      if (!next || next instanceof DOMException)
        return Promise.reject(next ?? new DOMException('No device selected.', 'NotFoundError'));
      return Promise.resolve(next);
    },
  }) as unknown as UsbLike;
  return { usb, fire: (type: string) => target.dispatchEvent(new Event(type)) };
}

describe('wd-app', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

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
    const source = {
      selfTest: () => Promise.reject(new Error('worker died\n    at x (w.js:1:1)')),
    };
    const el = await fixture<WdApp>(html`<wd-app .source=${source}></wd-app>`);
    await waitUntil(() => el.shadowRoot?.querySelector('[role=alert]'), 'no alert');
    const alert = el.shadowRoot!.querySelector('[role=alert]')!.textContent!;
    expect(alert).to.contain('worker died');
    expect(alert).not.to.contain('w.js');
  });

  it('subscribes with a Comlink proxy, lists the virtual recorder and reads it', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    expect(api.listener).to.be.a('function');
    expect((api.listener as unknown as Record<symbol, unknown>)[Comlink.proxyMarker]).to.equal(
      true,
    );
    expect(api.called('getInfo')).to.deep.equal([['virtual']]);
    expect(api.called('getMedia')).to.deep.equal([['virtual']]);
    expect(api.called('getLockState')).to.deep.equal([['virtual']]);
    const list = panel(el, 'wd-drive-list');
    expect($$<HTMLInputElement>(list, 'input[type=radio]').map((r) => r.value)).to.deep.equal([
      'virtual',
    ]);
    expect(textOf(panel(el, 'wd-media-panel'))).to.contain('DVD+R, blank.');
    expect(textOf(panel(el, 'wd-lock-panel'))).to.contain('nobody');
  });

  it('keeps the virtual recorder when the worker does not list it, and shows failures as values', async () => {
    const api = new FakeApi();
    api.recorders = [];
    api.failures.getMedia = new Error('worker crashed');
    api.failures.getLockState = new TypeError(
      "Cannot read properties of undefined (reading 'apply')",
    );
    const el = await renderApp(api);
    expect(textOf(panel(el, 'wd-drive-list'))).to.contain('Virtual recorder');
    await waitForText(panel(el, 'wd-media-panel'), 'worker crashed');
    await waitForText(panel(el, 'wd-lock-panel'), 'E_NOTIMPL');
    expect(textOf(panel(el, 'wd-lock-panel'))).to.contain('does not offer this operation yet');
  });

  it('inserts virtual media and follows media events live', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    const list = panel(el, 'wd-drive-list');
    const select = $<HTMLSelectElement>(list, 'select');
    select.value = 'CD-ROM data';
    select.dispatchEvent(new Event('change'));
    await list.updateComplete;
    button(list, 'Insert').click();
    await waitForText(panel(el, 'wd-media-panel'), 'CD-ROM, complete');
    expect(api.called('virtualInsertMedia')).to.deep.equal([['CD-ROM data']]);
    expect($(list, '[data-testid=virtual-media]').textContent).to.contain('CD-ROM data');

    api.emit({ type: 'media', recorderId: 'virtual', media: blankDvd });
    await waitForText(panel(el, 'wd-media-panel'), 'DVD+R, blank.');
    api.emit({ type: 'tray', recorderId: 'virtual', open: true });
    await waitForText(panel(el, 'wd-tray-controls'), 'The tray is open');
  });

  it('acquires twice (lock count 2) and releases', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    const lock = panel(el, 'wd-lock-panel');
    const input = $<HTMLInputElement>(lock, '#client-name');
    input.value = 'Tab one';
    input.dispatchEvent(new Event('input'));
    await lock.updateComplete;
    button(lock, 'Acquire').click();
    await waitUntil(() => $(lock, '[data-testid=lock-count]').textContent!.trim() === '1');
    button(lock, 'Acquire').click();
    await waitUntil(() => $(lock, '[data-testid=lock-count]').textContent!.trim() === '2');
    expect($(lock, '[data-testid=lock-owner]').textContent).to.contain('Tab one');
    expect(api.called('acquireExclusiveAccess')).to.deep.equal([
      ['virtual', false, 'Tab one'],
      ['virtual', false, 'Tab one'],
    ]);
    button(lock, 'Release').click();
    await waitUntil(() => $(lock, '[data-testid=lock-count]').textContent!.trim() === '1');
    button(lock, 'Release').click();
    await waitUntil(() => $(lock, '[data-testid=lock-count]').textContent!.trim() === '0');
    expect($(lock, '[data-testid=lock-owner]').textContent).to.contain('nobody');
    await waitForText(el, 'Exclusive access released.');
  });

  it("shows another tab's lock live and refuses eject with the owner's name", async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    api.lockElsewhere('Burner tab');
    const lock = panel(el, 'wd-lock-panel');
    await waitForText(lock, 'Burner tab holds this drive');
    const tray = panel(el, 'wd-tray-controls');
    button(tray, 'Eject').click();
    await waitForText(tray, 'E_IMAPI_RECORDER_LOCKED');
    expect(textOf(tray)).to.contain('0xC0AA0210');
    expect($(tray, '[data-testid=refusal-owner]').textContent).to.contain('Burner tab');
    button(lock, 'Acquire').click();
    await waitForText(lock, 'E_ACCESS_DENIED');

    api.releaseElsewhere();
    await waitForText(lock, 'nobody');
    expect(textOf(tray)).not.to.contain('E_IMAPI_RECORDER_LOCKED');
    await expect(el).to.be.accessible();
  });

  it('collects trace events and progress events', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    api.emit({ type: 'trace', entry: traceEntry(1, { name: 'GET CONFIGURATION', cdbHex: '46' }) });
    api.emit({ type: 'trace', entry: traceEntry(2, { name: 'READ TOC/PMA/ATIP', cdbHex: '43' }) });
    const trace = panel(el, 'wd-trace-log');
    await waitForText(trace, 'READ TOC/PMA/ATIP');
    expect(textOf(trace)).to.contain('2 of 2 commands');

    api.emit({
      type: 'progress',
      recorderId: 'virtual',
      progress: { action: 'Erasing (quick)', fraction: 0.5, elapsedMs: 1000, remainingMs: 1000 },
    });
    const progress = panel(el, 'wd-progress');
    await waitForText(progress, 'Erasing (quick)');
    button(progress, 'Cancel').click();
    await waitUntil(() => api.called('cancelOperation').length === 1);
    expect(api.called('cancelOperation')).to.deep.equal([['virtual']]);
    await waitForText(el, 'Cancelling…');

    api.failures.cancelOperation = {
      hresult: 0xc0aa0002 | 0,
      name: 'E_IMAPI_REQUEST_CANCELLED',
      message: 'Nothing to cancel.',
      sense: null,
    };
    api.emit({
      type: 'progress',
      recorderId: 'virtual',
      progress: { action: 'writing', fraction: 0.1, elapsedMs: 1000, remainingMs: 9000 },
    });
    await waitForText(progress, 'writing');
    button(progress, 'Cancel').click();
    await waitForText(progress, 'Nothing to cancel.');
  });

  it('explains SecurityError and then NetworkError from "Connect a USB drive", never a stack', async () => {
    const api = new FakeApi();
    const { usb } = fakeUsb([
      new DOMException('Access denied.', 'SecurityError'),
      new DOMException('Unable to claim interface.', 'NetworkError'),
    ]);
    const el = await renderApp(api, usb);
    button(panel(el, 'wd-drive-list'), 'Connect a USB drive').click();
    await waitUntil(() => el.shadowRoot!.querySelector('wd-usb-notice'));
    const notice = panel(el, 'wd-usb-notice');
    await waitForText(notice, 'Isolated Web App');
    expect(textOf(notice)).to.contain('SecurityError');
    expect(textOf(notice)).not.to.match(/\bat .*:\d+:\d+/);
    await expect(el).to.be.accessible();

    button(panel(el, 'wd-drive-list'), 'Connect a USB drive').click();
    await waitForText(el, 'usb-storage/unbind');
    expect(textOf(el)).not.to.contain('Isolated Web App');
    button(panel(el, 'wd-usb-notice'), 'Dismiss').click();
    await waitUntil(() => !el.shadowRoot!.querySelector('wd-usb-notice'));
    expect(api.called('refreshUsbDevices')).to.have.length(0);
  });

  it('hands a granted drive to the worker, selects it, and explains a claim refused there', async () => {
    const api = new FakeApi();
    const device = { vendorId: 0x0e8d, productId: 0x1887, serialNumber: 'K1234' } as USBDevice;
    const { usb, fire } = fakeUsb([device]);
    const el = await renderApp(api, usb);
    api.recorders = [...api.recorders, usbSummary];
    api.failures.getInfo = {
      hresult: 0x80004005 | 0,
      name: 'E_FAIL',
      message: 'SecurityError: The requested interface implements a protected class.',
      sense: null,
    };
    button(panel(el, 'wd-drive-list'), 'Connect a USB drive').click();
    await waitUntil(() => api.called('getInfo').some((a) => a[0] === usbSummary.id));
    await waitForText(el, `Connected ${usbSummary.name}.`);
    await waitUntil(() => el.shadowRoot!.querySelector('wd-usb-notice'));
    expect(textOf(panel(el, 'wd-usb-notice'))).to.contain('Isolated Web App');
    expect(el.shadowRoot!.querySelector('select#media')).to.equal(null);

    // Unplugged: hot-plug asks the worker again; the drive is gone, back to the virtual recorder.
    api.recorders = api.recorders.filter((r) => r.kind === 'virtual');
    const before = api.called('refreshUsbDevices').length;
    fire('disconnect');
    await waitUntil(() => api.called('refreshUsbDevices').length > before);
    await waitUntil(() => el.recorders.selectedId === 'virtual');
    await waitForText(el, 'The selected drive went away');
  });

  it('shows "Update available" and reloads through the service worker', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    let reloaded = false;
    el.updateServiceWorker = () => Promise.resolve(void (reloaded = true));
    el.needRefresh = true;
    await el.updateComplete;
    const banner = panel(el, 'wd-update-banner');
    await waitForText(banner, 'Update available');
    button(banner, 'Reload').click();
    await waitUntil(() => reloaded);
    el.needRefresh = true;
    await el.updateComplete;
    button(banner, 'Later').click();
    await waitUntil(() => !el.needRefresh);
  });

  it('names a disc image the installed app was opened with', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    el.openedFiles = [{ name: 'backup.iso', size: 700_000_000 }];
    await waitForText(el, 'Opened disc image backup.iso (700 MB)');
  });

  it('is accessible in light and dark, with a disc and tracks loaded', async () => {
    const api = new FakeApi();
    api.media = dataCd;
    const el = await renderApp(api);
    api.emit({ type: 'trace', entry: traceEntry(1) });
    await waitForText(el, 'CD-ROM, complete');
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'dark' });
    await expect(el).to.be.accessible();
  });
});
