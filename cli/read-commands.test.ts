/**
 * `save`, `ls`, `extract` and `verify` from the command line: a folder
 * burned to the virtual disc comes back as the same image and the same
 * files; images made by genisoimage and xorriso are listed and extracted;
 * a failed save leaves nothing under the image's name; extraction never
 * writes outside DEST or over what is there.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { main } from './cli.ts';

// The virtual drive keeps its disc in a folder: this file's own, never the user's.
process.env.WEBDISC_VIRTUAL_DIR = mkdtempSync(join(tmpdir(), 'webdisc-read-virtual-'));

async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: Readable.from([stdin]),
  });
  return { code, out, err };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON lines of several shapes, checked field by field
type Line = Record<string, any>;
const results = (out: string[]) =>
  out.filter((l) => !l.includes('"progress"')).map((l) => JSON.parse(l) as Line);

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return b;
}

async function tree(dir: string, at = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(join(dir, at), { withFileTypes: true })) {
    const rel = `${at}/${e.name}`;
    if (e.isDirectory()) Object.assign(out, { [rel]: 'dir' }, await tree(dir, rel));
    else
      out[rel] = createHash('sha256')
        .update(await readFile(join(dir, rel)))
        .digest('hex');
  }
  return out;
}

describe('webdisc save, ls, extract, verify', () => {
  let work: string;
  let src: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'webdisc-read-'));
    src = join(work, 'src');
    await mkdir(join(src, 'Fotos/2024'), { recursive: true });
    await writeFile(join(src, 'readme.txt'), 'hello\n');
    await writeFile(join(src, 'Fotos/2024/strand.jpg'), bytes(300_000, 1));
    await writeFile(join(src, 'Fotos/leer.txt'), '');
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('burn a folder, then save, ls, extract and verify it in one session', async () => {
    const image = join(work, 'disc.iso');
    const dest = join(work, 'out');
    const r = await run(
      ['--json', '--virtual=dvd+r', 'shell'],
      [
        `burn ${JSON.stringify(src)} --verify=full`,
        `save ${image}`,
        'ls /Fotos --long',
        `extract / ${dest}`,
        `verify ${src}`,
        `verify ${image}`,
      ].join('\n') + '\n',
    );
    const [burn, save, ls, extract, vdir, vimg] = results(r.out);
    for (const x of [burn, save, ls, extract, vdir, vimg])
      assert.equal(x!.ok, true, JSON.stringify(x));
    assert.equal(save!.save.sha256, burn!.burn.sha256, 'the saved image is what was burned');
    assert.equal(
      save!.save.sha256,
      createHash('sha256')
        .update(await readFile(image))
        .digest('hex'),
    );
    assert.equal(save!.map, null);
    assert.deepEqual(
      ls!.entries.map((e: { name: string; kind: string }) => `${e.kind} ${e.name}`).sort(),
      ['dir 2024', 'file leer.txt'],
    );
    assert.deepEqual(await tree(dest), await tree(src));
    assert.equal(vdir!.verify.files, 3);
    assert.equal(
      (await readdir(work)).filter((n) => n.endsWith('.part') || n.endsWith('.map')).length,
      0,
    );
  });

  it('verify names the first difference: a changed file, and a different image', async () => {
    const changed = join(work, 'changed');
    await mkdir(join(changed, 'Fotos/2024'), { recursive: true });
    await writeFile(join(changed, 'readme.txt'), 'hello\n');
    await writeFile(join(changed, 'Fotos/leer.txt'), '');
    const jpg = bytes(300_000, 1);
    jpg[123_456] = jpg[123_456]! ^ 1;
    await writeFile(join(changed, 'Fotos/2024/strand.jpg'), jpg);
    const other = join(work, 'other.iso');
    await writeFile(other, bytes(2048 * 40, 7));
    const r = await run(
      ['--json', '--virtual=dvd+r', 'shell'],
      `burn ${src}\nverify ${changed}\nverify ${other}\n`,
    );
    const [, vdir, vimg] = results(r.out);
    assert.equal(vdir!.name, 'E_IMAPI_BURN_VERIFICATION_FAILED');
    assert.match(vdir!.message, /first at \/Fotos\/2024\/strand\.jpg: different content/);
    assert.equal(vimg!.name, 'E_IMAPI_BURN_VERIFICATION_FAILED');
    assert.match(vimg!.message, /first at LBA 0/);
  });

  it('ls and extract read images that genisoimage and xorriso made', async () => {
    for (const [tool, args] of [
      ['genisoimage', ['-quiet', '-J', '-R', '-udf', '-o']],
      ['xorriso', ['-as', 'mkisofs', '-quiet', '-J', '-R', '-o']],
    ] as const) {
      const iso = join(work, `${tool}.iso`);
      const made = spawnSync(tool, [...args, iso, src], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      const dest = join(work, `from-${tool}`);
      const ls = await run(['--json', 'ls', '--image', iso]);
      assert.equal(ls.code, 0, ls.err.join('\n'));
      assert.match(JSON.parse(ls.out[0]!).volume.fileSystem, /Rock Ridge/);
      const ex = await run(['extract', '--image', iso, '/', dest]);
      assert.equal(ex.code, 0, ex.err.join('\n'));
      assert.deepEqual(await tree(dest), await tree(src), tool);
    }
  });

  it('extract refuses to write over what is in DEST, and leaves it as it was', async () => {
    const iso = join(work, 'x.iso');
    assert.equal((await run(['mkiso', src, '-o', iso])).code, 0);
    const dest = join(work, 'busy');
    await mkdir(dest);
    await writeFile(join(dest, 'readme.txt'), 'mine');
    const ex = await run(['extract', '--image', iso, '/readme.txt', dest]);
    assert.equal(ex.code, 1);
    assert.match(ex.err.join('\n'), /already exists|EEXIST/);
    assert.equal(await readFile(join(dest, 'readme.txt'), 'utf8'), 'mine');
    assert.deepEqual((await readdir(dest)).sort(), ['readme.txt']);
  });

  it('a save that cannot start leaves no file behind; a bad path on the disc is an error in words', async () => {
    const image = join(work, 'blank.iso');
    const r = await run(['--virtual=dvd+r', 'save', image]);
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), /IMAPI_E_EMPTY_DISC.*blank/);
    assert.deepEqual(
      (await readdir(work)).filter((n) => n.startsWith('blank.iso')),
      [],
    );
    const iso = join(work, 'y.iso');
    assert.equal((await run(['mkiso', src, '-o', iso])).code, 0);
    const ls = await run(['ls', '--image', iso, '/nope']);
    assert.equal(ls.code, 1);
    assert.match(ls.err.join('\n'), /"\/nope" is not on the disc/);
  });
});
