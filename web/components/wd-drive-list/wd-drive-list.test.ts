import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { VirtualDriveState } from '../../../contract/api.ts';
import {
  WdConnectUsbEvent,
  WdInsertImageEvent,
  WdInsertMediaEvent,
  WdSelectDriveEvent,
  WdVirtualEjectButtonEvent,
} from '../../lib/events.ts';
import { $, $$, button, nextEvent, textOf } from '../../test/helpers.ts';
import { usbSummary, virtualSummary } from '../../test/samples.ts';
import './wd-drive-list.ts';
import type { WdDriveList } from './wd-drive-list.ts';

const virtualState: VirtualDriveState = {
  media: 'DVD+R blank',
  mediaNames: ['none', 'CD-R blank', 'DVD+R blank'],
  trayOpen: false,
  prevent: false,
  persistentPrevent: false,
  mountedByOs: false,
  preventHistory: [],
};

function render(selectedId = 'virtual') {
  return fixture<WdDriveList>(html`
    <wd-drive-list
      .recorders=${[virtualSummary, usbSummary]}
      selected-id=${selectedId}
      usb-supported
      .virtualState=${virtualState}
    ></wd-drive-list>
  `);
}

describe('wd-drive-list', () => {
  it('lists the drives as a radio group with the selected one checked', async () => {
    const el = await render();
    const radios = $$<HTMLInputElement>(el, 'input[type=radio]');
    expect(radios.map((r) => r.value)).to.deep.equal(['virtual', usbSummary.id]);
    expect(radios[0]!.checked).to.equal(true);
    expect(textOf(el)).to.contain('Virtual recorder');
    expect(textOf(el)).to.contain('USB 0E8D:1887 · serial K1234');
    await expect(el).to.be.accessible();
  });

  it('selects another drive with the arrow keys', async () => {
    const el = await render();
    $$<HTMLInputElement>(el, 'input[type=radio]')[0]!.focus();
    const event = nextEvent<WdSelectDriveEvent>(el, WdSelectDriveEvent.type);
    await sendKeys({ press: 'ArrowDown' });
    expect((await event).recorderId).to.equal(usbSummary.id);
  });

  it('asks to connect a USB drive', async () => {
    const el = await render();
    const event = nextEvent(el, WdConnectUsbEvent.type);
    button(el, 'Connect a USB drive').click();
    expect(await event).to.be.instanceOf(WdConnectUsbEvent);
  });

  it('offers the virtual recorder media by name and inserts the one picked', async () => {
    const el = await render();
    const select = $<HTMLSelectElement>(el, 'select#media');
    expect([...select.options].map((o) => o.value)).to.deep.equal(virtualState.mediaNames);
    expect(select.value).to.equal('DVD+R blank');
    expect($(el, '[data-testid=virtual-media]').textContent).to.contain('DVD+R blank');
    select.value = 'CD-R blank';
    select.dispatchEvent(new Event('change'));
    const event = nextEvent<WdInsertMediaEvent>(el, WdInsertMediaEvent.type);
    button(el, 'Insert').click();
    expect((await event).mediaName).to.equal('CD-R blank');
    const eject = nextEvent(el, WdVirtualEjectButtonEvent.type);
    button(el, "Press the drive's eject button").click();
    expect(await eject).to.be.instanceOf(WdVirtualEjectButtonEvent);
  });

  it('inserts an image picked from a file as a disc', async () => {
    const el = await render();
    const input = $<HTMLInputElement>(el, 'input#image-input');
    // The button opens the picker: the hidden input is what it clicks.
    let opened = false;
    input.addEventListener('click', (e) => {
      opened = true;
      e.preventDefault();
    });
    $<HTMLButtonElement>(el, '[data-testid=insert-image]').click();
    expect(opened).to.equal(true);
    const file = new File([new Uint8Array(4096)], 'old-backup.iso');
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    const event = nextEvent<WdInsertImageEvent>(el, WdInsertImageEvent.type);
    input.dispatchEvent(new Event('change'));
    expect((await event).image.name).to.equal('old-backup.iso');
    // Cleared, so the same file picked again is a change again.
    expect(input.value).to.equal('');
  });

  it('hides the media picker for a USB drive and explains a missing WebUSB', async () => {
    const el = await render(usbSummary.id);
    expect(el.shadowRoot!.querySelector('select')).to.equal(null);
    el.usbSupported = false;
    await el.updateComplete;
    expect(button(el, 'Connect a USB drive').disabled).to.equal(true);
    expect(textOf(el)).to.contain('This browser has no WebUSB');
    await expect(el).to.be.accessible();
  });
});
