/**
 * `webdisc mkiso` and `webdisc burn DIR...` on real folders, checked by the
 * independent readers Debian ships (xorriso, isoinfo, 7-Zip): every file
 * comes back byte-identical with its name; a burned folder reads back from
 * the virtual disc as exactly the image mkiso writes for the same folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from './cli.ts';
import { writeImage, plan, treeFromPaths } from './files.ts';

// The virtual drive keeps its disc in a folder between commands: this file's own, never the user's.
process.env.WEBDISC_VIRTUAL_DIR = mkdtempSync(join(tmpdir(), 'webdisc-files-virtual-'));

async function run(argv: string[], stdin = '', env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      stdin: Readable.from([stdin]),
    });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Every file and link under `dir`, as path → sha256 of the bytes or "-> target".
 * The empty `/rr_moved` that deep trees bring (Rock Ridge relocation, RRIP 4.1.5;
 * see disc-fs/README.md) is not one of the user's folders.
 */
async function contents(dir: string, at = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(join(dir, at), { withFileTypes: true })) {
    const rel = `${at}/${e.name}`;
    if (rel === '/rr_moved') continue;
    if (e.isDirectory()) {
      out.set(rel, 'dir');
      for (const [k, v] of await contents(dir, rel)) out.set(k, v);
    } else if (e.isSymbolicLink()) out.set(rel, `-> ${await readlink(join(dir, rel))}`);
    else
      out.set(
        rel,
        createHash('sha256')
          .update(await readFile(join(dir, rel)))
          .digest('hex'),
      );
  }
  return out;
}

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return b;
}

describe('webdisc mkiso and burn DIR', () => {
  let work: string;
  let src: string;
  const names = [
    'Résumé 2024.pdf',
    'Ελληνικά.txt',
    '日本語のファイル名.txt',
    'emoji 😀.txt',
    'UPPER.TXT',
  ];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'webdisc-files-'));
    src = join(work, 'src');
    await mkdir(join(src, 'a/b/c/d/e/f/g/h/i/j'), { recursive: true });
    await mkdir(join(src, 'empty folder'));
    for (const [i, n] of names.entries()) await writeFile(join(src, n), bytes(i * 1000, i + 1));
    for (const [i, size] of [0, 1, 2047, 2048, 2049].entries())
      await writeFile(join(src, 'a', `size-${size}`), bytes(size, 40 + i));
    await writeFile(join(src, 'a/b/c/d/e/f/g/h/i/j/deep.bin'), bytes(70_000, 9));
    await symlink('../UPPER.TXT', join(src, 'a/link'));
    // Times well in the past and atime after mtime: reading the files does not change them.
    const when = new Date('2023-06-01T12:00:00Z');
    for (const [p] of await contents(src))
      await utimes(join(src, p), new Date('2023-06-02T00:00:00Z'), when).catch(() => {});
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('mkiso: xorriso (Rock Ridge), isoinfo (Joliet) and 7-Zip read every file back byte-identical', async () => {
    const iso = join(work, 'out.iso');
    const r = await run(['--json', 'mkiso', src, '-o', iso, '--label', 'Backup 2024'], '', {
      SOURCE_DATE_EPOCH: '1700000000',
    });
    assert.equal(r.code, 0, r.err.join('\n'));
    const result = JSON.parse(r.out[0]!);
    assert.equal(result.plan.files, names.length + 6);
    assert.ok(
      result.plan.renamed.some(
        (c: { path: string; iso9660?: string }) => c.path === '/Ελληνικά.txt' && c.iso9660,
      ),
      'the name report lists the ISO 9660 name of a Greek file name',
    );
    assert.equal(
      result.image.sha256,
      createHash('sha256')
        .update(await readFile(iso))
        .digest('hex'),
    );

    const want = await contents(src);
    const viaXorriso = join(work, 'x');
    tool('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/', viaXorriso]);
    assert.deepEqual(await contents(viaXorriso), want);

    const viaSeven = join(work, 'z');
    tool('7zz', ['x', '-y', `-o${viaSeven}`, iso]);
    const seven = await contents(viaSeven);
    for (const [p, h] of want)
      if (!h.startsWith('->')) assert.equal(seven.get(p), h, `7-Zip: ${p}`);

    // Joliet (what Windows reads): xorriso with Rock Ridge ignored; symbolic links are not in Joliet.
    const viaJoliet = join(work, 'j');
    tool('xorriso', [
      '-read_fs',
      'norock',
      '-osirrox',
      'on',
      '-indev',
      iso,
      '-extract',
      '/',
      viaJoliet,
    ]);
    const joliet = await contents(viaJoliet);
    for (const [p, h] of want)
      if (!h.startsWith('->')) assert.equal(joliet.get(p), h, `Joliet: ${p}`);
    // isoinfo's plain ISO 9660 view: d-character names with versions.
    assert.match(tool('isoinfo', ['-f', '-i', iso]), /^\/UPPER\.TXT;1$/m);
    assert.match(tool('isoinfo', ['-d', '-i', iso]), /Volume id: BACKUP_2024/);
  });

  it('mkiso: the same folder and date give the same bytes', async () => {
    const a = join(work, 'a.iso');
    const b = join(work, 'b.iso');
    for (const o of [a, b]) {
      const r = await run(['mkiso', src, '-o', o, '--date', '2024-01-01T00:00:00Z']);
      assert.equal(r.code, 0, r.err.join('\n'));
    }
    assert.deepEqual(await readFile(a), await readFile(b));
  });

  it('burn DIR: the virtual disc holds exactly the image mkiso writes, and extracts identically', async () => {
    const iso = join(work, 'ref.iso');
    assert.equal((await run(['mkiso', src, '-o', iso, '--date', '1700000000'])).code, 0);
    const size = (await readFile(iso)).length / 2048;
    const disc = join(work, 'disc.iso');
    const r = await run(
      ['--json', '--virtual=dvd+r', 'shell'],
      `burn ${JSON.stringify(src)} --verify=full --date 1700000000\nread 0 ${size} ${disc}\n`,
    );
    const [burn, read] = r.out.filter((l) => !l.includes('"progress"')).map((l) => JSON.parse(l));
    assert.equal(burn.ok, true, JSON.stringify(burn));
    assert.equal(read.ok, true, JSON.stringify(read));
    assert.equal(burn.burn.sectorCount, size);
    const ref = await readFile(iso);
    assert.equal(burn.burn.sha256, createHash('sha256').update(ref).digest('hex'));
    assert.deepEqual(await readFile(disc), ref);
    const out = join(work, 'from-disc');
    tool('xorriso', ['-osirrox', 'on', '-indev', disc, '-extract', '/', out]);
    assert.deepEqual(await contents(out), await contents(src));
  });

  it('burn DIR: a folder too big for the disc fails before any write, in words', async () => {
    const big = join(work, 'big');
    await mkdir(big);
    await writeFile(join(big, 'sparse.img'), '');
    await (await import('node:fs/promises')).truncate(join(big, 'sparse.img'), 800e6);
    const r = await run(['--virtual=cd-r', 'shell'], `burn ${big}\nmedia\n`);
    assert.match(r.out[0]!, /E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA/);
    assert.match(r.out.join('\n'), /blank/, 'the CD-R is still blank');
  });

  it('mkiso: a failure while streaming leaves no partial image and the old one untouched', async () => {
    const out = join(work, 'keep.iso');
    await writeFile(out, 'previous image');
    const tree = await treeFromPaths([src]);
    // One file's bytes vanish after the check: the stream stops with its name.
    const deep = tree.root.children.find((c) => c.name === 'a');
    assert.ok(deep?.kind === 'dir');
    const victim = deep.children.find((c) => c.name === 'size-2049');
    assert.ok(victim?.kind === 'file');
    let checks = 0;
    Object.assign(victim, {
      content: {
        read: async (offset: number, length: number) =>
          offset >= 2048 && checks++ === 0 ? bytes(Math.min(length, 2), 1) : new Uint8Array(0),
      },
    });
    const p = plan(tree, {});
    await assert.rejects(writeImage(tree, p.plan, out), (e: Error & { hresultName?: string }) => {
      assert.equal(e.hresultName, 'IMAPI_E_DATA_STREAM_INCONSISTENCY');
      assert.match(e.message, /\/a\/size-2049/);
      return true;
    });
    assert.equal(await readFile(out, 'utf8'), 'previous image');
    assert.deepEqual(
      (await readdir(work)).filter((n) => n.includes('partial')),
      [],
      'no temporary file is left behind',
    );
  });

  it('mkiso --boot/--efi: xorriso reports the BIOS and UEFI El Torito entries; a missing one is refused', async () => {
    const tree = join(work, 'bootable');
    await mkdir(join(tree, 'boot'), { recursive: true });
    await writeFile(join(tree, 'boot/eltorito.img'), bytes(2048, 3));
    await writeFile(join(tree, 'boot/efi.img'), new Uint8Array(1474560));
    const iso = join(work, 'boot.iso');
    const r = await run([
      'mkiso',
      tree,
      '-o',
      iso,
      '--boot',
      'boot/eltorito.img',
      '--efi',
      'boot/efi.img',
    ]);
    assert.equal(r.code, 0, r.err.join('\n'));
    const report = tool('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
    assert.match(report, /El Torito boot img :\s+1\s+BIOS\s+y\s+none/);
    assert.match(report, /El Torito boot img :\s+2\s+UEFI\s+y\s+none/);
    assert.match(report, /img path :\s+2\s+\/boot\/efi\.img/);
    const missing = await run([
      'mkiso',
      tree,
      '-o',
      join(work, 'm.iso'),
      '--boot',
      'boot/nope.img',
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.err.join('\n'), /IMAPI_E_INVALID_PATH.*\/boot\/nope\.img/);
  });

  it('mkiso --udf-revision 2.50: udfinfo reads UDF 2.50 and 7-Zip extracts every file from it', async () => {
    // 7-Zip gives up on a UDF volume holding a symbolic link (disc-fs/README.md): a tree without one.
    const plain = join(work, 'plain');
    await mkdir(join(plain, 'deep/er'), { recursive: true });
    for (const [i, n] of names.entries()) await writeFile(join(plain, n), bytes(i * 3000, i + 7));
    await writeFile(join(plain, 'deep/er/x.bin'), bytes(5000, 3));
    const iso = join(work, 'udf250.iso');
    const r = await run(['mkiso', plain, '-o', iso, '--udf-revision', '2.50']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(tool('udfinfo', [iso]), /^udfrev=2\.50$/m);
    const out = join(work, 'u250');
    tool('7zz', ['x', '-y', '-tudf', `-o${out}`, iso]);
    const got = await contents(out);
    assert.deepEqual(got, await contents(plain));
    assert.equal((await run(['mkiso', plain, '-o', iso, '--udf-revision', '3'])).code, 2);
  });

  it('usage errors: mkiso without -o, a missing path, and image options on an image burn', async () => {
    assert.equal((await run(['mkiso', src])).code, 2);
    const missing = await run(['mkiso', join(work, 'nope'), '-o', join(work, 'n.iso')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err.join('\n'), /IMAPI_E_INVALID_PATH/);
    const iso = join(work, 'a.iso');
    assert.equal((await run(['--virtual=dvd+r', 'burn', iso, '--label', 'X'])).code, 2);
  });
});
