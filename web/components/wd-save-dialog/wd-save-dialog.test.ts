import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { WdCloseDialogEvent, WdSaveDiscEvent } from '../../lib/events.ts';
import type { DiscSaveEnv, OpfsDirLike, OpfsFileLike } from '../../lib/save-disc.ts';
import { FakeApi } from '../../test/fake-api.ts';
import { $, button, nextEvent, textAt } from '../../test/helpers.ts';
import { dataCd } from '../../test/samples.ts';
import './wd-save-dialog.ts';
import type { WdSaveDialog } from './wd-save-dialog.ts';

/** A writable file in memory (what the worker would write into). */
function memoryFile(): OpfsFileLike & { bytes: Uint8Array } {
  const file = {
    bytes: new Uint8Array(0),
    createWritable: async () => ({
      async write({ position, data }: { position: number; data: Uint8Array }) {
        const next = new Uint8Array(Math.max(file.bytes.length, position + data.length));
        next.set(file.bytes);
        next.set(data, position);
        file.bytes = next;
      },
      truncate: async (n: number) => void (file.bytes = file.bytes.slice(0, n)),
      close: async () => {},
      abort: async () => {},
    }),
    getFile: async () => new Blob([file.bytes as Uint8Array<ArrayBuffer>]),
  };
  return file;
}

async function openDialog(env: DiscSaveEnv, label = '') {
  const el = await fixture<WdSaveDialog>(
    html`<wd-save-dialog
      recorder-id="virtual"
      drive-name="Virtual recorder"
      label=${label}
      .media=${dataCd}
    ></wd-save-dialog>`,
  );
  el.env = env;
  el.open = true;
  await el.updateComplete;
  return el;
}

describe('wd-save-dialog', () => {
  it('picks the file (named from the label), then asks for the save with continue past errors', async () => {
    const picked = memoryFile();
    const asked: string[] = [];
    const env: DiscSaveEnv = {
      showSaveFilePicker: async (o) => {
        asked.push(o.suggestedName);
        return picked;
      },
      download: () => expect.fail('no download with a picker'),
    };
    const el = await openDialog(env, 'Sommer 2024');
    expect($<HTMLInputElement>(el, '#file-name').value).to.equal('Sommer 2024.iso');
    $<HTMLInputElement>(el, '#continue').click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const event = nextEvent<WdSaveDiscEvent>(el, WdSaveDiscEvent.type);
    button(el, 'Save…').click();
    const e = await event;
    expect(asked).to.deep.equal(['Sommer 2024.iso']);
    expect(e.recorderId).to.equal('virtual');
    expect(e.options).to.deep.equal({ continuePastErrors: true });
    expect(e.imageTarget.file).to.equal(picked);
    expect(e.imageTarget.name).to.equal('Sommer 2024.iso');
    expect(await e.imageTarget.deliver()).to.equal('saved');
  });

  it('says so when the picker is cancelled, and closes with Cancel', async () => {
    const el = await openDialog({
      showSaveFilePicker: () => Promise.reject(new DOMException('no', 'AbortError')),
      download: () => {},
    });
    let asked = false;
    el.addEventListener(WdSaveDiscEvent.type, () => (asked = true));
    button(el, 'Save…').click();
    await waitUntil(() => textAt(el, '[data-testid=save-dialog-status]') !== '');
    expect(textAt(el, '[data-testid=save-dialog-status]')).to.equal(
      'No file was chosen; nothing was saved.',
    );
    expect(asked).to.equal(false);
    const close = nextEvent<WdCloseDialogEvent>(el, WdCloseDialogEvent.type);
    button(el, 'Cancel').click();
    expect((await close).dialog).to.equal('save');
  });

  it('without a save picker: a temporary OPFS file, downloaded once saved, earlier ones removed', async () => {
    const files = new Map<string, ReturnType<typeof memoryFile>>([
      ['webdisc-save-1.iso', memoryFile()],
      ['keep.txt', memoryFile()],
    ]);
    const dir: OpfsDirLike = {
      getFileHandle: async (name) => {
        const f = memoryFile();
        files.set(name, f);
        return f;
      },
      removeEntry: async (name) => void files.delete(name),
      keys: async function* () {
        yield* [...files.keys()];
      },
    };
    const downloads: { blob: Blob; name: string }[] = [];
    const el = await openDialog({
      opfs: async () => dir,
      download: (blob, name) => downloads.push({ blob, name }),
    });
    const event = nextEvent<WdSaveDiscEvent>(el, WdSaveDiscEvent.type);
    button(el, 'Save…').click();
    const e = await event;
    expect(e.options).to.deep.equal({ continuePastErrors: false });
    expect([...files.keys()].filter((k) => k.startsWith('webdisc-save-'))).to.have.length(1);
    expect(files.has('keep.txt')).to.equal(true);
    const out = await e.imageTarget.file.createWritable();
    await out.write({ type: 'write', position: 0, data: new Uint8Array([1, 2, 3]) });
    await out.close();
    expect(await e.imageTarget.deliver()).to.equal('downloaded');
    expect(downloads.map((d) => d.name)).to.deep.equal(['disc.iso']);
    expect(new Uint8Array(await downloads[0]!.blob.arrayBuffer())).to.deep.equal(
      new Uint8Array([1, 2, 3]),
    );
  });

  it('shows why it cannot save when the browser has neither', async () => {
    const el = await openDialog({ download: () => {} });
    button(el, 'Save…').click();
    await waitUntil(() => $(el, 'wd-error-view').shadowRoot?.textContent?.includes('neither'));
  });

  it("names the file from the disc's volume label, read through the worker", async () => {
    const api = new FakeApi();
    const el = await fixture<WdSaveDialog>(
      html`<wd-save-dialog recorder-id="virtual" .media=${dataCd} .api=${api}></wd-save-dialog>`,
    );
    el.open = true;
    await el.updateComplete;
    await waitUntil(() => $<HTMLInputElement>(el, '#file-name').value === 'SOMMER.iso');
    expect(api.called('listDiscFiles')[0]).to.deep.equal([{ kind: 'disc', id: 'virtual' }, '/']);
  });

  it('saves one session or track of a disc with more than one', async () => {
    const el = await openDialog({
      showSaveFilePicker: async () => memoryFile(),
      download: () => {},
    });
    const select = $<HTMLSelectElement>(el, '#range');
    expect(
      [...select.options].map((o) => o.textContent!.replace(/\s+/g, ' ').trim()),
    ).to.deep.equal([
      'The whole disc',
      'Session 1',
      'Session 2',
      'Track 1 (data, 200,000 sectors)',
      'Track 2 (data, 50,000 sectors)',
    ]);
    select.value = 'session:2';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const event = nextEvent<WdSaveDiscEvent>(el, WdSaveDiscEvent.type);
    button(el, 'Save…').click();
    expect((await event).options).to.deep.equal({
      continuePastErrors: false,
      range: { kind: 'session', session: 2 },
    });
  });
});
