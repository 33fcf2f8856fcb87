import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import * as Comlink from 'comlink';
import type { UsbLike } from '../../controllers/usb.ts';
import { FakeApi } from '../../test/fake-api.ts';
import type { BurnSource } from '../../../contract/api.ts';
import { HRESULT } from '../../../contract/hresult.ts';
import { DialogName, WdOpenDialogEvent } from '../../lib/events.ts';
import { $, $$, button, chooseFile, textAt, textOf, waitForText } from '../../test/helpers.ts';
import {
  blankCdR,
  blankDvd,
  dataCd,
  infoWith,
  traceEntry,
  usbSummary,
  usedCdRw,
  verificationFailure,
} from '../../test/samples.ts';
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

/** What the USB notice explains: 'security', 'network', 'unavailable', or null when it is empty. */
function usbNoticeKind(app: WdApp): string | null {
  const notice = panel(app, 'wd-usb-notice');
  return (
    notice.shadowRoot?.querySelector<HTMLElement>('[data-testid=usb-explanation]')?.dataset[
      'kind'
    ] ?? null
  );
}

describe('wd-app', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('shows a worker failure as an alert, not a stack trace', async () => {
    const api = new FakeApi();
    api.failures.listRecorders = new Error('worker died\n    at x (w.js:1:1)');
    const el = await fixture<WdApp>(html`<wd-app .source=${api}></wd-app>`);
    await waitUntil(() => el.shadowRoot?.querySelector('[role=alert]'), 'no alert');
    const alert = el.shadowRoot!.querySelector('[role=alert]')!.textContent!;
    expect(alert).to.contain('worker died');
    expect(alert).not.to.contain('w.js');
  });

  it('does not call an error the service answered with a worker failure', async () => {
    const api = new FakeApi();
    api.failures.listRecorders = {
      hresult: HRESULT.E_FAIL | 0,
      name: 'E_FAIL',
      message: 'getDevices failed',
      sense: null,
    };
    const el = await renderApp(api);
    await waitForText(panel(el, 'wd-drive-list'), 'getDevices failed');
    expect(textOf(el)).not.to.contain('Worker failed');
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
    await waitForText(panel(el, 'wd-home'), 'CD-ROM with 512 MB of data (read-only).');
    expect(textOf(panel(el, 'wd-media-panel'))).to.contain('CD-ROM, complete');
    expect(api.called('virtualInsertMedia')).to.deep.equal([['CD-ROM data']]);
    expect($(list, '[data-testid=virtual-media]').textContent).to.contain('CD-ROM data');

    api.emit({ type: 'media', recorderId: 'virtual', media: blankDvd });
    await waitForText(panel(el, 'wd-home'), 'Blank DVD+R, 4.70 GB free.');
    api.emit({ type: 'tray', recorderId: 'virtual', open: true });
    // The tray is open: the home offers Close tray instead of Eject.
    await waitUntil(() =>
      $$(panel(el, 'wd-home'), 'button').some((b) => b.textContent!.trim() === 'Close tray'),
    );
    expect(() => button(panel(el, 'wd-home'), 'Eject')).to.throw();
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
    const tray = panel(el, 'wd-home');
    await waitForText(tray, 'The drive is used by Burner tab . Jobs can start once it is free.');
    button(tray, 'Eject').click();
    await waitForText(tray, 'The tray did not move: The drive is used by Burner tab.');
    expect(textOf(tray)).to.contain('E_IMAPI_RECORDER_LOCKED 0xC0AA0210');
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
    // Nothing runs in this session (another tab's events, say): the worker's refusal shows.
    await waitForText(progress, 'No erase or burn is running on this recorder.');

    api.emit({
      type: 'progress',
      recorderId: 'virtual',
      progress: { action: 'writing', fraction: 0.1, elapsedMs: 1000, remainingMs: 9000 },
    });
    await waitForText(progress, 'Writing');
  });

  it('explains SecurityError and then NetworkError from "Connect a USB drive", never a stack', async () => {
    const api = new FakeApi();
    const { usb } = fakeUsb([
      new DOMException('Access denied.', 'SecurityError'),
      new DOMException('Unable to claim interface.', 'NetworkError'),
    ]);
    const el = await renderApp(api, usb);
    const notice = panel(el, 'wd-usb-notice');
    expect(usbNoticeKind(el)).to.equal(null);
    button(panel(el, 'wd-drive-list'), 'Connect a USB drive').click();
    await waitUntil(() => usbNoticeKind(el) === 'security', 'no SecurityError explanation');
    expect(textOf(notice)).to.contain('Chrome will not let this page use the drive');
    expect(textOf(notice)).to.contain('SecurityError');
    expect(textOf(notice)).to.contain('Isolated Web App');
    expect(textOf(notice)).not.to.match(/\bat .*:\d+:\d+/);
    await expect(el).to.be.accessible();

    button(panel(el, 'wd-drive-list'), 'Connect a USB drive').click();
    await waitUntil(() => usbNoticeKind(el) === 'network', 'no NetworkError explanation');
    expect(textOf(notice)).to.contain('Your operating system is using the drive');
    expect(textOf(notice)).to.contain('usb-storage/unbind');
    button(notice, 'Dismiss').click();
    await waitUntil(() => usbNoticeKind(el) === null);
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
    await waitUntil(() => usbNoticeKind(el) === 'security');
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
    expect(el.dialog).to.equal(null);
  });

  it('opens the burn dialog with an .iso the installed app was opened with (file_handlers)', async () => {
    const api = new FakeApi();
    api.media = blankCdR;
    const el = await renderApp(api);
    const file = new File([new Uint8Array(4096)], 'launched.iso');
    el.openedFiles = [{ name: file.name, size: file.size, file }];
    const dialog = panel(el, 'wd-burn-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open, 'the dialog did not open');
    expect(textAt(dialog, '[data-testid=image-name]')).to.equal('launched.iso');
    button(dialog, 'Cancel').click();
    await waitUntil(() => !$<HTMLDialogElement>(dialog, 'dialog').open);
    // The banner offers it again.
    $(el, 'button[aria-label="Burn launched.iso…"]').click();
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
  });

  it('opens the burn dialog with a file dropped anywhere on the app', async () => {
    const api = new FakeApi();
    api.media = blankCdR;
    const el = await renderApp(api);
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(2048)], 'dropped.iso'));
    const init = { dataTransfer: dt, bubbles: true, composed: true, cancelable: true };
    const target = $(panel(el, 'wd-media-panel'), 'h2');
    target.dispatchEvent(new DragEvent('dragenter', init));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.drop-hint')).not.to.equal(null);
    const over = new DragEvent('dragover', init);
    target.dispatchEvent(over);
    expect(over.defaultPrevented).to.equal(true);
    const drop = new DragEvent('drop', init);
    target.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.drop-hint')).to.equal(null);
    const dialog = panel(el, 'wd-burn-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    expect(textAt(dialog, '[data-testid=image-name]')).to.equal('dropped.iso');
    expect(textAt(dialog, '[data-testid=fit]')).to.equal('Fits: 1 of 359,847 free sectors.');
  });

  it('burns a picked image with full verification: progress, buttons waiting, the SHA-256, fresh media', async () => {
    const api = new FakeApi();
    api.media = blankCdR;
    api.info = { virtual: infoWith({ testWrite: true, writeSpeedsKBps: [8467] }) };
    api.hold = true;
    const el = await renderApp(api);
    const media = panel(el, 'wd-media-panel');
    await waitForText(media, 'CD-R, blank.');
    button(panel(el, 'wd-home'), 'Burn an image…').click();
    const dialog = panel(el, 'wd-burn-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    expect(textAt(dialog, '[data-testid=burn-drive]')).to.equal(
      'Virtual recorder (WEBDISC Virtual DVD-RW)',
    );
    const bytes = Uint8Array.from({ length: 5 * 2048 + 100 }, (_, i) => (i * 7) % 251);
    const file = new File([bytes], 'backup.iso');
    chooseFile($<HTMLInputElement>(dialog, 'input[type=file]'), file);
    await dialog.updateComplete;
    $<HTMLInputElement>(dialog, 'input[name=verify][value=full]').click();
    await dialog.updateComplete;
    button(dialog, 'Review…').click();
    await dialog.updateComplete;
    button(dialog, 'Burn').click();

    await waitUntil(() => api.running, 'the burn did not start');
    await waitUntil(() => !$<HTMLDialogElement>(dialog, 'dialog').open);
    const [id, source, options] = api.called('burnImage')[0]!;
    expect(id).to.equal('virtual');
    // The File itself goes to the worker (it structured-clones without copying the bytes).
    expect((source as BurnSource).kind).to.equal('blob');
    expect((source as { blob: Blob }).blob).to.equal(file);
    expect(options).to.deep.equal({
      clientName: 'webdisc',
      verify: 'full',
      close: false,
      writeType: 'tao',
    });

    const progress = panel(el, 'wd-progress');
    await waitForText(progress, 'Writing');
    expect(textAt(progress, '[data-testid=operation-title]')).to.equal(
      'Burning backup.iso (10.3 kB) to the CD-R',
    );
    expect(progress.shadowRoot!.activeElement?.id).to.equal('h');
    const tray = panel(el, 'wd-home');
    expect(button(tray, 'Eject').disabled).to.equal(true);
    // The operation log has the start: what, on which drive, which disc.
    const log = panel(el, 'wd-operation-log');
    await waitForText(log, 'Operation started: Burn!');
    expect(textOf(log)).to.contain('Drive: Virtual recorder');
    expect(textOf(log)).to.contain('Disc: Blank CD-R');
    expect(textOf(log)).to.contain('Source: backup.iso');
    // The burn holds the lock with its client name; Release waits until it ends.
    const lock = panel(el, 'wd-lock-panel');
    await waitForText(lock, 'webdisc (this tab)');
    expect(button(lock, 'Release').disabled).to.equal(true);
    expect(button(panel(el, 'wd-home'), 'Burn an image…').disabled).to.equal(true);
    await expect(el).to.be.accessible();

    const reads = api.called('getMedia').length;
    api.finish();
    await waitForText(progress, 'Burn completed');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const sha = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(textAt(progress, '[data-testid=result-sha256]')).to.equal(sha);
    expect(textAt(progress, '[data-testid=result-sectors]')).to.equal(
      '6 sectors (12.3 kB), LBA 0 to 5',
    );
    await waitUntil(() => api.called('getMedia').length > reads, 'media was not read again');
    await waitForText(media, 'CD-R, appendable');
    await waitForText(lock, 'nobody');
    expect(api.called('getLockState').length).to.be.greaterThan(1);
    expect(button(tray, 'Eject').disabled).to.equal(false);
    expect(button(panel(el, 'wd-home'), 'Burn an image…').disabled).to.equal(false);
    await waitForText(el, 'Burn of backup.iso completed: 6 sectors, verified (SHA-256 matches).');
    // …and the end: the result, the sectors, the checksum.
    await waitForText(log, 'Operation successfully completed!');
    expect(textOf(log)).to.contain(`Image SHA-256 (verified on the disc): ${sha}`);
    await expect(el).to.be.accessible();

    button(progress, 'Dismiss').click();
    await waitForText(progress, 'No operation is running.');
  });

  it('burns files and folders: the dialog plans on the worker, the Files go as {kind: files}', async () => {
    const api = new FakeApi();
    api.media = blankCdR;
    const el = await renderApp(api);
    const media = panel(el, 'wd-media-panel');
    await waitForText(media, 'CD-R, blank.');
    button(panel(el, 'wd-home'), 'Burn files…').click();
    const dialog = panel(el, 'wd-files-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    dialog.project.debounceMs = 0;
    const file = new File([new Uint8Array(3000)], 'photo.jpg');
    chooseFile($<HTMLInputElement>(dialog, '#add-files-input'), file);
    await waitUntil(() => dialog.project.plan !== null, 'no plan');
    await dialog.updateComplete;
    expect(textAt(dialog, '[data-testid=files-fit]')).to.equal('Fits: 22 of 359,847 free sectors.');
    $<HTMLInputElement>(dialog, 'input[name=verify][value=full]').click();
    await dialog.updateComplete;
    button(dialog, 'Review…').click();
    await dialog.updateComplete;
    button(dialog, 'Burn').click();

    const progress = panel(el, 'wd-progress');
    await waitForText(progress, 'Burn completed');
    await waitUntil(() => !$<HTMLDialogElement>(dialog, 'dialog').open);
    const [id, source, options] = api.called('burnImage')[0]!;
    expect(id).to.equal('virtual');
    const files = source as Extract<BurnSource, { kind: 'files' }>;
    expect(files.kind).to.equal('files');
    expect(files.root.children).to.have.length(1);
    const [first] = files.root.children;
    expect(first?.kind === 'file' && first.blob).to.equal(file);
    expect(files.image?.date).to.be.a('number');
    expect(options).to.deep.include({ verify: 'full' });
    await waitForText(el, 'Burn of 1 file completed: 22 sectors');
    await expect(el).to.be.accessible();
  });

  it('adds files to an appendable disc: the files dialog lists the disc, the burn goes with append', async () => {
    const api = new FakeApi();
    api.media = {
      ...blankCdR,
      status: 'appendable',
      sessions: 1,
      tracks: [{ number: 1, session: 1, start: 0, size: 1_000, mode: 'data' }],
      freeBlocks: 351_947,
      nextWritableAddress: 7_900,
    };
    const el = await renderApp(api);
    const media = panel(el, 'wd-media-panel');
    await waitForText(media, 'CD-R, appendable');
    button(panel(el, 'wd-home'), 'Add files to this disc…').click();
    const dialog = panel(el, 'wd-files-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    dialog.project.debounceMs = 0;
    dialog.session.debounceMs = 0;
    await waitUntil(() => dialog.session.entries, 'the disc was not read');
    await dialog.updateComplete;
    $<HTMLButtonElement>(dialog, 'button[aria-label="Remove readme.txt on the disc"]').click();
    chooseFile($<HTMLInputElement>(dialog, '#add-files-input'), new File(['x'], 'more.txt'));
    await waitUntil(
      () => dialog.session.plan?.edits.length === 2 && !dialog.session.planning,
      'no session plan',
    );
    await dialog.updateComplete;
    button(dialog, 'Review…').click();
    await dialog.updateComplete;
    button(dialog, 'Burn').click();
    await waitForText(panel(el, 'wd-progress'), 'Burn completed');
    await waitUntil(() => !$<HTMLDialogElement>(dialog, 'dialog').open);
    const [, source] = api.called('burnImage')[0]!;
    const files = source as Extract<BurnSource, { kind: 'files' }>;
    expect(files.append).to.deep.equal({ remove: ['/readme.txt'] });
    expect(files.root.children.map((c) => c.name)).to.deep.equal(['more.txt']);
    expect(api.called('planFileSession').length).to.be.greaterThan(0);
  });

  it('cancels a running burn: E_IMAPI_REQUEST_CANCELLED, where it stopped, the disc left', async () => {
    const api = new FakeApi();
    api.media = blankCdR;
    api.hold = true;
    const el = await renderApp(api);
    await waitForText(panel(el, 'wd-media-panel'), 'CD-R, blank.');
    el.openBurnDialog(new File([new Uint8Array(100 * 2048)], 'big.iso'));
    const dialog = panel(el, 'wd-burn-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    button(dialog, 'Review…').click();
    await dialog.updateComplete;
    button(dialog, 'Burn').click();
    const progress = panel(el, 'wd-progress');
    await waitForText(progress, 'Writing');
    expect(textAt(progress, '[data-testid=progress-lbas]')).to.equal('0 to 99; last written 49');
    button(progress, 'Cancel').click();
    await waitForText(progress, 'Burn cancelled');
    expect(textOf(progress)).to.contain('E_IMAPI_REQUEST_CANCELLED');
    expect(textOf(progress)).to.contain('0xC0AA0002');
    expect(textAt(progress, '[data-testid=result-last-lba]')).to.equal('49');
    expect(textAt(progress, '[data-testid=result-disc]')).to.contain('CD-R, appendable');
    await waitForText(el, 'Burn cancelled.');
    // A progress event that arrives after the result does not bring the live view back.
    api.emit({
      type: 'progress',
      recorderId: 'virtual',
      progress: { action: 'writing', fraction: 0.6, elapsedMs: 1, remainingMs: 1 },
    });
    await el.updateComplete;
    expect(progress.shadowRoot!.querySelector('progress')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a failed verification with the first bad LBA the worker reported', async () => {
    const api = new FakeApi();
    api.media = blankDvd;
    api.failures.burnImage = verificationFailure;
    const el = await renderApp(api);
    el.openBurnDialog(new File([new Uint8Array(2048)], 'bad.iso'));
    const dialog = panel(el, 'wd-burn-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    button(dialog, 'Review…').click();
    await dialog.updateComplete;
    button(dialog, 'Burn').click();
    const progress = panel(el, 'wd-progress');
    await waitForText(progress, 'Burn failed');
    expect(textAt(progress, '[data-testid=result-bad-lba]')).to.equal('1,234');
    expect(textAt(progress, '[data-testid=result-last-lba]')).to.equal('5,859');
    await waitForText(el, 'Burn failed: E_IMAPI_BURN_VERIFICATION_FAILED.');
  });

  it('erases a CD-RW after confirmation, and refuses a CD-R up front without calling the worker', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    const el = await renderApp(api);
    const media = panel(el, 'wd-media-panel');
    await waitForText(media, 'CD-RW, complete');
    button(panel(el, 'wd-home'), 'Erase…').click();
    const dialog = panel(el, 'wd-erase-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    expect(textAt(dialog, '[data-testid=erase-medium]')).to.equal('CD-RW, complete (closed)');
    await expect(el).to.be.accessible();
    button(dialog, 'Erase disc').click();
    const progress = panel(el, 'wd-progress');
    await waitForText(progress, 'Erase completed');
    expect(api.called('eraseMedia')).to.deep.equal([
      ['virtual', { clientName: 'webdisc', full: false }],
    ]);
    await waitForText(media, 'CD-RW, blank.');
    expect(textAt(progress, '[data-testid=result-disc]')).to.equal(
      'CD-RW, blank; 0 sessions; 737 MB free',
    );

    api.media = blankCdR;
    api.emit({ type: 'media', recorderId: 'virtual', media: blankCdR });
    await waitForText(media, 'CD-R, blank.');
    // A CD-R cannot be erased: the home does not offer it (the dialog would refuse it too).
    expect(() => button(panel(el, 'wd-home'), 'Erase…')).to.throw();
    el.dispatchEvent(new WdOpenDialogEvent('virtual', DialogName.Erase));
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    expect(textAt(dialog, '[data-testid=erase-refusal]')).to.contain('A CD-R cannot be erased');
    button(dialog, 'Close').click();
    await waitUntil(() => !$<HTMLDialogElement>(dialog, 'dialog').open);
    expect(api.called('eraseMedia')).to.have.length(1);
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

  it('explains the ways to a real drive when the browser has no WebUSB', async () => {
    const api = new FakeApi();
    const el = await fixture<WdApp>(html`<wd-app .usb=${undefined} .source=${api}></wd-app>`);
    await waitForText(el, 'WEBDISC');
    expect(usbNoticeKind(el)).to.equal('unavailable');
    expect(textOf(panel(el, 'wd-usb-notice'))).to.contain('npx webdisc');
  });

  it('puts the jobs first and the engineering panels in a closed Advanced area', async () => {
    const api = new FakeApi();
    const el = await renderApp(api);
    const home = panel(el, 'wd-home');
    await waitForText(home, 'Blank DVD+R, 4.70 GB free.');
    const advanced = $<HTMLDetailsElement>(el, 'details[data-testid=advanced]');
    expect(advanced.open).to.equal(false);
    for (const tag of ['wd-lock-panel', 'wd-drive-panel', 'wd-media-panel', 'wd-trace-log'])
      expect(advanced.querySelector(tag), tag).not.to.equal(null);
    expect(advanced.querySelector('wd-home')).to.equal(null);
    // The home comes before the drive list, so a phone shows the jobs first.
    const order = $$(el, 'wd-home, wd-drive-list, wd-operation-log').map((e) => e.localName);
    expect(order).to.deep.equal(['wd-home', 'wd-drive-list', 'wd-operation-log']);
    expect(button(home, 'Burn files…').classList.contains('primary')).to.equal(true);
  });

  it('writes a failed erase to the operation log in words, with the codes', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    api.failures.eraseMedia = {
      ...verificationFailure,
      hresult: HRESULT.E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED | 0,
      name: 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED',
      message: 'Write protected.',
      sense: { key: 7, asc: 0x27, ascq: 0 },
    };
    const el = await renderApp(api);
    await waitForText(panel(el, 'wd-home'), 'Finalized CD-RW');
    button(panel(el, 'wd-home'), 'Erase…').click();
    const dialog = panel(el, 'wd-erase-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    button(dialog, 'Erase disc').click();
    const log = panel(el, 'wd-operation-log');
    await waitForText(log, 'Operation failed!');
    const lines = $$(log, '[data-testid=log-lines] li').map((li) => li.textContent!.slice(11));
    expect(lines).to.deep.equal([
      'Operation started: Erase (quick)!',
      'Drive: Virtual recorder',
      'Disc: Finalized CD-RW with 10.2 MB of data',
      'Operation failed! - Duration: 00:00:00',
      'Reason: The disc is write-protected.',
      'Details: E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED 0xC0AA0209, sense 7/27/00 (Write protected.)',
      'Last sector written: LBA 5859',
      'First sector that differs: LBA 1234',
    ]);
  });
});
