/**
 * One image build in a fresh process (so peak RSS is this build's):
 * `node --import tsx bench/iso-child.ts MODE DIR [udf]`. Prints one JSON line.
 *
 * - `build`: walkDirectory + planImage + plan.stream(), every chunk written
 *   to /dev/null with fs.writeSync (no copy); `udf` = 1 adds the UDF bridge
 *   (the builder's default), 0 leaves it out (as `mkisofs -J -R`).
 * - `readsync`: the in-process ceiling: the same files read with one reused
 *   buffer through fs.readSync, written to /dev/null; what Node itself costs,
 *   with no image, no allocation and no promise per read.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { planImage, type DirEntry } from '../disc-fs/src/index.ts';
import { walkDirectory } from '../disc-fs/node/walk.ts';

const [mode = 'build', dir = '.', udfArg = '1', reuseArg = '1'] = process.argv.slice(2);
const out = openSync('/dev/null', 'w');

function writeAll(chunk: Uint8Array): void {
  let o = 0;
  while (o < chunk.length) o += writeSync(out, chunk, o, chunk.length - o);
}

async function build(): Promise<{ bytes: number; files: number }> {
  const { root } = await walkDirectory(dir);
  const plan = planImage(root, { udf: udfArg === '1', date: Date.UTC(2024, 0, 1) });
  let bytes = 0;
  // writeSync is done with a chunk before the next is asked for: the stream may reuse its buffers.
  for await (const chunk of plan.stream({ reuseBuffers: reuseArg === '1' })) {
    writeAll(chunk);
    bytes += chunk.length;
  }
  if (bytes !== plan.bytes) throw new Error(`wrote ${bytes} of ${plan.bytes} bytes`);
  return { bytes, files: countFiles(root) };
}

function countFiles(d: DirEntry): number {
  let n = 0;
  for (const e of d.children) n += e.kind === 'dir' ? countFiles(e) : e.kind === 'file' ? 1 : 0;
  return n;
}

function readsync(): { bytes: number; files: number } {
  const buf = new Uint8Array(8 << 20);
  let bytes = 0;
  let files = 0;
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) visit(p);
      else if (st.isFile()) {
        files++;
        const fd = openSync(p, 'r');
        let pos = 0;
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, pos);
          if (n === 0) break;
          pos += n;
          writeAll(buf.subarray(0, n));
        }
        closeSync(fd);
        bytes += pos;
      }
    }
  };
  visit(dir);
  return { bytes, files };
}

const started = performance.now();
const r = mode === 'readsync' ? readsync() : await build();
const seconds = (performance.now() - started) / 1000;
closeSync(out);
console.log(
  JSON.stringify({ mode, ...r, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
);
