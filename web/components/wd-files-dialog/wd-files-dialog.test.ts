import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { FileImagePlan, MediaState } from '../../../contract/api.ts';
import { openIso } from '../../../disc-fs/src/index.ts';
import { WdBurnFilesEvent } from '../../lib/events.ts';
import type { SaveEnv } from '../../lib/save-iso.ts';
import { FakeApi, roughPlan } from '../../test/fake-api.ts';
import { $, $$, button, nextEvent, textAt, textOf } from '../../test/helpers.ts';
import { blankCdR, freeLock, infoWith } from '../../test/samples.ts';
import './wd-files-dialog.ts';
import type { WdFilesDialog } from './wd-files-dialog.ts';

const cdInfo = infoWith({ testWrite: true, writeSpeedsKBps: [8467, 4234] });

async function openDialog(media: MediaState = blankCdR, api = new FakeApi()) {
  const el = await fixture<WdFilesDialog>(
    html`<wd-files-dialog
      open
      recorder-id="virtual"
      drive-name="Virtual recorder"
      .media=${media}
      .info=${cdInfo}
      .lock=${freeLock}
      .api=${api}
    ></wd-files-dialog>`,
  );
  el.project.debounceMs = 0;
  return { el, api };
}

/** Picks files in the hidden "Add files…" input, as the file chooser would. */
async function addFiles(el: WdFilesDialog, files: File[], input = '#add-files-input') {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  const i = $<HTMLInputElement>(el, input);
  i.files = dt.files;
  i.dispatchEvent(new Event('change'));
  await settled(el);
}

/** Until the worker's plan for the current project is in. */
async function settled(el: WdFilesDialog) {
  await el.updateComplete;
  await waitUntil(() => !el.project.planning, 'the plan never came', { timeout: 3000 });
  await el.updateComplete;
}

const names = (el: WdFilesDialog) =>
  $$(el, '[data-testid=entry-name]').map((n) => (n.textContent ?? '').trim());

const bytes = (n: number, name: string) => new File([new Uint8Array(n).fill(65)], name);

describe('wd-files-dialog', () => {
  it('adds files, plans the image on the worker and says it fits', async () => {
    const { el, api } = await openDialog();
    expect($<HTMLDialogElement>(el, 'dialog').matches(':modal')).to.equal(true);
    expect(textAt(el, '[data-testid=project-empty]')).to.contain('No files yet');
    expect(button(el, 'Review…').disabled).to.equal(true);
    await addFiles(el, [bytes(5000, 'b.bin'), bytes(10, 'a.txt')]);
    expect(names(el)).to.deep.equal(['a.txt', 'b.bin']);
    expect(api.called('planFileImage')).to.have.length(1);
    // rough plan: 20 + 1 + 3 sectors
    expect(textAt(el, '[data-testid=files-size]')).to.equal(
      '2 files in 0 folders: 49.2 kB (24 sectors)',
    );
    expect(textAt(el, '[data-testid=files-fit]')).to.equal('Fits: 24 of 359,847 free sectors.');
    expect(textAt(el, '[data-testid=name-report-none]')).to.contain('Every name is kept');
    expect(button(el, 'Review…').disabled).to.equal(false);
  });

  it('takes files dropped anywhere on it, before the app can', async () => {
    const { el } = await openDialog();
    const dt = new DataTransfer();
    dt.items.add(bytes(10, 'one.txt'));
    dt.items.add(bytes(20, 'two.txt'));
    const body = $(el, '.body');
    const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true });
    $(el, 'h2').dispatchEvent(over);
    expect(over.defaultPrevented).to.equal(true);
    await el.updateComplete;
    expect($(el, '.drop').classList.contains('dragging')).to.equal(true);
    const drop = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
    body.dispatchEvent(drop);
    expect(drop.defaultPrevented).to.equal(true);
    await waitUntil(() => el.project.entries.length === 2, 'the drop added nothing');
    await settled(el);
    expect(names(el)).to.deep.equal(['one.txt', 'two.txt']);
    expect($(el, '.drop').classList.contains('dragging')).to.equal(false);
  });

  it('asks the worker once for several quick changes, with the volume label', async () => {
    const { el, api } = await openDialog();
    el.project.debounceMs = 50;
    await addFiles(el, [bytes(1, 'x')]);
    api.calls.length = 0;
    const label = $<HTMLInputElement>(el, '#volume-label');
    for (const v of ['S', 'So', 'Sommer']) {
      label.value = v;
      label.dispatchEvent(new Event('input'));
    }
    await settled(el);
    expect(api.called('planFileImage')).to.have.length(1);
    expect(api.called('planFileImage')[0]?.[1]).to.deep.include({ volumeLabel: 'Sommer' });
  });

  it('says how much too big the files are and offers no Review', async () => {
    const small: MediaState = { ...blankCdR, freeBlocks: 20 };
    const { el } = await openDialog(small);
    await addFiles(el, [bytes(4096 * 3, 'big.bin')]);
    // 20 + 6 = 26 sectors: 6 too many, 12,288 bytes.
    expect(textAt(el, '[data-testid=files-fit]')).to.equal(
      'Too big by 12.3 kB: it needs 26 sectors; the disc has 20 free.',
    );
    expect(textAt(el, '[data-testid=files-blocker]')).to.equal('The files do not fit on the disc.');
    expect(button(el, 'Review…').disabled).to.equal(true);
  });

  it('refuses a disc that is not blank, in words', async () => {
    const appendable: MediaState = {
      ...blankCdR,
      status: 'appendable',
      sessions: 1,
      nextWritableAddress: 1000,
      freeBlocks: 300000,
    };
    const { el } = await openDialog(appendable);
    expect(textAt(el, '[data-testid=files-refusal]')).to.match(/^The CD-R is not blank\./);
  });

  it('renames with validation, inside folders too, and removes', async () => {
    const { el } = await openDialog();
    const inFolder = (path: string) => {
      const f = bytes(3, path.split('/').pop() ?? path);
      Object.defineProperty(f, 'webkitRelativePath', { value: path });
      return f;
    };
    await addFiles(el, [inFolder('docs/a.txt'), inFolder('docs/b.txt')], '#add-folder-input');
    await addFiles(el, [bytes(3, 'notes.txt')]);
    expect(names(el)).to.deep.equal(['docs/', 'notes.txt']);
    $<HTMLButtonElement>(el, 'button[aria-label="Open folder docs"]').click();
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['docs/', 'a.txt', 'b.txt', 'notes.txt']);

    $<HTMLButtonElement>(el, 'button[aria-label="Rename a.txt"]').click();
    await el.updateComplete;
    const input = $<HTMLInputElement>(el, '#rename-input');
    const type = async (v: string) => {
      input.value = v;
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      button(el, 'Save name').click();
      await el.updateComplete;
    };
    await type('b.txt');
    expect(textAt(el, '[data-testid=rename-error]')).to.equal(
      'There is already “b.txt” in this folder.',
    );
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await type('');
    expect(textAt(el, '[data-testid=rename-error]')).to.equal('A name cannot be empty.');
    await type('a/b');
    expect(textAt(el, '[data-testid=rename-error]')).to.equal('A name cannot contain “/”.');
    await type('Übersicht.txt');
    await settled(el);
    expect(names(el)).to.deep.equal(['docs/', 'b.txt', 'Übersicht.txt', 'notes.txt']);

    // A folder renamed stays open; a root entry removed is gone from the plan.
    $<HTMLButtonElement>(el, 'button[aria-label="Rename docs"]').click();
    await el.updateComplete;
    const folderInput = $<HTMLInputElement>(el, '#rename-input');
    folderInput.value = 'Dokumente';
    folderInput.dispatchEvent(new Event('input'));
    folderInput.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await settled(el);
    expect(names(el)).to.deep.equal(['Dokumente/', 'b.txt', 'Übersicht.txt', 'notes.txt']);
    $<HTMLButtonElement>(el, 'button[aria-label="Remove notes.txt"]').click();
    await settled(el);
    expect(names(el)).to.deep.equal(['Dokumente/', 'b.txt', 'Übersicht.txt']);
    expect(el.project.plan?.files).to.equal(2);
  });

  it('shows the name report: renamed per file system, relocated, omitted with reasons', async () => {
    const api = new FakeApi();
    api.filePlan = (root): FileImagePlan => ({
      ...roughPlan(root),
      renamed: [
        {
          path: '/Übersicht für Käthe.txt',
          iso9660: 'BERSICHT.TXT',
          joliet: 'Übersicht für Käthe.txt',
        },
      ],
      relocated: [{ path: '/a/b/c/d/e/f/g/h/i', isoPath: '/RR_MOVED/I' }],
      omitted: [{ path: '/link', namespace: 'joliet', reason: 'Joliet has no symbolic links.' }],
    });
    const { el } = await openDialog(blankCdR, api);
    await addFiles(el, [bytes(1, 'x')]);
    const report = $<HTMLDetailsElement>(el, '[data-testid=name-report]');
    expect(report.open).to.equal(false);
    expect(textOf(report)).to.contain('Names that change on the disc (3)');
    expect(textAt(el, '[data-testid=report-renamed]')).to.equal(
      '/Übersicht für Käthe.txt: ISO 9660 BERSICHT.TXT; Joliet (Windows) Übersicht für Käthe.txt',
    );
    expect(textAt(el, '[data-testid=report-relocated]')).to.equal(
      '/a/b/c/d/e/f/g/h/i shows as /RR_MOVED/I',
    );
    expect(textAt(el, '[data-testid=report-omitted]')).to.equal(
      '/link is not in Joliet (Windows): Joliet has no symbolic links.',
    );
  });

  it('shows why the worker cannot plan the image, with the HRESULT', async () => {
    const api = new FakeApi();
    api.failures.planFileImage = {
      hresult: 0xc0aab110 | 0,
      name: 'IMAPI_E_INVALID_PATH',
      message: 'The name “a” is used twice in /.',
      sense: null,
    };
    const { el } = await openDialog(blankCdR, api);
    await addFiles(el, [bytes(1, 'x')]);
    const view = $(el, 'wd-error-view[label="The disc image cannot be built"]');
    // Words first, then the service's own account of it, then the code.
    expect(textOf(view)).to.contain(
      'The disc image cannot be built: A file or folder name cannot be used on a disc. The name “a” is used twice in /.',
    );
    expect(textOf(view)).to.contain('IMAPI_E_INVALID_PATH');
    expect(button(el, 'Review…').disabled).to.equal(true);
  });

  it('reviews and burns: a WdBurnFilesEvent with the tree, the label and the options', async () => {
    const { el } = await openDialog();
    await addFiles(el, [bytes(100, 'a.txt')]);
    const label = $<HTMLInputElement>(el, '#volume-label');
    label.value = 'Sommer';
    label.dispatchEvent(new Event('input'));
    $<HTMLInputElement>(el, 'input[name=verify][value=full]').click();
    await settled(el);
    button(el, 'Review…').click();
    await el.updateComplete;
    expect(textAt(el, '[data-testid=files-summary]')).to.contain('1 file in 0 folders');
    expect(textAt(el, '[data-testid=files-warning]')).to.equal(
      'Writing to a CD-R cannot be undone: the sectors it uses are used for good.',
    );
    const sent = nextEvent<WdBurnFilesEvent>(el, WdBurnFilesEvent.type);
    button(el, 'Burn').click();
    const e = await sent;
    expect(e.recorderId).to.equal('virtual');
    expect(e.image).to.deep.equal({ volumeLabel: 'Sommer', date: el.project.imageOptions.date });
    expect(e.image.date).to.be.a('number');
    expect(e.options.verify).to.equal('full');
    expect(e.root.kind).to.equal('dir');
    expect(e.root.children.map((c) => c.name)).to.deep.equal(['a.txt']);
    expect(e.summary).to.deep.equal({ title: 'Sommer (1 file)', bytes: 21 * 2048 });
  });

  it('saves the image as a download where there is no save picker: a valid ISO', async () => {
    const { el } = await openDialog();
    let saved: { blob: Blob; name: string } | null = null;
    el.saveEnv = { download: (blob, name) => (saved = { blob, name }) } satisfies SaveEnv;
    await addFiles(el, [new File(['hello disc'], 'hello.txt', { lastModified: 0 })]);
    const label = $<HTMLInputElement>(el, '#volume-label');
    label.value = 'Sommer';
    label.dispatchEvent(new Event('input'));
    await settled(el);
    button(el, 'Save as ISO…').click();
    await waitUntil(() => saved !== null, 'nothing was saved');
    await el.updateComplete;
    const got = saved as unknown as { blob: Blob; name: string };
    expect(got.name).to.equal('Sommer.iso');
    expect(got.blob.size % 2048).to.equal(0);
    expect(textAt(el, '[data-testid=save-status]')).to.match(/^Downloaded the disc image/);
    const image = new Uint8Array(await got.blob.arrayBuffer());
    const iso = await openIso(
      { read: async (lba, count) => image.subarray(lba * 2048, (lba + count) * 2048) },
      'joliet',
    );
    expect(iso.volumeId).to.equal('Sommer');
    expect(iso.sectors * 2048).to.equal(image.length);
    const [hello] = await iso.list(iso.root);
    expect(hello?.name).to.equal('hello.txt');
    expect(new TextDecoder().decode(await iso.readFile(hello!))).to.equal('hello disc');
  });

  it('streams to the file the save picker gives, and says so', async () => {
    const { el } = await openDialog();
    const chunks: Uint8Array[] = [];
    let closed = false;
    el.saveEnv = {
      download: () => {
        throw new Error('no download expected');
      },
      showSaveFilePicker: async (o) => {
        expect(o.suggestedName).to.equal('disc.iso');
        return {
          createWritable: async () => ({
            write: async (c) => void chunks.push(c),
            close: async () => void (closed = true),
            abort: async () => {},
          }),
        };
      },
    };
    await addFiles(el, [bytes(3000, 'a.bin')]);
    await el.saveAsIso();
    await el.updateComplete;
    expect(closed).to.equal(true);
    const total = chunks.reduce((n, c) => n + c.byteLength, 0);
    expect(total % 2048).to.equal(0);
    expect(textAt(el, '[data-testid=save-status]')).to.match(/^Saved the disc image/);
  });
});
