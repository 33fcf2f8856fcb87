import { expect, fixture, html } from '@open-wc/testing';
import type { FileTreeEntry } from '../../../contract/api.ts';
import { FakeApi } from '../../test/fake-api.ts';
import { $, button, chooseFile, textAt, textOf, waitForText } from '../../test/helpers.ts';
import { dataCd } from '../../test/samples.ts';
import './wd-verify-dialog.ts';
import type { WdVerifyDialog } from './wd-verify-dialog.ts';

async function openVerify(api: FakeApi) {
  const el = await fixture<WdVerifyDialog>(
    html`<wd-verify-dialog
      recorder-id="virtual"
      drive-name="Virtual recorder"
      .media=${dataCd}
      .api=${api}
    ></wd-verify-dialog>`,
  );
  el.directoryPicker = undefined;
  el.open = true;
  await el.updateComplete;
  return el;
}

describe('wd-verify-dialog', () => {
  it('compares the disc with an image: identical, with the SHA-256', async () => {
    const api = new FakeApi();
    const el = await openVerify(api);
    await expect(el).to.be.accessible();
    const iso = new File([new Uint8Array(4096)], 'backup.iso');
    chooseFile($<HTMLInputElement>(el, '#image-input'), iso);
    await waitForText(el, 'Identical');
    expect(api.called('verifyDisc')[0]).to.deep.equal(['virtual', { kind: 'image', image: iso }]);
    expect(textAt(el, '[data-testid=verify-headline]')).to.equal(
      'Identical: The disc holds the image: 300 sectors identical.',
    );
    expect(textAt(el, '[data-testid=verify-sha256]')).to.equal('ab'.repeat(32));
    await expect(el).to.be.accessible();
  });

  it('refuses an empty image in words instead of "identical: 0 sectors" (issue 20, part 6)', async () => {
    const api = new FakeApi();
    const el = await openVerify(api);
    chooseFile($<HTMLInputElement>(el, '#image-input'), new File([], 'empty.iso'));
    await waitForText(el, 'empty.iso is empty: there is nothing to compare the disc with.');
    expect(api.called('verifyDisc')).to.deep.equal([]);
    expect(textOf(el)).not.to.contain('Identical');
    await expect(el).to.be.accessible();
    // The next pick works as ever.
    chooseFile($<HTMLInputElement>(el, '#image-input'), new File([new Uint8Array(4096)], 'b.iso'));
    await waitForText(el, 'Identical');
  });

  it('compares with a folder (its contents against the disc root) and names the first difference', async () => {
    const api = new FakeApi();
    api.verifyReport = {
      against: 'files',
      same: false,
      sectors: 0,
      files: 1,
      sha256: null,
      firstDifferentLba: null,
      firstDifferentPath: '/data/numbers.bin',
      message:
        'The disc differs from the folder first at /data/numbers.bin: different content (SHA-256).',
    };
    const el = await openVerify(api);
    const input = $<HTMLInputElement>(el, '#folder-input');
    const file = new File(['x'], 'numbers.bin');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'backup/data/numbers.bin' });
    chooseFile(input, file);
    await waitForText(el, 'Different');
    const [, against] = api.called('verifyDisc')[0]!;
    const root = (against as { root: Extract<FileTreeEntry, { kind: 'dir' }> }).root;
    expect(root.name).to.equal('');
    expect(root.children.map((c) => c.name)).to.deep.equal(['data']);
    expect(textAt(el, '[data-testid=verify-headline]')).to.contain('/data/numbers.bin');
  });

  it('uses the directory picker where there is one', async () => {
    const api = new FakeApi();
    const el = await openVerify(api);
    el.directoryPicker = async () =>
      ({
        kind: 'directory',
        name: 'backup',
        values: async function* () {
          yield {
            kind: 'file',
            name: 'readme.txt',
            getFile: async () => new File(['hi'], 'readme.txt'),
          };
        },
      }) as never;
    button(el, 'Compare with a folder…').click();
    await waitForText(el, 'Identical');
    const [, against] = api.called('verifyDisc')[0]!;
    const root = (against as { root: Extract<FileTreeEntry, { kind: 'dir' }> }).root;
    expect(root.children.map((c) => c.name)).to.deep.equal(['readme.txt']);
  });

  it('shows a failure in words with its HRESULT', async () => {
    const api = new FakeApi();
    api.failures.verifyDisc = {
      hresult: 0xc0aa0202 | 0,
      name: 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA',
      message: 'There is no medium in the drive.',
      sense: null,
    };
    const el = await openVerify(api);
    chooseFile($<HTMLInputElement>(el, '#image-input'), new File(['x'], 'a.iso'));
    await waitForText(el, 'There is no medium in the drive.');
    expect(textOf(el)).to.contain('E_IMAPI_RECORDER_MEDIA_NO_MEDIA');
  });
});
