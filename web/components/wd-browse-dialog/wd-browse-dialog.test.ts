import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { SaveEnv } from '../../lib/save-iso.ts';
import { FakeApi } from '../../test/fake-api.ts';
import { $, $$, button, chooseFile, textAt, textOf, waitForText } from '../../test/helpers.ts';
import './wd-browse-dialog.ts';
import type { WdBrowseDialog } from './wd-browse-dialog.ts';

async function openBrowser(api: FakeApi, env: SaveEnv) {
  const el = await fixture<WdBrowseDialog>(
    html`<wd-browse-dialog recorder-id="virtual" .api=${api}></wd-browse-dialog>`,
  );
  el.env = env;
  el.open = true;
  await waitForText(el, 'readme.txt');
  return el;
}

const rows = (el: WdBrowseDialog) =>
  $$(el, '[data-testid=browse-entries] tbody tr').map((r) =>
    r.textContent!.replace(/\s+/g, ' ').trim(),
  );

function downloads() {
  const got: { blob: Blob; name: string }[] = [];
  const env: SaveEnv = { download: (blob, name) => got.push({ blob, name }) };
  return { got, env };
}

describe('wd-browse-dialog', () => {
  it('lists the disc: folders first by name, sizes, dates; opens a folder and goes up', async () => {
    const api = new FakeApi();
    const el = await openBrowser(api, downloads().env);
    expect(textAt(el, '[data-testid=browse-volume]')).to.equal('SOMMER — ISO 9660 + Joliet');
    expect(textAt(el, '[data-testid=browse-path]')).to.equal('/');
    const [data, readme] = rows(el);
    expect(data).to.match(/^data\/ 2024-06-0[12] \d\d:\d\d$/);
    expect(readme).to.match(/^readme\.txt 20 B 2024-06-0[12] \d\d:\d\d Download$/);
    expect(api.called('listDiscFiles')[0]).to.deep.equal([{ kind: 'disc', id: 'virtual' }, '/']);
    await expect(el).to.be.accessible();

    $<HTMLButtonElement>(el, 'button[aria-label="Open folder data"]').click();
    await waitForText(el, 'numbers.bin');
    expect(textAt(el, '[data-testid=browse-path]')).to.equal('/data');
    button(el, 'Up').click();
    await waitForText(el, 'readme.txt');
    expect(textAt(el, '[data-testid=browse-path]')).to.equal('/');
  });

  it('downloads a file, streamed from the worker', async () => {
    const api = new FakeApi();
    const { got, env } = downloads();
    const el = await openBrowser(api, env);
    $<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').click();
    await waitForText(el, 'Downloaded readme.txt.');
    expect(got.map((d) => d.name)).to.deep.equal(['readme.txt']);
    expect(await got[0]!.blob.text()).to.equal('Hello from webdisc.\n');
    expect(api.called('readDiscFile')[0]).to.deep.equal([
      { kind: 'disc', id: 'virtual' },
      '/readme.txt',
    ]);
  });

  it('streams a file into the picked file when there is a save picker', async () => {
    const api = new FakeApi();
    const written: Uint8Array[] = [];
    const env: SaveEnv = {
      showSaveFilePicker: async () => ({
        createWritable: async () => ({
          write: async (c) => void written.push(c),
          close: async () => {},
          abort: async () => {},
        }),
      }),
      download: () => expect.fail('no download with a picker'),
    };
    const el = await openBrowser(api, env);
    $<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').click();
    await waitForText(el, 'Saved readme.txt.');
    expect(new TextDecoder().decode(written[0])).to.equal('Hello from webdisc.\n');
  });

  /** A file the worker streams one chunk of, then holds until it is cancelled. */
  function endlessFile(api: FakeApi) {
    const seen = { cancelled: false };
    api.readDiscFile = async () => ({
      ok: true as const,
      value: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('first chunk'));
        },
        pull: () => new Promise<void>(() => {}),
        cancel() {
          seen.cancelled = true;
        },
      }),
    });
    return seen;
  }

  it('Stop ends a download part way: the disc is no longer read, the picked file is discarded', async () => {
    const api = new FakeApi();
    const seen = endlessFile(api);
    const file = { written: 0, closed: false, aborted: false };
    const env: SaveEnv = {
      showSaveFilePicker: async () => ({
        createWritable: async () => ({
          write: async () => void file.written++,
          close: async () => void (file.closed = true),
          abort: async () => void (file.aborted = true),
        }),
      }),
      download: () => expect.fail('no download with a picker'),
    };
    const el = await openBrowser(api, env);
    $<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').click();
    await waitUntil(() => file.written === 1);
    expect(textAt(el, '[data-testid=browse-status]')).to.equal('Saving readme.txt…');
    // One download at a time.
    expect($<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').disabled).to.equal(
      true,
    );
    button(el, 'Stop').click();
    await waitForText(el, 'Stopped: readme.txt was not saved.');
    expect(seen.cancelled).to.equal(true);
    expect(file).to.deep.equal({ written: 1, closed: false, aborted: true });
    expect($$(el, 'button').map((b) => b.textContent!.trim())).not.to.include('Stop');
    expect($<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').disabled).to.equal(
      false,
    );
  });

  it('Stop without a save picker offers no download; closing the dialog stops a download too', async () => {
    const api = new FakeApi();
    let seen = endlessFile(api);
    const { got, env } = downloads();
    const el = await openBrowser(api, env);
    $<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').click();
    await waitUntil(() => el.saving !== null);
    button(el, 'Stop').click();
    await waitForText(el, 'Stopped: readme.txt was not saved.');
    expect(seen.cancelled).to.equal(true);
    expect(got).to.deep.equal([]);

    seen = endlessFile(api);
    $<HTMLButtonElement>(el, 'button[aria-label="Download readme.txt"]').click();
    await waitUntil(() => el.saving !== null);
    el.open = false;
    await waitUntil(() => seen.cancelled && el.saving === null);
    expect(got).to.deep.equal([]);
  });

  it('downloads a folder as a zip with its files', async () => {
    const api = new FakeApi();
    const { got, env } = downloads();
    const el = await openBrowser(api, env);
    $<HTMLButtonElement>(el, 'button[aria-label="Open folder data"]').click();
    await waitForText(el, 'numbers.bin');
    button(el, 'Download this folder as .zip').click();
    await waitForText(el, 'Downloaded data.zip.');
    expect(got[0]!.name).to.equal('data.zip');
    expect(got[0]!.blob.type).to.equal('application/zip');
    const bytes = new Uint8Array(await got[0]!.blob.arrayBuffer());
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).to.equal('PK');
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).to.contain('data/numbers.bin');
    expect(text).to.contain('0123456789');
    expect(api.called('walkDiscFiles')[0]).to.deep.equal([
      { kind: 'disc', id: 'virtual' },
      '/data',
    ]);
  });

  it('opens an image file the person picks, and goes back to the disc', async () => {
    const api = new FakeApi();
    const el = await openBrowser(api, downloads().env);
    const iso = new File([new Uint8Array(2048)], 'backup.iso');
    chooseFile($<HTMLInputElement>(el, '#image-input'), iso);
    await waitForText(el, 'Files in backup.iso');
    await waitUntil(() => textAt(el, '[data-testid=browse-volume]').startsWith('IMAGE'));
    const [source] = api.called('listDiscFiles').at(-1)!;
    expect(source).to.deep.equal({ kind: 'image', image: iso });
    button(el, 'Back to the disc').click();
    await waitForText(el, 'Files on the disc');
  });

  it("an image picked while the disc is still being read: the disc's late answer is dropped (issue 20, part 6)", async () => {
    const api = new FakeApi();
    const list = api.listDiscFiles.bind(api);
    let answerDisc = () => {};
    const discRead = new Promise<void>((resolve) => (answerDisc = resolve));
    api.listDiscFiles = async (source, path) => {
      if (source.kind === 'disc') await discRead;
      return list(source, path);
    };
    const el = await fixture<WdBrowseDialog>(
      html`<wd-browse-dialog recorder-id="virtual" .api=${api}></wd-browse-dialog>`,
    );
    el.open = true;
    await el.updateComplete;
    chooseFile($<HTMLInputElement>(el, '#image-input'), new File(['x'], 'odd.iso'));
    await waitUntil(() => textAt(el, '[data-testid=browse-volume]').startsWith('IMAGE'));
    answerDisc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await el.updateComplete;
    expect(textOf(el)).to.contain('Files in odd.iso');
    expect(textAt(el, '[data-testid=browse-volume]')).to.equal('IMAGE — ISO 9660 + Joliet');
  });

  it('shows a read failure in words with its HRESULT', async () => {
    const api = new FakeApi();
    api.failures.listDiscFiles = {
      hresult: 0xc0aab151 | 0,
      name: 'IMAPI_E_NO_SUPPORTED_FILE_SYSTEM',
      message: 'This disc has no file system webdisc reads.',
      sense: null,
    };
    const el = await fixture<WdBrowseDialog>(
      html`<wd-browse-dialog recorder-id="virtual" .api=${api}></wd-browse-dialog>`,
    );
    el.open = true;
    await waitForText(el, 'no file system webdisc reads');
    expect(textOf(el)).to.contain('IMAPI_E_NO_SUPPORTED_FILE_SYSTEM');
    await expect(el).to.be.accessible();
  });
});
