/**
 * The disc reader on hostile images: valid images (Rock Ridge + Joliet +
 * UDF, and plain ISO 9660) with random bytes overwritten in their
 * descriptors, path tables, directories and file entries, then opened,
 * walked and every file read. Each run must end, within a bounded number of
 * sector reads, either in success or in one of the project's typed errors
 * (WebdiscError): never an untyped exception, a hang, or a path that is not
 * one clean component per level.
 *
 * `npm test` runs WEBDISC_FUZZ_RUNS (default 150) images from a fixed seed;
 * `npm run fuzz` runs 5,000. A failure prints its seed and path for replay
 * (WEBDISC_FUZZ_SEED, WEBDISC_FUZZ_PATH).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bytesSource,
  planImage,
  type DirEntry,
  type ImageOptions,
} from '../../disc-fs/src/index.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { image } from '../test-kit.ts';
import { openVolume } from './disc-files.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 150);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x17;
/** More sector reads than any walk of these small images needs: beyond it, the reader is looping. */
const READ_BUDGET = 20_000;

const tree: DirEntry = {
  kind: 'dir',
  name: '',
  children: [
    {
      kind: 'file',
      name: 'readme.txt',
      size: 100,
      content: bytesSource(image(1, 1).subarray(0, 100)),
    },
    {
      kind: 'dir',
      name: 'a',
      children: [
        {
          kind: 'file',
          name: 'Ünïcödé name.bin',
          size: 9000,
          content: bytesSource(image(5, 2).subarray(0, 9000)),
        },
        { kind: 'dir', name: 'b', children: [{ kind: 'dir', name: 'c', children: [] }] },
        { kind: 'symlink', name: 'up', target: '../../etc' },
      ],
    },
  ],
};

async function build(o: ImageOptions): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of planImage(tree, { date: Date.UTC(2024, 0, 1), padding: 0, ...o }).stream())
    parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

class Runaway extends Error {}

/** Opens, walks and reads everything; returns what happened in one word. */
async function exercise(img: Uint8Array): Promise<'ok' | 'typed'> {
  let reads = 0;
  const src = {
    read: async (sector: number, count: number) => {
      if (++reads > READ_BUDGET) throw new Runaway(`more than ${READ_BUDGET} reads`);
      return img.slice(
        Math.min(img.length, sector * 2048),
        Math.min(img.length, (sector + count) * 2048),
      );
    },
  };
  try {
    const v = await openVolume(src);
    for await (const e of v.walk('/')) {
      const parts = e.path.split('/').slice(1);
      for (const p of e.path === '/' ? [] : parts) {
        assert.ok(
          p && p !== '.' && p !== '..' && !p.includes('\0'),
          `clean path: ${JSON.stringify(e.path)}`,
        );
      }
      if (e.kind === 'file') for await (const _ of v.read(e)) void _;
    }
    return 'ok';
  } catch (error) {
    if (error instanceof Runaway) throw error;
    if (error instanceof WebdiscError) return 'typed';
    throw error;
  }
}

describe('disc reader on hostile images (fuzz)', () => {
  it(`${RUNS} mutated images end in success or a typed error, in bounded reads`, async () => {
    const bases = [
      await build({}),
      await build({ rockRidge: false, udf: false, level: 1 }),
      await build({ rockRidge: false, joliet: false }),
    ];
    // Where the structures are: the descriptors from sector 16, then path tables and directories.
    const metaEnd = (img: Uint8Array) => Math.min(img.length, 300 * 2048);
    const mutation = fc.record({
      base: fc.integer({ min: 0, max: bases.length - 1 }),
      edits: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    });
    const counts = { ok: 0, typed: 0 };
    await fc.assert(
      fc.asyncProperty(mutation, async ({ base, edits }) => {
        const img = bases[base]!.slice();
        const end = metaEnd(img);
        for (const e of edits)
          img.set(
            e.bytes.subarray(0, end - 16 * 2048),
            16 * 2048 + Math.floor(e.at * (end - 16 * 2048 - 8)),
          );
        counts[await exercise(img)]++;
      }),
      {
        numRuns: RUNS,
        seed: SEED,
        ...(process.env.WEBDISC_FUZZ_PATH ? { path: process.env.WEBDISC_FUZZ_PATH } : {}),
      },
    );
    if (process.env.WEBDISC_FUZZ_RUNS)
      console.log(JSON.stringify({ fuzz: 'disc-reader', runs: RUNS, seed: SEED, ...counts }));
    assert.equal(counts.ok + counts.typed, RUNS);
  });
});
