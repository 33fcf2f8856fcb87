/**
 * Property test: random trees (names in many scripts, collisions after
 * mapping, depths past eight levels, sizes at sector edges) built into
 * images and extracted by xorriso from each ISO namespace and by 7-Zip from
 * UDF. Every file must come back byte-identical under the name the report
 * gives. Fixed seed and a small run count keep it quick and repeatable.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type { DirEntry, Entry } from '../src/tree.ts';
import {
  asSevenZipShows,
  buildImage,
  diffViews,
  expectedView,
  has,
  readExtracted,
  runOk,
  sevenZip,
  tempDir,
  xorrisoExtract,
} from './tools.ts';
import { dir, file } from './trees.ts';

const CHARS = Array.from(
  "abcxyzABCXYZ0189 ._-~;,+=()[]{}!@#$%&'" +
    'éÜßñåøçÆ' + // Latin-1
    'ĞŁőžŒ' + // Latin Extended
    'ΩλΣ' + // Greek
    'ЖжЯ' + // Cyrillic
    'שלום' + // Hebrew
    'عربي' + // Arabic
    'हिंदी' + // Devanagari
    'ไทย' + // Thai
    '中文日本語' + // CJK
    '한국어' + // Hangul
    'ｶﾀｶﾅ' + // half-width katakana
    '🎉😀𝄞', // outside the BMP: surrogate pairs in Joliet and UDF
);

const name = (max: number) =>
  fc
    .array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: max })
    .map((cs) => cs.join(''))
    .filter((n) => n !== '.' && n !== '..');

const size = fc.oneof(fc.constantFrom(0, 1, 2047, 2048, 2049), fc.integer({ min: 0, max: 9000 }));

const leaf: fc.Arbitrary<Entry> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(name(40), size, fc.nat()).map(([n, s, seed]) => file(n, s, seed)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(name(12), fc.array(name(10), { minLength: 1, maxLength: 4 }))
      .map(([n, parts]): Entry => ({ kind: 'symlink', name: n, target: parts.join('/') })),
  },
);

const children = (depth: number): fc.Arbitrary<Entry[]> =>
  fc.uniqueArray(
    depth <= 0
      ? leaf
      : fc.oneof(
          { weight: 3, arbitrary: leaf },
          {
            weight: 1,
            arbitrary: fc.tuple(name(16), children(depth - 1)).map(([n, c]) => dir(n, c)),
          },
        ),
    { selector: (e) => e.name, maxLength: 7 },
  );

/** A chain of `n` nested directories, so some trees go past ISO 9660's eight levels. */
const chain = fc.tuple(fc.integer({ min: 0, max: 12 }), name(8), size).map(([n, base, s]) => {
  let d: DirEntry = dir(`${base}-end`, [file('leaf.bin', s, n)]);
  for (let i = n; i > 0; i--) d = dir(`${base}-${i}`, [d]);
  return d;
});

const tree = fc
  .tuple(children(3), chain)
  .map(([c, deep]) => dir('', c.some((e) => e.name === deep.name) ? c : [...c, deep]));

/** fast-check keeps the failing assertion as `cause`, which node:test does not print. */
async function assertProperty(...args: Parameters<typeof fc.assert>): Promise<void> {
  try {
    await fc.assert(...args);
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    throw new Error(
      `${(e as Error).message}\n${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause: e,
      },
    );
  }
}

describe('random trees, read back by xorriso and 7-Zip', () => {
  const tmp = tempDir();
  after(() => tmp.remove());
  let run = 0;

  it('every file comes back byte-identical in every namespace', async () => {
    await assertProperty(
      fc.asyncProperty(tree, fc.constantFrom<1 | 2 | 3>(1, 2, 3), async (root, level) => {
        const at = join(tmp.path, `run-${run++}`);
        runOk('mkdir', ['-p', at]);
        const { plan, path } = await buildImage(
          root,
          { date: Date.UTC(2024, 2, 3), level, udfSymlinks: false },
          at,
        );
        for (const view of ['rockRidge', 'joliet', 'iso9660'] as const) {
          const into = join(at, view);
          xorrisoExtract(path, into, view);
          assert.deepEqual(
            diffViews(await expectedView(root, plan.report, view), readExtracted(into)),
            [],
            view,
          );
        }
        if (has(sevenZip)) {
          const into = join(at, 'udf');
          runOk(sevenZip, ['x', '-tudf', `-o${into}`, path]);
          const expected = asSevenZipShows(await expectedView(root, plan.report, 'udf'));
          assert.deepEqual(diffViews(expected, readExtracted(into)), [], 'udf');
        }
        runOk('rm', ['-rf', at]);
      }),
      { seed: 20240303, numRuns: 40, endOnFailure: true },
    );
  });
});
