/**
 * The drive buffer during a burn (issue 19, defect 5: "'Drive buffer 0%'
 * stays at 0 during a burn"): the fill READ BUFFER CAPACITY reports (MMC-6
 * §6.21: LENGTH OF THE BUFFER and BLANK LENGTH OF BUFFER) is in the progress
 * while writing, a few times a second, from the first WRITE on; a drive that
 * does not answer it gives null (the UI hides the row) and is not asked again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Progress } from '../../contract/progress.ts';
import type { VirtualRecorderOptions } from '../../virtual-recorder/src/index.ts';
import { V, bench, image } from '../test-kit.ts';
import { bytesSource } from './source.ts';

const READ_BUFFER_CAPACITY = 0x5c;
const DVD_X = 1385;

async function burnWatching(options: VirtualRecorderOptions, sectors: number, speedKBps?: number) {
  const b = bench(options);
  const s = b.session('A');
  const r = await s.service.burn(V, bytesSource(image(sectors, 9)), {
    clientName: 'Buffer',
    ...(speedKBps ? { speedKBps } : {}),
  });
  assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
  const writing = s.events.flatMap((e) =>
    e.type === 'progress' && e.progress.action === 'writing' ? [e.progress as Progress] : [],
  );
  const asked = b.drive.log.filter((e) => e.opcode === READ_BUFFER_CAPACITY).length;
  return { writing, asked };
}

describe('drive buffer fill in the progress (issue 19, defect 5)', { timeout: 30_000 }, () => {
  it("shows the fill the drive reports while it writes: a 4× DVD+R's buffer runs full", async () => {
    // 7 MB at 4× on a realtime clock: the host outruns the drive, whose 4 MiB
    // buffer fills after 16 WRITEs of 256 KiB and stays full (about 1 s).
    const { writing, asked } = await burnWatching(
      { media: 'dvd+r', clock: 'realtime' },
      3500,
      4 * DVD_X,
    );
    assert.ok(asked > 0, 'READ BUFFER CAPACITY was asked');
    const fills = writing.map((p) => p.bufferFill);
    assert.ok(
      fills.every((f) => typeof f === 'number' && f >= 0 && f <= 1),
      `every writing event has the fill: ${fills.join(', ')}`,
    );
    assert.ok(
      fills.some((f) => (f ?? 0) >= 0.75),
      `the full buffer shows: ${fills.join(', ')}`,
    );
  });

  it('a drive without READ BUFFER CAPACITY: no fill (null), asked once only', async () => {
    const { writing, asked } = await burnWatching(
      { media: 'dvd+r', unsupportedCommands: [READ_BUFFER_CAPACITY] },
      80 * 128,
    );
    assert.ok(writing.length > 0);
    assert.ok(
      writing.every((p) => p.bufferFill === null),
      JSON.stringify(writing.map((p) => p.bufferFill)),
    );
    assert.equal(asked, 1, 'refused once, not asked again');
  });
});
