import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MediaState } from '../../../contract/api.ts';
import { WdBurnFilesEvent } from '../../lib/events.ts';
import { appendTarget, canAddFiles } from '../../lib/media.ts';
import { FakeApi } from '../../test/fake-api.ts';
import { $, $$, button, nextEvent, textAt } from '../../test/helpers.ts';
import { blankCdR, freeLock, infoWith, usedDvdPlusRw } from '../../test/samples.ts';
import './wd-files-dialog.ts';
import type { WdFilesDialog } from './wd-files-dialog.ts';

/** A CD-R with one session of files, left open: 1,000 sectors used, the next session at 7,900. */
const appendableCdR: MediaState = {
  ...blankCdR,
  status: 'appendable',
  sessions: 1,
  tracks: [{ number: 1, session: 1, start: 0, size: 1_000, mode: 'data' }],
  freeBlocks: 351_947,
  nextWritableAddress: 7_900,
};
const finalizedCdR: MediaState = { ...appendableCdR, status: 'complete', freeBlocks: 0 };

async function openAddFiles(media: MediaState = appendableCdR, api = new FakeApi()) {
  api.media = media;
  const el = await fixture<WdFilesDialog>(
    html`<wd-files-dialog
      open
      add-to-disc
      recorder-id="virtual"
      drive-name="Virtual recorder"
      .media=${media}
      .info=${infoWith({ testWrite: true })}
      .lock=${freeLock}
      .api=${api}
    ></wd-files-dialog>`,
  );
  el.project.debounceMs = 0;
  el.session.debounceMs = 0;
  return { el, api };
}

/** Until the disc's files are read and the plans for the current project are in. */
async function settled(el: WdFilesDialog) {
  await el.updateComplete;
  await waitUntil(
    () => el.session.entries && !el.project.planning && !el.session.planning,
    'the plans never came',
    { timeout: 3000 },
  );
  await el.updateComplete;
}

async function addFiles(el: WdFilesDialog, files: File[]) {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  const i = $<HTMLInputElement>(el, '#add-files-input');
  i.files = dt.files;
  i.dispatchEvent(new Event('change'));
  await settled(el);
}

const discRows = (el: WdFilesDialog) =>
  $$(el, '[data-testid=disc-files] li').map((li) => `${li.dataset['path']} ${li.dataset['state']}`);

const bytes = (n: number, name: string) => new File([new Uint8Array(n).fill(65)], name);

describe('wd-files-dialog: Add files…', () => {
  it('says which discs can take more files, in words', () => {
    expect(canAddFiles(appendableCdR)).to.equal(true);
    expect(canAddFiles(blankCdR)).to.equal(false);
    expect(canAddFiles(finalizedCdR)).to.equal(false);
    expect(canAddFiles(usedDvdPlusRw)).to.equal(true);
    expect(appendTarget(finalizedCdR, null).problem).to.equal(
      'This disc is finalized: it cannot take more files.',
    );
    expect(appendTarget(blankCdR, null).problem).to.match(/no files to add to/);
    expect(appendTarget(appendableCdR, null).problem).to.equal(null);
    expect(appendTarget(usedDvdPlusRw, null).problem).to.equal(null);
  });

  it('lists the disc’s files as on the disc; an added file of the same name replaces one', async () => {
    const { el, api } = await openAddFiles();
    await settled(el);
    expect(textAt(el, 'h2')).to.equal('Add files to the disc');
    expect(api.called('walkSessionFiles')).to.deep.equal([['virtual']]);
    expect(discRows(el)).to.deep.equal([
      '/data on disc',
      '/data/numbers.bin on disc',
      '/readme.txt on disc',
    ]);
    expect(textAt(el, '[data-testid=files-blocker]')).to.equal(
      'Add files or a folder, or remove files from the disc.',
    );
    await addFiles(el, [bytes(100, 'readme.txt'), bytes(5000, 'new.txt')]);
    expect(discRows(el)).to.contain('/readme.txt replaced');
    const replaces = $$(el, '[data-testid=project] li').map(
      (li) =>
        `${li.dataset['path']}${li.querySelector('[data-testid=entry-replaces]') ? ' replaces' : ''}`,
    );
    expect(replaces).to.deep.equal(['new.txt', 'readme.txt replaces']);
    expect(textAt(el, '[data-testid=files-size]')).to.match(
      /^New session: .* \(24 sectors from LBA 7,900\); 1 added, 1 replaced, 0 removed\.$/,
    );
    expect(textAt(el, '[data-testid=files-fit]')).to.equal('Fits: 24 of 351,947 free sectors.');
    await expect(el).to.be.accessible();
  });

  it('removes disc files (a folder with its contents), keeps them again, and burns with append', async () => {
    const { el, api } = await openAddFiles();
    await settled(el);
    $<HTMLButtonElement>(el, 'button[aria-label="Remove data on the disc"]').click();
    await settled(el);
    expect(discRows(el)).to.deep.equal([
      '/data removed',
      '/data/numbers.bin removed',
      '/readme.txt on disc',
    ]);
    // A file in a removed folder goes with it: no button of its own.
    const inner = el.renderRoot.querySelector(
      'button[aria-label="Remove numbers.bin on the disc"]',
    );
    expect(inner).to.equal(null);
    expect(api.called('planFileSession').at(-1)?.[3]).to.deep.equal({ remove: ['/data'] });
    $<HTMLButtonElement>(el, 'button[aria-label="Remove readme.txt on the disc"]').click();
    await settled(el);
    $<HTMLButtonElement>(el, 'button[aria-label="Keep readme.txt on the disc"]').click();
    await settled(el);
    await addFiles(el, [bytes(100, 'new.txt')]);
    expect(textAt(el, '[data-testid=files-size]')).to.match(/1 added, 0 replaced, 1 removed\.$/);
    expect(api.called('planFileSession').at(-1)?.[3]).to.deep.equal({ remove: ['/data'] });
    expect(button(el, 'Save as ISO…').disabled).to.equal(true);
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=files-summary]')).to.contain(
      '1 file, 1 removed (43.0 kB, 21 sectors)',
    );
    expect(textAt(el, '[data-testid=files-summary]')).to.contain('LBA 7,900 to 7,920');
    expect(textAt(el, '[data-testid=files-warning]')).to.equal(
      'Writing to a CD-R cannot be undone: the sectors it uses are used for good. The files already on it stay where they are; the new session lists them, less the ones taken out, with the new ones.',
    );
    const sent = nextEvent<WdBurnFilesEvent>(el, WdBurnFilesEvent.type);
    button(el, 'Burn').click();
    const e = await sent;
    expect(e.append).to.deep.equal({ remove: ['/data'] });
    expect(e.root.children.map((c) => c.name)).to.deep.equal(['new.txt']);
  });

  it('says when the new session does not fit', async () => {
    const { el } = await openAddFiles({ ...appendableCdR, freeBlocks: 10 });
    await settled(el);
    await addFiles(el, [bytes(100_000, 'big.bin')]);
    expect(textAt(el, '[data-testid=files-fit]')).to.match(/^Too big by .*the disc has 10 free\.$/);
    expect(textAt(el, '[data-testid=files-blocker]')).to.equal('The files do not fit on the disc.');
    expect(button(el, 'Review…').disabled).to.equal(true);
  });

  it('a finalized disc: refused in words, its files not read', async () => {
    const { el, api } = await openAddFiles(finalizedCdR);
    await el.updateComplete;
    expect(textAt(el, '[data-testid=files-refusal]')).to.equal(
      'This disc is finalized: it cannot take more files.',
    );
    expect(api.called('walkSessionFiles')).to.deep.equal([]);
    expect(button(el, 'Review…').disabled).to.equal(true);
  });

  it('the disc’s files cannot be read: the error, and no burn', async () => {
    const api = new FakeApi();
    api.failures.walkSessionFiles = {
      hresult: 0x80004005 | 0,
      name: 'E_FAIL',
      message: 'READ failed',
      sense: null,
    };
    const { el } = await openAddFiles(appendableCdR, api);
    await waitUntil(() => el.session.loadError, 'no error', { timeout: 3000 });
    await el.updateComplete;
    const view = el.renderRoot.querySelector(
      'wd-error-view[label="The files on the disc cannot be read"]',
    );
    expect(view).not.to.equal(null);
    expect(button(el, 'Review…').disabled).to.equal(true);
  });

  it('reads the disc’s files when a disc that takes more goes in while it is open', async () => {
    const { el, api } = await openAddFiles(finalizedCdR);
    await el.updateComplete;
    expect(api.called('walkSessionFiles')).to.deep.equal([]);
    el.media = appendableCdR;
    await settled(el);
    expect(api.called('walkSessionFiles')).to.deep.equal([['virtual']]);
    expect(discRows(el)).to.have.length(3);
  });

  it('an overwritable disc with data: the new tree grows in place after the old one', async () => {
    const tracks = [{ number: 1, session: 1, start: 0, size: 5_000, mode: 'data' as const }];
    const { el } = await openAddFiles({ ...usedDvdPlusRw, tracks });
    await settled(el);
    await addFiles(el, [bytes(100, 'new.txt')]);
    expect(textAt(el, '[data-testid=files-size]')).to.match(/\(21 sectors from LBA 5,008\)/);
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=files-warning]')).to.equal(
      "The new files go after the DVD+RW's (LBA 5,008 to 5,028); then its volume descriptors at LBA 16 are rewritten to show the new tree.",
    );
  });
});
