/**
 * `burn DIR --append [--remove PATH]` and `ls/extract --session N` from the
 * command line, across separate commands on the kept virtual disc: each
 * session shows the merged tree; older ones stay readable.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from './cli.ts';

// The virtual drive keeps its disc in a folder: this file's own, never the user's.
process.env.WEBDISC_VIRTUAL_DIR = mkdtempSync(join(tmpdir(), 'webdisc-append-virtual-'));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: Readable.from(['']),
  });
  return {
    code,
    out,
    err,
    json: () => JSON.parse(out.filter((l) => !l.includes('"progress"')).at(-1)!),
  };
}

describe('webdisc burn --append', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'webdisc-append-'));
    for (const [dir, files] of [
      ['one', { 'keep.txt': 'keep', 'a.txt': 'first a' }],
      ['two', { 'a.txt': 'second a', 'b.txt': 'b' }],
      ['three', { 'c.txt': 'c' }],
    ] as const) {
      await mkdir(join(work, dir));
      for (const [name, text] of Object.entries(files))
        await writeFile(join(work, dir, name), text);
    }
  });
  after(() => rm(work, { recursive: true, force: true }));

  for (const media of ['dvd+r', 'dvd+rw'] as const) {
    it(`${media}: three commands, three trees; ls --session shows the older ones`, async () => {
      assert.equal((await run([`--virtual=${media}`, 'burn', join(work, 'one')])).code, 0);
      const two = await run(['--json', 'burn', join(work, 'two'), '--append', '--verify=full']);
      assert.equal(two.code, 0, two.err.join('\n'));
      assert.deepEqual(two.json().session.edits, [
        { kind: 'replaced', path: '/a.txt' },
        { kind: 'added', path: '/b.txt' },
      ]);
      const three = await run(['burn', join(work, 'three'), '--append', '--remove', '/keep.txt']);
      assert.equal(three.code, 0, three.err.join('\n'));
      const ls = (await run(['--json', 'ls'])).json();
      assert.deepEqual(ls.entries.map((e: { name: string }) => e.name).sort(), [
        'a.txt',
        'b.txt',
        'c.txt',
      ]);
      const dest = join(work, `out-${media}`);
      assert.equal((await run(['extract', '/', dest])).code, 0);
      assert.equal(await readFile(join(dest, 'a.txt'), 'utf8'), 'second a');
      assert.deepEqual((await readdir(dest)).sort(), ['a.txt', 'b.txt', 'c.txt']);
      if (media === 'dvd+r') {
        const first = (await run(['--json', 'ls', '--session', '1'])).json();
        assert.deepEqual(first.entries.map((e: { name: string }) => e.name).sort(), [
          'a.txt',
          'keep.txt',
        ]);
        const old = join(work, 'session1');
        assert.equal((await run(['extract', '/a.txt', old, '--session', '1'])).code, 0);
        assert.equal(await readFile(join(old, 'a.txt'), 'utf8'), 'first a');
        // The whole disc as one image: as it is (a reader of it sees the first session),
        // or --for-copy (the newest session's descriptors at LBA 16: it sees the newest).
        const names = async (image: string) =>
          (await run(['--json', 'ls', '--image', image]))
            .json()
            .entries.map((e: { name: string }) => e.name)
            .sort();
        const plain = join(work, 'plain.iso');
        assert.equal((await run(['save', plain])).code, 0);
        assert.deepEqual(await names(plain), ['a.txt', 'keep.txt']);
        const copy = join(work, 'copy.iso');
        const saved = await run(['save', copy, '--for-copy']);
        assert.equal(saved.code, 0, saved.err.join('\n'));
        assert.match(
          saved.out.join('\n'),
          /newest session's volume descriptors \(LBA \d+\) are at LBA 16/,
        );
        assert.deepEqual(await names(copy), ['a.txt', 'b.txt', 'c.txt']);
      }
    });
  }

  it('refuses --append with an image, and --remove without --append', async () => {
    const img = join(work, 'x.iso');
    await writeFile(img, new Uint8Array(2048 * 20));
    assert.equal((await run(['--virtual=dvd+r', 'burn', img, '--append'])).code, 2);
    assert.equal((await run(['burn', join(work, 'one'), '--remove', '/a'])).code, 2);
  });
});
