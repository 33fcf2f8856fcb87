import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { MediaState, RecorderInfo } from '../../../contract/api.ts';
import { WdBurnEvent, WdCloseDialogEvent } from '../../lib/events.ts';
import { $, $$, button, chooseFile, nextEvent, textAt, textOf } from '../../test/helpers.ts';
import {
  blankCdR,
  blankCdRw,
  blankDvd,
  dataCd,
  freeLock,
  infoWith,
  lockHeldBy,
  sampleInfo,
  usedCdRw,
  usedDvdPlusRw,
} from '../../test/samples.ts';
import './wd-burn-dialog.ts';
import type { WdBurnDialog } from './wd-burn-dialog.ts';

const cdInfo = infoWith({ testWrite: true, writeSpeedsKBps: [8467, 4234, 1411] });

async function openDialog(
  media: MediaState = blankCdR,
  info: RecorderInfo = cdInfo,
  file: File | null = null,
) {
  return fixture<WdBurnDialog>(
    html`<wd-burn-dialog
      open
      recorder-id="virtual"
      drive-name="Virtual recorder (WEBDISC Virtual BD-RE)"
      .media=${media}
      .info=${info}
      .lock=${freeLock}
      .file=${file}
    ></wd-burn-dialog>`,
  );
}

async function pick(el: WdBurnDialog, file: File) {
  chooseFile($<HTMLInputElement>(el, 'input[type=file]'), file);
  await el.updateComplete;
}

const image = (bytes: number, name = 'backup.iso') => new File([new Uint8Array(bytes)], name);

describe('wd-burn-dialog', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('names the drive and the medium, takes a picked .iso, and says it fits', async () => {
    const el = await openDialog();
    expect($<HTMLDialogElement>(el, 'dialog').matches(':modal')).to.equal(true);
    expect(textAt(el, '[data-testid=burn-drive]')).to.contain('Virtual recorder');
    expect(textAt(el, '[data-testid=burn-medium]')).to.equal('CD-R, blank');
    expect(textAt(el, '[data-testid=burn-free]')).to.equal(
      '737 MB of 737 MB (359,847 of 359,847 sectors)',
    );
    expect(textAt(el, '[data-testid=burn-where]')).to.contain('Writing starts at LBA 0');
    expect(button(el, 'Review…').disabled).to.equal(true);
    await expect(el).to.be.accessible();

    await pick(el, image(3 * 2048 + 5));
    expect(textAt(el, '[data-testid=image-name]')).to.equal('backup.iso');
    expect(textAt(el, '[data-testid=image-size]')).to.equal('6.15 kB (6,149 bytes, 4 sectors)');
    expect(textAt(el, '[data-testid=fit]')).to.equal('Fits: 4 of 359,847 free sectors.');
    expect(textOf(el)).to.contain('the last sector is padded with zeros');
    expect(button(el, 'Review…').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('warns before burning a file with no ISO 9660 or UDF file system, and not for an ISO (issue 19, defect 1)', async () => {
    const el = await openDialog();
    await pick(el, image(40 * 2048, 'notes.bin'));
    // The file's head is read asynchronously: wait for the warning.
    for (let i = 0; i < 50 && !el.shadowRoot!.querySelector('[data-testid=not-an-image]'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(textAt(el, '[data-testid=not-an-image]')).to.contain('no ISO 9660 or UDF file system');
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=not-an-image]')).to.contain('raw data');

    // An ISO 9660 image: a primary volume descriptor ("CD001") at sector 16.
    const iso = new Uint8Array(40 * 2048);
    iso.set([1, 0x43, 0x44, 0x30, 0x30, 0x31, 1], 16 * 2048);
    const el2 = await openDialog();
    await pick(el2, new File([iso], 'disc.iso'));
    await new Promise((r) => setTimeout(r, 100));
    await el2.updateComplete;
    expect(el2.shadowRoot!.querySelector('[data-testid=not-an-image]')).to.equal(null);
    expect(textAt(el2, '[data-testid=fit]')).to.contain('Fits');
  });

  it('fits by exact sector arithmetic: ceil(bytes / 2048) <= free blocks', async () => {
    const el = await openDialog({ ...blankCdR, freeBlocks: 10 }, cdInfo, image(10 * 2048));
    expect(textAt(el, '[data-testid=fit]')).to.equal('Fits: 10 of 10 free sectors.');
    expect(button(el, 'Review…').disabled).to.equal(false);

    el.file = image(10 * 2048 + 1);
    await el.updateComplete;
    expect(textAt(el, '[data-testid=fit]')).to.equal(
      'Does not fit: it needs 11 sectors; the disc has 10 free.',
    );
    expect($(el, '[data-testid=fit]').className).to.contain('bad');
    expect(button(el, 'Review…').disabled).to.equal(true);
    expect(textAt(el, '[data-testid=burn-blocker]')).to.equal(
      'The image does not fit on the disc.',
    );

    el.file = image(0, 'empty.iso');
    await el.updateComplete;
    expect(button(el, 'Review…').disabled).to.equal(true);
    expect(textAt(el, '[data-testid=burn-blocker]')).to.equal('The image is empty.');
  });

  it('counts free space from the next writable address of an appendable disc', async () => {
    const appendable: MediaState = {
      ...blankCdR,
      status: 'appendable',
      sessions: 1,
      nextWritableAddress: 11_550,
      freeBlocks: 348_297,
    };
    const el = await openDialog(appendable, cdInfo, image(2048));
    expect(textAt(el, '[data-testid=burn-where]')).to.equal(
      'Writing starts at LBA 11,550; 348,297 sectors are free from there.',
    );
    // Session-at-once needs a blank CD: an appendable one offers no write mode.
    expect(el.shadowRoot!.querySelector('input[name=write-type]')).to.equal(null);
  });

  it("offers the disc's own speeds in × of its 1×, not the ones of the disc read before (issue 19)", async () => {
    // The info was read with a CD-R in; the DVD+R in the drive now brought its speeds.
    const dvd: MediaState = { ...blankDvd, writeSpeedsKBps: [22_160, 11_080, 5_540] };
    const el = await openDialog(dvd, cdInfo, image(5 * 2048));
    const speeds = $$<HTMLOptionElement>(el, '#speed option').map((o) => o.textContent!.trim());
    expect(speeds).to.deep.equal([
      'Maximum',
      '16× (22,160 kB/s)',
      '8× (11,080 kB/s)',
      '4× (5,540 kB/s)',
    ]);
    expect(textAt(el, '#speed-help')).to.equal(
      'The speeds the drive reports for this DVD+R; 1× for a DVD+R is 1,385 kB/s.',
    );
    const select = $<HTMLSelectElement>(el, '#speed');
    select.value = '5540';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.options.speedKBps).to.equal(5540);
    // Another disc: a speed it does not offer is not sent; the choice is the maximum again.
    el.media = { ...blankCdR, writeSpeedsKBps: [8467, 1411] };
    await el.updateComplete;
    expect(el.speed).to.equal('max');
    expect(el.options.speedKBps).to.equal(undefined);
    expect(textAt(el, '#speed-help')).to.equal(
      'The speeds the drive reports for this CD-R; 1× for a CD-R is 150 KiB/s of data (176.4 kB/s as the drive counts).',
    );
  });

  it("keeps the CD layout's speed select one line high beside the write mode (issue 19)", async () => {
    await setViewport({ width: 1000, height: 900 });
    try {
      const el = await openDialog(blankCdR, cdInfo, image(5 * 2048));
      expect($$(el, 'input[name=write-type]')).to.have.length(2);
      const select = $<HTMLSelectElement>(el, '#speed').getBoundingClientRect();
      const label = $<HTMLElement>(el, 'label[for=speed]').getBoundingClientRect();
      const modes = $<HTMLElement>(el, 'input[name=write-type]')
        .closest('fieldset')!
        .getBoundingClientRect();
      expect(modes.top, 'the speed sits beside the write modes').to.be.closeTo(label.top, 24);
      expect(modes.height, 'the write modes are taller').to.be.greaterThan(select.height * 2);
      // One line of text high (the theme's 2.5rem minimum), right under its label.
      expect(select.height).to.be.lessThan(48);
      expect(select.top - label.bottom).to.be.lessThan(8);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('offers the options the drive and the medium allow, and sends exactly those', async () => {
    const el = await openDialog(blankCdR, cdInfo, image(5 * 2048));
    const speeds = $$<HTMLOptionElement>(el, '#speed option').map((o) => o.textContent!.trim());
    expect(speeds).to.deep.equal([
      'Maximum',
      '48× (8,467 kB/s)',
      '24× (4,234 kB/s)',
      '8× (1,411 kB/s)',
    ]);
    const simulate = $<HTMLInputElement>(el, 'input[type=checkbox]');
    expect(simulate.disabled).to.equal(false);
    expect($$(el, 'input[name=write-type]')).to.have.length(2);

    $<HTMLInputElement>(el, 'input[name=verify][value=full]').click();
    $<HTMLInputElement>(el, 'input[name=close][value=close]').click();
    $<HTMLInputElement>(el, 'input[name=write-type][value=sao]').click();
    const select = $<HTMLSelectElement>(el, '#speed');
    select.value = '4234';
    select.dispatchEvent(new Event('change'));
    simulate.click();
    const name = $<HTMLInputElement>(el, '#client-name');
    name.value = 'Nightly Backup';
    name.dispatchEvent(new Event('input'));
    await el.updateComplete;

    button(el, 'Review…').click();
    await el.updateComplete;
    const summary = textAt(el, '[data-testid=burn-summary]');
    expect(summary).to.contain('backup.iso (10.2 kB, 5 sectors)');
    expect(summary).to.contain('LBA 0 to 4');
    expect(summary).to.contain('24× (4,234 kB/s)');
    expect(summary).to.contain('session-at-once (SAO)');
    expect(summary).to.contain('none (test write)');
    expect(textAt(el, '[data-testid=burn-warning]')).to.contain('laser off');
    expect(el.shadowRoot!.activeElement?.id).to.equal('confirm-title');
    await expect(el).to.be.accessible();

    const event = nextEvent<WdBurnEvent>(el, WdBurnEvent.type);
    button(el, 'Start test write').click();
    const e = await event;
    expect(e.recorderId).to.equal('virtual');
    expect(e.file.name).to.equal('backup.iso');
    expect(e.options).to.deep.equal({
      clientName: 'Nightly Backup',
      verify: 'full',
      close: true,
      speedKBps: 4234,
      simulate: true,
      writeType: 'sao',
    });
  });

  it('burns with the defaults: quick verify, appendable, maximum speed, track at once', async () => {
    const el = await openDialog(blankCdR, cdInfo, image(2048));
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=burn-warning]')).to.equal(
      'Writing to a CD-R cannot be undone: the sectors it uses are used for good.',
    );
    const event = nextEvent<WdBurnEvent>(el, WdBurnEvent.type);
    button(el, 'Burn').click();
    expect((await event).options).to.deep.equal({
      clientName: 'webdisc',
      verify: 'quick',
      close: false,
      writeType: 'tao',
    });
  });

  it('has no test write for DVD+R, nor on a drive without it, and says why', async () => {
    const el = await openDialog(blankDvd, cdInfo, image(2048));
    const simulate = $<HTMLInputElement>(el, 'input[type=checkbox]');
    expect(simulate.disabled).to.equal(true);
    expect(textAt(el, '#simulate-help')).to.equal(
      'Not available for DVD+R: only CD-R/RW and DVD-R/RW have it.',
    );
    expect(el.shadowRoot!.querySelector('input[name=write-type]')).to.equal(null);
    el.media = blankCdR;
    el.info = infoWith({ testWrite: false });
    await el.updateComplete;
    expect(simulate.disabled).to.equal(true);
    expect(textAt(el, '#simulate-help')).to.equal('This drive does not offer test write.');
    await expect(el).to.be.accessible();
  });

  it('writes a DVD+RW in place: no close choice, and warns that data is overwritten', async () => {
    const el = await openDialog(usedDvdPlusRw, sampleInfo(), image(4 * 2048));
    expect(el.shadowRoot!.querySelector('input[name=close]')).to.equal(null);
    expect(textOf(el)).to.contain('A DVD+RW stays rewritable: the image is written in place');
    expect(textAt(el, '[data-testid=fit]')).to.equal('Fits: 4 of 2,295,104 free sectors.');
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=burn-warning]')).to.equal(
      'Everything on the DVD+RW from LBA 0 to 3 is overwritten. This cannot be undone.',
    );
    const event = nextEvent<WdBurnEvent>(el, WdBurnEvent.type);
    button(el, 'Burn').click();
    expect((await event).options).to.deep.equal({ clientName: 'webdisc', verify: 'quick' });
  });

  for (const [name, media, words] of [
    [
      'a closed CD-RW',
      usedCdRw,
      'The CD-RW is closed: nothing more can be written to it until it is erased.',
    ],
    ['a CD-ROM', dataCd, 'A CD-ROM cannot be written.'],
  ] as const) {
    it(`refuses ${name} up front`, async () => {
      const el = await openDialog(media, cdInfo, image(2048));
      expect(textAt(el, '[data-testid=burn-refusal]')).to.contain(words);
      expect(button(el, 'Review…').disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });
  }

  it('waits while another session holds the drive', async () => {
    const el = await openDialog(blankCdR, cdInfo, image(2048));
    el.lock = lockHeldBy('Burner tab', 1, false);
    await el.updateComplete;
    expect(textAt(el, '[data-testid=held-elsewhere]')).to.contain('Burner tab holds this drive');
    expect(button(el, 'Review…').disabled).to.equal(true);
  });

  it('checks the client name before the summary', async () => {
    const el = await openDialog(blankCdR, cdInfo, image(2048));
    const name = $<HTMLInputElement>(el, '#client-name');
    name.value = '';
    name.dispatchEvent(new Event('input'));
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=client-name-error]')).to.equal(
      'Enter a client name (1 to 63 characters).',
    );
    expect(el.shadowRoot!.querySelector('[data-testid=burn-summary]')).to.equal(null);
  });

  it('takes a file dropped on it, and goes back to the options when the disc changes', async () => {
    const el = await openDialog(blankCdR, cdInfo, image(2048));
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-testid=burn-summary]')).not.to.equal(null);
    // The same disc again (a repeated media event) keeps the summary.
    el.media = { ...blankCdR };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-testid=burn-summary]')).not.to.equal(null);
    el.media = { ...blankCdR, freeBlocks: 1 };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-testid=burn-summary]')).to.equal(null);

    const dt = new DataTransfer();
    dt.items.add(image(3 * 2048, 'dropped.iso'));
    const drop = new DragEvent('drop', {
      dataTransfer: dt,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    $(el, '.drop').dispatchEvent(drop);
    await el.updateComplete;
    expect(drop.defaultPrevented).to.equal(true);
    expect(textAt(el, '[data-testid=image-name]')).to.equal('dropped.iso');
  });

  it('asks to close on Cancel and Back returns to the options', async () => {
    const el = await openDialog(blankCdR, cdInfo, image(2048));
    button(el, 'Review…').click();
    await el.updateComplete;
    button(el, 'Back').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#image')).not.to.equal(null);
    const closed = nextEvent<WdCloseDialogEvent>(el, WdCloseDialogEvent.type);
    button(el, 'Cancel').click();
    expect((await closed).dialog).to.equal('burn');
  });

  it('is accessible in dark mode, options and summary', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await openDialog(blankCdR, cdInfo, image(2048));
    await expect(el).to.be.accessible();
    button(el, 'Review…').click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('warns in words that fit the medium: a closed CD-RW can be erased, a closed CD-R cannot', async () => {
    const el = await openDialog(blankCdRw, cdInfo, image(4 * 2048));
    $<HTMLInputElement>(el, 'input[name=close][value=close]').click();
    await el.updateComplete;
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=burn-warning]')).to.equal(
      'Writing uses LBA 0 to 3 of the CD-RW; they stay used until the disc is erased. After closing, nothing more can be added until it is erased.',
    );
    el.media = blankCdR;
    await el.updateComplete;
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=burn-warning]')).to.equal(
      'Writing to a CD-R cannot be undone: the sectors it uses are used for good. After closing, nothing more can be added.',
    );
  });
});
