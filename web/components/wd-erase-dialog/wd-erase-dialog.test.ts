import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { WdCloseDialogEvent, WdEraseEvent } from '../../lib/events.ts';
import { $, button, nextEvent, textAt, textOf } from '../../test/helpers.ts';
import {
  blankCdR,
  dataCd,
  freeLock,
  lockHeldBy,
  noDisc,
  usedCdRw,
  usedDvdPlusRw,
} from '../../test/samples.ts';
import './wd-erase-dialog.ts';
import type { WdEraseDialog } from './wd-erase-dialog.ts';

const dialogOf = (el: WdEraseDialog) => $<HTMLDialogElement>(el, 'dialog');

async function openDialog(media = usedCdRw, lock = freeLock) {
  return fixture<WdEraseDialog>(
    html`<wd-erase-dialog
      open
      recorder-id="virtual"
      drive-name="Virtual recorder (WEBDISC Virtual BD-RE)"
      .media=${media}
      .lock=${lock}
    ></wd-erase-dialog>`,
  );
}

describe('wd-erase-dialog', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('opens as a modal dialog naming the drive and the medium, and erases quick by default', async () => {
    const el = await openDialog();
    const d = dialogOf(el);
    expect(d.open).to.equal(true);
    expect(d.matches(':modal')).to.equal(true);
    expect($(el, 'h2').textContent).to.equal('Erase the CD-RW');
    expect($(el, '[data-testid=erase-drive]').textContent).to.contain('Virtual recorder');
    expect($(el, '[data-testid=erase-medium]').textContent!.trim()).to.equal(
      'CD-RW, complete (closed)',
    );
    expect(textAt(el, '[data-testid=erase-free]')).to.equal('0 B of 737 MB (0 of 359,847 sectors)');
    expect($(el, '[data-testid=erase-warning]').textContent).to.contain(
      'Everything on the CD-RW will be lost',
    );
    await expect(el).to.be.accessible();
    const event = nextEvent<WdEraseEvent>(el, WdEraseEvent.type);
    button(el, 'Erase disc').click();
    const e = await event;
    expect(e.recorderId).to.equal('virtual');
    expect(e.options).to.deep.equal({ clientName: 'webdisc', full: false });
  });

  it('asks for a full erase with the client name given', async () => {
    const el = await openDialog(usedDvdPlusRw);
    expect(textOf(el)).to.contain('Formats and certifies every sector');
    $<HTMLInputElement>(el, 'input[value=full]').click();
    const input = $<HTMLInputElement>(el, '#client-name');
    input.value = 'Nightly Backup';
    input.dispatchEvent(new Event('input'));
    const event = nextEvent<WdEraseEvent>(el, WdEraseEvent.type);
    button(el, 'Erase disc').click();
    expect((await event).options).to.deep.equal({ clientName: 'Nightly Backup', full: true });
  });

  for (const [name, media, words] of [
    ['a CD-R', blankCdR, 'A CD-R cannot be erased: only CD-RW, DVD-RW, DVD+RW and BD-RE can.'],
    ['a CD-ROM', dataCd, 'A CD-ROM cannot be erased'],
    ['an empty drive', noDisc, 'There is no disc in the drive.'],
  ] as const) {
    it(`refuses ${name} up front, with only Close`, async () => {
      const el = await openDialog(media);
      expect($(el, '[data-testid=erase-refusal]').textContent).to.contain(words);
      expect(el.shadowRoot!.querySelector('form')).to.equal(null);
      expect(() => button(el, 'Erase disc')).to.throw();
      await expect(el).to.be.accessible();
      const closed = nextEvent<WdCloseDialogEvent>(el, WdCloseDialogEvent.type);
      button(el, 'Close').click();
      expect((await closed).dialog).to.equal('erase');
    });
  }

  it('checks the client name like the lock panel and sends nothing until it is valid', async () => {
    const el = await openDialog();
    const input = $<HTMLInputElement>(el, '#client-name');
    input.value = 'Bad/name';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    let sent = false;
    el.addEventListener(WdEraseEvent.type, () => (sent = true));
    button(el, 'Erase disc').click();
    await el.updateComplete;
    expect($(el, '[data-testid=client-name-error]').textContent).to.contain('Not allowed: “/”');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement).to.equal(input);
    expect(sent).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('says who holds the drive and waits while another session owns it or an operation runs', async () => {
    const el = await openDialog(usedCdRw, lockHeldBy('Burner tab', 1, false));
    expect($(el, '[data-testid=held-elsewhere]').textContent).to.contain('Burner tab');
    expect(button(el, 'Erase disc').disabled).to.equal(true);
    el.lock = freeLock;
    el.busy = true;
    await el.updateComplete;
    expect($(el, '[data-testid=erase-busy]').textContent).to.contain('running');
    expect(button(el, 'Erase disc').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('asks to close on Escape and on Cancel, and closes when the shell says so', async () => {
    const el = await openDialog();
    const escaped = nextEvent<WdCloseDialogEvent>(el, WdCloseDialogEvent.type);
    $<HTMLInputElement>(el, '#client-name').focus();
    await sendKeys({ press: 'Escape' });
    expect((await escaped).dialog).to.equal('erase');
    el.open = false;
    await el.updateComplete;
    expect(dialogOf(el).open).to.equal(false);

    el.open = true;
    await el.updateComplete;
    await waitUntil(() => dialogOf(el).open);
    const cancelled = nextEvent<WdCloseDialogEvent>(el, WdCloseDialogEvent.type);
    button(el, 'Cancel').click();
    expect((await cancelled).dialog).to.equal('erase');
  });

  it('is accessible in dark mode', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await openDialog();
    await expect(el).to.be.accessible();
  });
});
