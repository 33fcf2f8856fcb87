import { expect, waitUntil } from '@open-wc/testing';
import type { OpenedFile } from '../components/wd-app/wd-app.ts';
import { consumeLaunchQueue } from './launch-queue.ts';

describe('launch queue (manifest file_handlers for .iso)', () => {
  /** Shadows Chromium's own window.launchQueue for one test. */
  const setQueue = (value: unknown) =>
    Object.defineProperty(window, 'launchQueue', { value, configurable: true, writable: true });
  afterEach(() => delete (window as unknown as { launchQueue?: unknown }).launchQueue);

  it('hands the files the app was opened with to the callback', async () => {
    let consumer: ((params: { files: unknown[] }) => void) | undefined;
    setQueue({ setConsumer: (c: typeof consumer) => (consumer = c) });
    const got: OpenedFile[][] = [];
    consumeLaunchQueue((files) => got.push(files));
    expect(consumer).to.be.a('function');
    const file = new File([new Uint8Array(2048)], 'backup.iso');
    consumer!({
      files: [{ kind: 'file', getFile: () => Promise.resolve(file) }, { kind: 'directory' }],
    });
    await waitUntil(() => got.length === 1);
    expect(got).to.deep.equal([[{ name: 'backup.iso', size: 2048, file }]]);
  });

  it('does nothing where there is no launch queue', () => {
    setQueue(undefined);
    let called = false;
    consumeLaunchQueue(() => (called = true));
    expect(called).to.equal(false);
  });
});
