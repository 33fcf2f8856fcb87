/**
 * A disc file's chunks as the stream the page takes over: pulled one chunk
 * at a time, errors in words, a cancel that stops the reading, and the
 * opening failure as a Result.
 */
import { expect } from '@open-wc/testing';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import { streamOf, streamResult } from './disc-stream.ts';

async function read(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(...value);
  }
}

describe('disc-stream', () => {
  it('streams the chunks in order, pulling only as they are read', async () => {
    let pulled = 0;
    async function* chunks() {
      for (let i = 0; i < 3; i++) {
        pulled++;
        yield Uint8Array.of(i, i);
      }
    }
    const stream = streamOf(chunks());
    await new Promise((r) => setTimeout(r, 20));
    expect(pulled).to.be.at.most(1);
    expect(await read(stream)).to.deep.equal([0, 0, 1, 1, 2, 2]);
  });

  it('ends in the reading error, and a cancel stops the reading', async () => {
    async function* failing() {
      yield Uint8Array.of(1);
      throw new WebdiscError('IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR', 'damaged');
    }
    let error: unknown;
    await read(streamOf(failing())).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal('damaged');

    let stopped = false;
    async function* endless() {
      try {
        for (;;) yield new Uint8Array(1);
      } finally {
        stopped = true;
      }
    }
    const reader = streamOf(endless()).getReader();
    await reader.read();
    await reader.cancel();
    expect(stopped).to.equal(true);
  });

  it('answers an opening failure as a Result with its HRESULT', async () => {
    const r = await streamResult(() =>
      Promise.reject(new WebdiscError('E_INVALIDARG', '"/nope" is not on the disc.')),
    );
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.error.name).to.equal('E_INVALIDARG');
      expect(r.error.message).to.equal('"/nope" is not on the disc.');
    }
    const ok = await streamResult(async () => (async function* () {})());
    expect(ok.ok && (await read(ok.value))).to.deep.equal([]);
  });
});
