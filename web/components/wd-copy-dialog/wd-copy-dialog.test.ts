import { expect, fixture, html } from '@open-wc/testing';
import { WdCloseDialogEvent } from '../../lib/events.ts';
import { $, $$, button, nextEvent, textOf } from '../../test/helpers.ts';
import { dataCd, usbSummary, virtualSummary } from '../../test/samples.ts';
import './wd-copy-dialog.ts';
import { WdCopyDiscEvent, type WdCopyDialog } from './wd-copy-dialog.ts';

async function openCopy() {
  const el = await fixture<WdCopyDialog>(
    html`<wd-copy-dialog
      recorder-id="virtual"
      drive-name="Virtual recorder"
      .media=${dataCd}
      .recorders=${[virtualSummary, usbSummary]}
    ></wd-copy-dialog>`,
  );
  el.open = true;
  await el.updateComplete;
  return el;
}

describe('wd-copy-dialog', () => {
  it('copies with this drive by default', async () => {
    const el = await openCopy();
    const labels = $$(el, 'label.check').map((l) => l.textContent!.replace(/\s+/g, ' ').trim());
    expect(labels[0]).to.match(/^A blank disc in this drive/);
    expect(labels[1]).to.match(/^The blank disc in ASUS SDRW-08U9M-U/);
    expect(labels).to.have.length(2);
    await expect(el).to.be.accessible();
    const event = nextEvent<WdCopyDiscEvent>(el, WdCopyDiscEvent.type);
    button(el, 'Copy').click();
    expect(await event).to.include({ recorderId: 'virtual', toId: null, verify: true });
  });

  it('copies onto another drive, verified unless unticked', async () => {
    const el = await openCopy();
    $<HTMLInputElement>(el, `input[name=to][value="${usbSummary.id}"]`).click();
    await el.updateComplete;
    expect(textOf(el)).to.contain('Verify the copy');
    $<HTMLInputElement>(el, '#verify').click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const event = nextEvent<WdCopyDiscEvent>(el, WdCopyDiscEvent.type);
    button(el, 'Copy').click();
    expect(await event).to.include({ recorderId: 'virtual', toId: usbSummary.id, verify: false });
  });

  it('closes with Cancel', async () => {
    const el = await openCopy();
    const close = nextEvent<WdCloseDialogEvent>(el, WdCloseDialogEvent.type);
    button(el, 'Cancel').click();
    expect((await close).dialog).to.equal('copy');
  });
});
