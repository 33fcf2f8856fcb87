/**
 * The shell with issue 17's jobs (from disc to files): the home's
 * Save, Browse and Verify buttons (only for a disc with data), the save as
 * an operation in the progress panel (reading facts, Cancel, the hashes,
 * the unreadable sectors and the rescue map), and the dialogs' worker calls.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OpfsFileLike } from '../../lib/save-disc.ts';
import { FakeApi } from '../../test/fake-api.ts';
import { $, button, textAt, textOf, waitForText } from '../../test/helpers.ts';
import { blankCdR, usbSummary, usedCdRw, virtualSummary } from '../../test/samples.ts';
import './wd-app.ts';
import type { WdApp } from './wd-app.ts';

async function renderApp(api: FakeApi) {
  const el = await fixture<WdApp>(html`<wd-app .source=${api}></wd-app>`);
  await waitForText(el, 'WEBDISC');
  return el;
}

function memoryFile(): OpfsFileLike & { size: () => number } {
  let bytes = new Uint8Array(0);
  return {
    size: () => bytes.length,
    createWritable: async () => ({
      async write({ position, data }) {
        const next = new Uint8Array(Math.max(bytes.length, position + data.length));
        next.set(bytes);
        next.set(data, position);
        bytes = next;
      },
      truncate: async (n) => void (bytes = bytes.slice(0, n)),
      close: async () => {},
      abort: async () => {},
    }),
    getFile: async () => new Blob([bytes as Uint8Array<ArrayBuffer>]),
  };
}

/**
 * The home's "Save disc as image…", its dialog open with the label's file
 * name, the picker answering with a file in memory; `before` sets options
 * first. The dialog is submitted; the picked file is returned.
 */
async function startSave(
  el: WdApp,
  before: (dialog: HTMLElementTagNameMap['wd-save-dialog']) => Promise<void> = async () => {},
) {
  button($(el, 'wd-home'), 'Save disc as image…').click();
  const dialog = $(el, 'wd-save-dialog') as HTMLElementTagNameMap['wd-save-dialog'];
  await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
  await waitUntil(() => $<HTMLInputElement>(dialog, '#file-name').value === 'SOMMER.iso');
  const file = memoryFile();
  dialog.env = { showSaveFilePicker: async () => file, download: () => {} };
  await before(dialog);
  button(dialog, 'Save…').click();
  return file;
}

const readButtons = ['Save disc as image…', 'Browse files…', 'Verify…', 'Copy disc…'];

describe('wd-app: from disc to files', () => {
  it('offers save, browse and verify only for a disc with data', async () => {
    const api = new FakeApi();
    api.media = blankCdR;
    const el = await renderApp(api);
    const home = $(el, 'wd-home');
    await waitForText(home, 'Blank CD-R');
    // A blank disc has nothing to read: the home does not offer those jobs.
    for (const b of readButtons) expect(() => button(home, b), b).to.throw();
    api.media = usedCdRw;
    api.emit({ type: 'media', recorderId: 'virtual', media: usedCdRw });
    await waitForText(home, 'Finalized CD-RW');
    for (const b of readButtons) expect(button(home, b).disabled, b).to.equal(false);
  });

  it('saves the disc: reading progress, then the hashes and the unreadable sectors with the map', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    api.hold = true;
    api.badSectors = 2;
    const el = await renderApp(api);
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    const file = await startSave(el, async (dialog) => {
      $<HTMLInputElement>(dialog, '#continue').click();
      await dialog.updateComplete;
    });

    const progress = $(el, 'wd-progress') as HTMLElementTagNameMap['wd-progress'];
    await waitForText(progress, 'Reading the disc');
    expect(textAt(progress, '[data-testid=progress-position]')).to.equal('LBA 150 of 299');
    expect(textAt(progress, '[data-testid=progress-speed]')).to.equal('4.5 MB/s');
    expect(textAt(progress, '[data-testid=progress-bad]')).to.equal('2 sectors so far');
    expect(button(home, 'Save disc as image…').disabled).to.equal(true);
    expect(api.called('saveDiscToFile')[0]![2]).to.deep.equal({ continuePastErrors: true });
    await expect(el).to.be.accessible();
    api.finish();

    await waitForText(progress, 'Save completed with unreadable sectors');
    expect(file.size()).to.equal(300 * 2048);
    expect(textAt(progress, '[data-testid=result-sha256]')).to.equal('cd'.repeat(32));
    expect(textAt(progress, '[data-testid=result-md5]')).to.equal('ef'.repeat(16));
    expect(textAt(progress, '[data-testid=result-file]')).to.equal('SOMMER.iso');
    expect(textAt(progress, '[data-testid=result-bad]')).to.equal(
      '2 sectors, zero-filled in the image: LBA 100–101',
    );
    const maps: string[] = [];
    progress.downloadMap = (text, name) => maps.push(`${name}: ${text.split('\n')[0]}`);
    button(progress, 'Download the rescue map (SOMMER.iso.map)').click();
    expect(maps).to.deep.equal(['SOMMER.iso.map: # Mapfile. Created by webdisc']);
    await waitForText(el, 'Saved SOMMER.iso: 300 sectors, 2 unreadable (zero-filled).');
    await expect(el).to.be.accessible();
  });

  it('a save stopped by an unreadable sector resumes into the same file; Dismiss gives a waiting save up', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    api.saveStopsAt = 120;
    const el = await renderApp(api);
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    const file = await startSave(el);
    const progress = $(el, 'wd-progress') as HTMLElementTagNameMap['wd-progress'];
    await waitForText(progress, 'Save failed');
    expect(textAt(progress, '[data-testid=result-resumable]')).to.equal(
      '120 of 300 sectors are read and kept; SOMMER.iso is not written until the save ends. Resume reads only the rest (the same disc must be in the drive); Dismiss gives the save up.',
    );
    expect(file.size()).to.equal(0);
    await expect(el).to.be.accessible();
    button(progress, 'Resume past unreadable sectors').click();
    await waitForText(progress, 'Save completed with unreadable sectors');
    const [, token, changes] = api.called('resumeSaveToFile')[0]!;
    expect(String(token)).to.match(/^save-\d+$/);
    expect(changes).to.deep.equal({ continuePastErrors: true });
    expect(file.size()).to.equal(300 * 2048);
    expect(textOf(progress)).to.contain('Resuming the save of');
    expect(api.called('discardSave')).to.have.length(0);

    // Another stop, then Dismiss: the waiting save is given up in the worker.
    api.badSectors = 0;
    await startSave(el);
    await waitForText(progress, 'Save failed');
    expect(button(progress, 'Resume').disabled).to.equal(false);
    button(progress, 'Dismiss').click();
    await waitUntil(() => api.called('discardSave').length === 1);
    expect(textOf(progress)).not.to.contain('Save failed');
  });

  it('cancels a running save', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    api.hold = true;
    const el = await renderApp(api);
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    await startSave(el);
    const progress = $(el, 'wd-progress');
    await waitForText(progress, 'Reading the disc');
    button(progress, 'Cancel').click();
    await waitForText(progress, 'Save cancelled');
    expect(textOf(progress)).to.contain('E_IMAPI_REQUEST_CANCELLED');
  });

  it('browses and verifies through the worker calls', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    const el = await renderApp(api);
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    button(home, 'Browse files…').click();
    const browse = $(el, 'wd-browse-dialog');
    await waitForText(browse, 'readme.txt');
    button(browse, 'Close').click();
    await waitUntil(() => !$<HTMLDialogElement>(browse, 'dialog').open);
    button(home, 'Verify…').click();
    const verify = $(el, 'wd-verify-dialog');
    await waitUntil(() => $<HTMLDialogElement>(verify, 'dialog').open);
    expect(textOf(verify)).to.contain('Compare with an image…');
  });

  it('copies with one drive: reads into a temporary copy, then burns it through the burn dialog', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    const el = await renderApp(api);
    const files = new Map<string, ReturnType<typeof memoryFile>>();
    el.saveEnv = {
      download: () => expect.fail('a copy is not downloaded'),
      opfs: async () => ({
        getFileHandle: async (name: string) => {
          const f = memoryFile();
          files.set(name, f);
          return f;
        },
        removeEntry: async (name: string) => void files.delete(name),
      }),
    };
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    button(home, 'Copy disc…').click();
    const progress = $(el, 'wd-progress');
    await waitForText(progress, 'Save completed');
    // Burned as one session, the copy must show a multisession disc's newest files.
    expect(api.called('saveDiscToFile')[0]![2]).to.deep.equal({ newestVolumeFirst: true });
    expect(textAt(progress, '[data-testid=result-file]')).to.equal(
      'Copy of the disc.iso (a temporary copy, to burn)',
    );
    const [name] = [...files.keys()];
    expect(name).to.match(/^webdisc-copy-\d+\.iso$/);
    const panel = $(el, 'wd-copy-panel');
    await waitForText(panel, 'Burn the copy…');
    expect(textAt(panel, '[data-testid=copy-status]')).to.contain('(614 kB)');
    await waitForText(el, 'The disc is copied; insert a blank disc, then burn the copy.');
    await expect(el).to.be.accessible();

    api.media = blankCdR;
    api.emit({ type: 'media', recorderId: 'virtual', media: blankCdR });
    button(panel, 'Burn the copy…').click();
    const burn = $(el, 'wd-burn-dialog') as HTMLElementTagNameMap['wd-burn-dialog'];
    await waitUntil(() => $<HTMLDialogElement>(burn, 'dialog').open);
    expect(burn.file?.name).to.equal('Copy of the disc.iso');
    expect(burn.file?.size).to.equal(300 * 2048);
    button(burn, 'Cancel').click();
    button(panel, 'Discard the copy').click();
    await waitUntil(() => !panel.shadowRoot!.querySelector('section'));
  });

  it('says why it cannot copy without a place for the temporary copy', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    const el = await renderApp(api);
    el.saveEnv = { download: () => {} };
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    button(home, 'Copy disc…').click();
    await waitForText(el, 'Copy disc: This browser cannot keep a temporary copy of the disc.');
    expect(api.called('saveDiscToFile')).to.have.length(0);
  });

  it('copies onto the blank disc in another drive at once (copyDisc), verified', async () => {
    const api = new FakeApi();
    api.media = usedCdRw;
    api.recorders = [virtualSummary, usbSummary];
    const el = await renderApp(api);
    const home = $(el, 'wd-home');
    await waitForText(home, 'Finalized CD-RW');
    button(home, 'Copy disc…').click();
    const dialog = $(el, 'wd-copy-dialog');
    await waitUntil(() => $<HTMLDialogElement>(dialog, 'dialog').open);
    $<HTMLInputElement>(dialog, `input[name=to][value="${usbSummary.id}"]`).click();
    await (dialog as HTMLElementTagNameMap['wd-copy-dialog']).updateComplete;
    button(dialog, 'Copy').click();
    const progress = $(el, 'wd-progress');
    await waitForText(progress, 'Copy completed');
    expect(api.called('copyDisc')[0]).to.deep.equal([
      'virtual',
      usbSummary.id,
      {},
      { clientName: 'webdisc', verify: 'full' },
    ]);
    expect(textAt(progress, '[data-testid=result-sectors]')).to.equal(
      '300 sectors to the disc in ASUS SDRW-08U9M-U',
    );
    expect(textAt(progress, '[data-testid=result-sha256]')).to.equal('cd'.repeat(32));
    await waitForText(
      el,
      'Copy onto ASUS SDRW-08U9M-U completed: 300 sectors, verified (SHA-256 matches).',
    );
    expect(api.called('getMedia').some(([id]) => id === usbSummary.id)).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
