/**
 * The app's virtual drive keeps its disc across a reload (issue 17): in real
 * Chromium, a disc inserted with data, the drive "restarted" (a new recorder
 * from the state in OPFS), the same disc, layout and bytes back; a new blank
 * disc replaces it; an unreadable state starts a blank CD-R.
 */
import { expect } from '@open-wc/testing';
import type { StorageLike } from './opfs-store.ts';
import { STATE_FILE, openPersistentDrive } from './virtual-persist.ts';

/** An OPFS directory of this test's own, as the drive's storage root. */
async function isolated(name: string): Promise<StorageLike> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(name, { recursive: true }).catch(() => undefined);
  const dir = await root.getDirectoryHandle(name, { create: true });
  return { getDirectory: async () => dir as never };
}

function pattern(bytes: number): Uint8Array {
  const b = new Uint8Array(bytes);
  for (let i = 0; i < b.length; i++) b[i] = (i * 13 + 7) & 0xff;
  return b;
}

describe('the virtual drive keeps its disc in OPFS', () => {
  it('a disc with data is there, bytes and all, after a restart', async function () {
    this.timeout(20_000);
    const storage = await isolated('webdisc-persist-test-1');
    const first = await openPersistentDrive({ storage });
    const image = pattern(40 * 2048);
    await first.recorder.insertImage([image], { as: 'dvd-rom' });
    await first.save();
    first.stop();

    const again = await openPersistentDrive({ storage });
    expect(again.recorder.state.mediaName).to.equal('dvd-rom');
    const store = again.recorder.discStore;
    expect(store, 'the disc kept its store').to.not.equal(undefined);
    const back = await store!.read(0, 40);
    expect(Array.from(back.subarray(0, 64))).to.deep.equal(Array.from(image.subarray(0, 64)));
    expect(back.length).to.equal(image.length);
    expect(back.every((x, i) => x === image[i])).to.equal(true);

    again.recorder.changeMedia('dvd+r');
    await again.save();
    again.stop();
    const third = await openPersistentDrive({ storage });
    expect(third.recorder.state.mediaName).to.equal('dvd+r');
    third.stop();
  });

  it('an unreadable state starts a blank CD-R, as before', async () => {
    const storage = await isolated('webdisc-persist-test-2');
    const root = await storage.getDirectory();
    const w = await (
      await root.getFileHandle(STATE_FILE, { create: true })
    ).createWritable({
      keepExistingData: false,
    });
    await w.write({ type: 'write', position: 0, data: new TextEncoder().encode('{not json') });
    await w.close();
    const drive = await openPersistentDrive({ storage });
    expect(drive.recorder.state.mediaName).to.equal('cd-r');
    drive.stop();
  });
});
