/**
 * Names a file system hands the builder that no disc name can be (issue 20,
 * part 3): "/", NUL, ".", "..", only dots, lone UTF-16 surrogates (what a
 * file system's undecodable bytes can become), names of 300 bytes and more,
 * names that collide once mapped. Each tree ends either in the builder's
 * typed error (DiscFsError, naming the entry) or in an image that every
 * reader opens: each file back under one clean name per level, with its
 * bytes, and every name shown differently in a namespace listed in the
 * plan's report (a reported rename). Never a crash.
 *
 * `npm test` runs 60 trees from a fixed seed; `npm run fuzz` runs
 * WEBDISC_FUZZ_RUNS (WEBDISC_FUZZ_SEED replays) and prints the figures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bytesSource,
  DiscFsError,
  openIso,
  openUdf,
  planImage,
  type DirEntry,
  type Entry,
  type ReadEntry,
  type UdfEntry,
} from '../src/index.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 60);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x20_3a;

/** Pieces of names a file system can hand over that no disc name is as such. */
const piece = fc.constantFrom(
  'a',
  'Z',
  '.',
  '\uD800',
  '\uDC00',
  '\uDBFF\uDFFF',
  '😀',
  ' ',
  ';1',
  '~1',
  'é',
  '\\',
  ':',
  '*',
  'x'.repeat(100),
  'ü'.repeat(150),
);
/** Mostly names that must be mapped; a few that cannot be names at all ("/", NUL, "..", ""). */
const hostileName = fc.oneof(
  { weight: 8, arbitrary: fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('...', '....', 'a'.repeat(300), '\uD800') },
  { weight: 1, arbitrary: fc.constantFrom('.', '..', 'x\0y', 'a/b', '') },
);

function file(name: string, i: number): Entry {
  const bytes = new Uint8Array(100 + i).fill(i & 0xff);
  return { kind: 'file', name, size: bytes.length, content: bytesSource(bytes) };
}

const treeOf = (names: string[], sub: string[]): DirEntry => ({
  kind: 'dir',
  name: '',
  children: [
    ...names.map(file),
    { kind: 'dir', name: 'd', children: sub.map((n, i) => file(n, i + 50)) },
  ],
});

function clean(name: string): boolean {
  return (
    name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0')
  );
}

async function build(root: DirEntry): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of planImage(root, { date: Date.UTC(2025, 0, 1) }).stream())
    parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

describe('the builder on names that cannot be mapped (issue 20, part 3)', () => {
  it(`${RUNS} trees: a typed error or an image every reader opens, renames reported`, async () => {
    const figures = { tried: 0, planned: 0, typed: 0, crashes: 0, violations: 0, renamed: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileName, { minLength: 1, maxLength: 6 }),
        fc.array(hostileName, { maxLength: 3 }),
        async (names, sub) => {
          figures.tried++;
          const root = treeOf(names, sub);
          let plan;
          try {
            plan = planImage(root, { date: Date.UTC(2025, 0, 1) });
          } catch (error) {
            if (!(error instanceof DiscFsError)) {
              figures.crashes++;
              throw error;
            }
            figures.typed++;
            return;
          }
          figures.planned++;
          figures.renamed += plan.report.renamed.length;
          const img = await build(root);
          const src = {
            read: (s: number, c: number) => Promise.resolve(img.subarray(s * 2048, (s + c) * 2048)),
          };
          const given = [...names.map((n) => `/${n}`), ...sub.map((n) => `/d/${n}`)];
          const renamedPaths = new Set(plan.report.renamed.map((r) => r.path));
          const check = async (
            ns: string,
            root: ReadEntry,
            list: (d: ReadEntry) => Promise<ReadEntry[]>,
          ): Promise<void> => {
            const seen: string[] = [];
            const walk = async (dir: ReadEntry, path: string): Promise<void> => {
              for (const e of await list(dir)) {
                if (!clean(e.name)) figures.violations++;
                assert.ok(clean(e.name), `${ns}: clean name ${JSON.stringify(e.name)}`);
                const p = `${path}/${e.name}`;
                if (e.kind === 'dir') await walk(e, p);
                else seen.push(p);
              }
            };
            await walk(root, '');
            assert.equal(seen.length, given.length, `${ns}: every file is on the disc`);
            if (ns === 'iso9660') return; // every ISO 9660 name differs (case, ";1")
            // A given name the disc does not show is a reported rename.
            const unreported = given.filter((g) => !seen.includes(g) && !renamedPaths.has(g));
            if (unreported.length) figures.violations++;
            assert.deepEqual(unreported, [], `${ns}: renames not in the report`);
          };
          for (const ns of ['rockRidge', 'joliet', 'iso9660'] as const) {
            const v = await openIso(src, ns);
            assert.equal(v.namespace, ns);
            await check(ns, v.root, (d) => v.list(d));
          }
          const udf = await openUdf(src);
          await check('udf', udf.root, (d) => udf.list(d as UdfEntry));
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(JSON.stringify({ fuzz: 'builder-names', runs: RUNS, seed: SEED, ...figures }));
    assert.equal(figures.tried, RUNS);
    assert.equal(figures.crashes + figures.violations, 0);
  });
});
