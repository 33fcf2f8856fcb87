/**
 * The builder on input that changes under it (issue 20, part 3): a folder
 * on disk is walked, planned and checked (preflight) for a burn of files to
 * the virtual recorder; then, the moment the drive receives a WRITE at a
 * random LBA, one file grows, shrinks, vanishes or becomes unreadable (it is
 * replaced by a folder: the tests run as root, where chmod 000 still reads).
 *
 * The invariant, from how the image is built (disc-fs/src/stream.ts): a
 * file's bytes are read in order and checked against its planned size as
 * they come (a short read followed by an empty one: it shrank; a byte past
 * its end: it grew), and the 4 MiB chunks the engine writes are only handed
 * over once whole, so the failing read is met before any chunk holding a
 * sector after it goes out. So:
 * - the burn either succeeds, and then the disc is exactly the planned image
 *   (the change came after the file was read: what was read is the file as
 *   planned, since the changes here only append, cut or remove), or it fails
 *   with the mapped HRESULT (IMAPI_E_DATA_STREAM_INCONSISTENCY or
 *   IMAPI_E_DATA_STREAM_READ_FAILURE, disc-fs/src/imapi.ts) whose message
 *   names the file;
 * - either way every sector that reached the disc is the planned image's
 *   sector at that address (no sector of a wrong image), and after a
 *   failure nothing past the changed file's extent was written: the burn
 *   stopped at that file.
 *
 * `npm test` runs 12 cases from a fixed seed; `npm run fuzz` runs
 * WEBDISC_FUZZ_RUNS (WEBDISC_FUZZ_SEED replays) and prints the figures.
 */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  truncateSync,
  appendFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { walkDirectory } from '../../disc-fs/node/walk.ts';
import { openVolume } from '../reading/disc-files.ts';
import { V, armAtCommand, bench, image } from '../test-kit.ts';
import { planFiles } from './file-image.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 12);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x20_3;
const SECTOR = 2048;
const WRITE_10 = 0x2a;
const CHANGES = ['grow', 'shrink', 'vanish', 'unreadable'] as const;
type Change = (typeof CHANGES)[number];
const TYPED = new Set(['IMAPI_E_DATA_STREAM_INCONSISTENCY', 'IMAPI_E_DATA_STREAM_READ_FAILURE']);

const work = mkdtempSync(join(tmpdir(), 'webdisc-changing-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Files of the case: relative path and size (the bytes are a pseudo-random image's). */
const layout = fc.array(fc.integer({ min: 1, max: 3_000_000 }), { minLength: 2, maxLength: 6 });

function makeTree(dir: string, sizes: readonly number[]): string[] {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  return sizes.map((size, i) => {
    const rel = i % 2 ? `sub/file-${i}.bin` : `file-${i}.bin`;
    writeFileSync(join(dir, rel), image(Math.ceil(size / SECTOR), i + 1).subarray(0, size));
    return rel;
  });
}

function change(path: string, how: Change, size: number): void {
  if (how === 'grow') appendFileSync(path, 'more');
  else if (how === 'shrink') truncateSync(path, Math.floor(size / 2));
  else if (how === 'vanish') rmSync(path);
  else {
    rmSync(path);
    mkdirSync(path);
  }
}

describe(
  'a burn of files whose files change under it (issue 20, part 3)',
  { timeout: 600_000 },
  () => {
    it(`${RUNS} changed files: the planned image or a typed error naming the file`, async () => {
      const figures = {
        tried: 0,
        succeeded: 0,
        typed: 0,
        untyped: 0,
        wrongSuccess: 0,
        violations: 0,
      };
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          layout,
          fc.nat(),
          fc.constantFrom(...CHANGES),
          fc.double({ min: 0, max: 1, noNaN: true }),
          async (sizes, pick, how, when) => {
            figures.tried++;
            const dir = join(work, String(n++));
            const files = makeTree(dir, sizes);
            const { root } = await walkDirectory(dir);
            const plan = planFiles(root, { date: Date.UTC(2025, 0, 1) });
            const parts: Uint8Array[] = [];
            for await (const c of plan.stream()) parts.push(c.slice());
            const planned = Uint8Array.from(Buffer.concat(parts));
            const victim = pick % files.length;
            const rel = files[victim]!;
            const volume = await openVolume({
              read: (s, c) => Promise.resolve(planned.subarray(s * SECTOR, (s + c) * SECTOR)),
            });
            const extent = (await volume.stat(`/${rel}`)).entry.extents[0]!;
            const extentEnd = extent.sector + Math.ceil(extent.length / SECTOR);
            // Any WRITE from the first to the one carrying the file's last sector.
            const at = Math.floor(when * extentEnd);

            const b = bench({ media: 'dvd+r' });
            const s = b.session('Files');
            armAtCommand(
              b.drive,
              (cdb) =>
                cdb[0] === WRITE_10 &&
                new DataView(cdb.buffer, cdb.byteOffset).getUint32(2) +
                  new DataView(cdb.buffer, cdb.byteOffset).getUint16(7) >
                  at,
              () => change(join(dir, rel), how, sizes[victim]!),
            );
            const r = await s.service
              .burnFiles(V, root, {}, { clientName: 'Files' }, plan)
              // Each case's files go as soon as it is done: `npm run fuzz` runs thousands.
              .finally(() => rmSync(dir, { recursive: true, force: true }));
            const disc = await b.drive.readImage();
            const written = b.drive.counters.sectorsWritten;
            for (let lba = 0; lba < written; lba++) {
              const got = disc.subarray(lba * SECTOR, (lba + 1) * SECTOR);
              const want = planned.subarray(lba * SECTOR, (lba + 1) * SECTOR);
              if (Buffer.compare(got, want) !== 0) {
                figures.violations++;
                assert.fail(`sector ${lba} is not the planned image's (${how} ${rel} at ${at})`);
              }
            }
            if (r.ok) {
              figures.succeeded++;
              if (written !== plan.sectors) figures.wrongSuccess++;
              assert.equal(written, plan.sectors, 'a successful burn wrote the whole image');
              return;
            }
            if (!TYPED.has(r.error.name)) {
              figures.untyped++;
              assert.fail(`untyped failure: ${r.error.name}: ${r.error.message}`);
            }
            figures.typed++;
            assert.ok(
              r.error.message.includes(rel),
              `the message names ${rel}: ${r.error.message}`,
            );
            if (written > extentEnd) figures.violations++;
            assert.ok(written <= extentEnd, `stopped at the file: ${written} > ${extentEnd}`);
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
      console.log(JSON.stringify({ fuzz: 'changing-input', runs: RUNS, seed: SEED, ...figures }));
      assert.equal(figures.tried, RUNS);
      // The property must meet both outcomes, or it tested nothing.
      assert.ok(figures.typed > 0, 'some changes failed the burn');
    });
  },
);
