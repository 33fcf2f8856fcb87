import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { HRESULT } from '../contract/hresult.ts';
import { main, splitLine } from './cli.ts';

// The virtual drive keeps its disc in a folder between commands: this file's own, never the user's.
process.env.WEBDISC_VIRTUAL_DIR = mkdtempSync(join(tmpdir(), 'webdisc-cli-virtual-'));

async function run(
  argv: string[],
  stdin = '',
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: Readable.from([stdin]),
  });
  return { code, out, err };
}

const json = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('webdisc CLI', () => {
  it('scripts a lock-count sequence in the shell, one JSON result per line', async () => {
    const { code, out } = await run(
      ['--json', '--virtual=dvd+r', 'shell'],
      'acquire "Archive Tool"\nacquire "Archive Tool" force\nowner\nrelease\nrelease\nrelease\nowner\n',
    );
    const results = json(out);
    assert.equal(results.length, 7);
    assert.deepEqual(
      results.map((r) => (r.ok ? ((r.lock as { count?: number })?.count ?? r.owner) : r.name)),
      [1, 2, 'Archive Tool', 1, 0, 'E_FAIL', ''],
    );
    assert.equal(results[5]!.hresult, HRESULT.E_FAIL);
    assert.equal(code, 1, 'a failed line makes the shell exit 1');
  });

  it('refuses an invalid client name with E_INVALIDARG and leaves the drive free', async () => {
    const { out } = await run(['--json', '--virtual', 'shell'], 'acquire "no/slashes"\nstate\n');
    const [bad, state] = json(out);
    assert.equal(bad!.name, 'E_INVALIDARG');
    assert.equal((state!.lock as { owner: string }).owner, '');
  });

  it('runs the IMAPI v1 open/close pair and reports a second open', async () => {
    const { out } = await run(['--json', '--virtual=cd-rw', 'shell'], 'open\nopen\nclose\nclose\n');
    assert.deepEqual(
      json(out).map((r) => (r.ok ? 'ok' : r.name)),
      ['ok', 'IMAPI_E_ALREADYOPEN', 'ok', 'IMAPI_E_NOTOPENED'],
    );
  });

  it('ejects and loads, and reads the media of each virtual medium', async () => {
    const { out } = await run(
      ['--json', '--virtual=bd-re', 'shell'],
      'eject\nmedia\nload\nmedia\n',
    );
    const [ejected, open, loaded, media] = json(out);
    assert.equal(ejected!.ok, true);
    assert.equal((open!.media as { present: boolean; trayOpen: boolean }).trayOpen, true);
    assert.equal(loaded!.ok, true);
    assert.equal((media!.media as { physicalType: string }).physicalType, 'IMAPI_MEDIA_TYPE_BDRE');
  });

  it('prints media and info for humans', async () => {
    const media = await run(['--virtual=none', 'media']);
    assert.equal(media.code, 0);
    assert.match(media.out.join('\n'), /no disc/);
    const info = await run(['--virtual=dvd-rom', 'info']);
    assert.match(info.out.join('\n'), /WEBDISC Virtual recorder/);
    assert.match(info.out.join('\n'), /\[DVD-ROM\]/);
  });

  it('sends raw CDBs: data in, data out, and sense back as a failure', async () => {
    const inquiry = await run(['--json', '--virtual', 'raw', '12 00 00 00 24 00', '--in', '36']);
    assert.equal(inquiry.code, 0);
    const data = Buffer.from(json(inquiry.out)[0]!.data as string, 'hex');
    assert.equal(data.subarray(8, 15).toString('ascii'), 'WEBDISC');

    const dir = await mkdtemp(join(tmpdir(), 'webdisc-'));
    const file = join(dir, 'block.bin');
    await writeFile(file, Buffer.alloc(2048, 0x41));
    const write = await run(
      ['--json', '--virtual=cd-r', 'shell'],
      `media\nraw "2a 00 00 00 00 00 00 00 01 00" --out ${file}\n` +
        `acquire Raw\nraw "2a 00 00 00 00 00 00 00 01 00" --out ${file}\nrelease\n`,
    );
    const [, refused, , written] = json(write.out);
    // A write without exclusive access never reaches the drive (issue 14).
    assert.equal(refused!.ok, false);
    assert.equal(refused!.name, 'E_IMAPI_RECORDER_LOCKED');
    assert.equal(written!.ok, true, write.out.join('\n'));

    const empty = await run(
      ['--json', '--virtual=none', 'shell'],
      'media\nraw "28 00 00 00 00 00 00 00 01 00" --in 2048\n',
    );
    const failure = json(empty.out)[1]!;
    assert.equal(failure.ok, false);
    assert.equal(failure.name, 'S_IMAPI_COMMAND_HAS_SENSE_DATA');
    assert.deepEqual(
      { key: (failure.sense as { key: number }).key, asc: (failure.sense as { asc: number }).asc },
      { key: 2, asc: 0x3a },
    );
  });

  it('rejects bad input with a clear error and a usage exit code', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal(
      (await run(['--virtual', 'frobnicate'])).code,
      2,
      'an unknown command is a usage error',
    );
    const media = await run(['--virtual=floppy', 'media']);
    assert.equal(media.code, 1);
    assert.match(media.err.join('\n'), /E_INVALIDARG: Unknown medium "floppy"/);
    const raw = await run(['--json', '--virtual', 'raw', 'zz']);
    assert.equal(json(raw.out)[0]!.name, 'E_INVALIDARG');
    assert.equal((await run(['--virtual', 'acquire', 'X'])).code, 2, 'acquire is a shell command');
  });

  it('takes every spelling of the options: global ones anywhere, values inline or apart', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['--virtual', 'media', '--help']]) {
      const { code, out } = await run(argv);
      assert.equal(code, 0, argv.join(' '));
      assert.match(out.join('\n'), /^usage: webdisc /m);
    }
    const after = await run(['media', '--virtual=dvd+r', '--json']);
    assert.equal(after.code, 0);
    assert.equal(
      (json(after.out)[0]!.media as { physicalType: string }).physicalType,
      'IMAPI_MEDIA_TYPE_DVDPLUSR',
    );
    // Plain --virtual: the disc the drive kept from the command before (issue 17).
    const bare = await run(['--virtual', '--json', 'media']);
    assert.equal(
      (json(bare.out)[0]!.media as { physicalType: string }).physicalType,
      'IMAPI_MEDIA_TYPE_DVDPLUSR',
    );
    const erased = await run(
      ['--json', '--virtual=cd-rw', 'shell'],
      'erase --name "Archive Tool" --full\nerase --name=Nightly\nraw "12 00 00 00 24 00" --in=36\n',
    );
    assert.deepEqual(
      json(erased.out)
        .filter((l) => 'ok' in l)
        .map((l) => l.ok),
      [true, true, true],
    );
  });

  it('rejects unknown options and stray words with a clear error and exit code 2', async () => {
    const bogus = await run(['--bogus']);
    assert.equal(bogus.code, 2);
    assert.match(bogus.err[0]!, /^unknown option --bogus\n/);
    for (const [argv, message] of [
      [['--virtual', 'media', '--bogus'], /^media: unknown option --bogus/],
      [['--virtual=cd-rw', 'erase', '--fast'], /^erase: unknown option --fast/],
      [['--virtual=cd-rw', 'erase', '--full=yes'], /^erase: .*--full/],
      [['--virtual', 'media', 'extra'], /^usage: media/],
      [['--virtual', 'lock', '--name', 'X', '--forever'], /^lock: unknown option --forever/],
      [['--virtual', 'lock'], /^usage: lock --name NAME/],
      [['--virtual', 'shell', 'now'], /^usage: shell/],
      [['--json=yes', 'media'], /^--json takes no value/],
      [['--virtual', 'media', '--device'], /^--device needs an ID/],
    ] as const) {
      const { code, err } = await run([...argv]);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err[0]!, message);
    }
    const { code, out } = await run(['--json', '--virtual', 'shell'], 'media --bogus\nmedia\n');
    const [bad, good] = json(out);
    assert.equal(bad!.name, 'E_INVALIDARG');
    assert.match(bad!.message as string, /unknown option --bogus/);
    assert.equal(good!.ok, true, 'the shell goes on after a usage error');
    assert.equal(code, 1);
  });

  it('burns an image file with verification, reads it back, and prints JSON progress lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdisc-'));
    const iso = join(dir, 'image.iso');
    const back = join(dir, 'back.bin');
    const bytes = Buffer.alloc(300 * 2048);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 11)) & 0xff;
    await writeFile(iso, bytes);
    const { code, out } = await run(
      ['--json', '--virtual=bd-r', 'shell'],
      `burn ${iso} --verify=full --close --name "Archive 2026"\nread 0 300 ${back}\nmedia\n`,
    );
    assert.equal(code, 0, out.join('\n'));
    const lines = json(out);
    const progress = lines
      .filter((l) => 'progress' in l)
      .map((l) => (l.progress as { action: string }).action);
    assert.ok(
      progress.includes('writing') &&
        progress.includes('verifying') &&
        progress.at(-1) === 'completed',
    );
    const burn = lines.find((l) => l.command === 'burn')!.burn as {
      sha256: string;
      sectorCount: number;
    };
    assert.equal(burn.sectorCount, 300);
    assert.equal(burn.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.ok((await readFile(back)).equals(bytes));
    const media = lines.find((l) => l.command === 'media')!.media as { status: string };
    assert.equal(media.status, 'complete');
  });

  it('erases a rewritable disc and refuses a write-once one', async () => {
    const rw = await run(['--json', '--virtual=dvd-rw', 'erase', '--full']);
    assert.equal(rw.code, 0);
    assert.equal((json(rw.out).at(-1)!.erase as { method: string }).method, 'blank-full');
    const r = await run(['--json', '--virtual=dvd-r', 'erase']);
    assert.equal(r.code, 1);
    assert.equal(json(r.out).at(-1)!.name, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE');
  });

  it('reports burn failures with the failing LBA, and bad arguments as usage errors', async () => {
    const missing = await run(['--json', '--virtual=cd-r', 'burn', '/nonexistent/image.iso']);
    assert.equal(json(missing.out)[0]!.name, 'E_INVALIDARG');
    assert.equal((await run(['--virtual=cd-r', 'burn', 'x.iso', '--verify=sometimes'])).code, 2);
    assert.equal((await run(['--virtual=cd-r', 'read', '0'])).code, 2);
  });

  it('splits shell lines with quotes', () => {
    assert.deepEqual(splitLine(`acquire "My App" force`), ['acquire', 'My App', 'force']);
    assert.deepEqual(splitLine(`raw '12 00' --in 4`), ['raw', '12 00', '--in', '4']);
  });

  it('`webdisc lock` holds the lock until SIGINT, then releases cleanly (the real binary)', async () => {
    const child = spawn(
      process.execPath,
      ['bin/webdisc.mjs', '--json', '--virtual', 'lock', '--name', 'Nightly Backup'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    let buffer = '';
    const firstLine = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        lines.push(...parts);
        if (lines.length >= 1) resolve();
      });
    });
    await firstLine;
    const held = JSON.parse(lines[0]!) as { ok: boolean; lock: { count: number; owner: string } };
    assert.equal(held.ok, true);
    assert.equal(held.lock.owner, 'Nightly Backup');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    const released = JSON.parse(lines[1] ?? buffer) as {
      ok: boolean;
      command: string;
      signal: string;
      lock: { count: number };
    };
    assert.equal(released.command, 'release');
    assert.equal(released.signal, 'SIGINT');
    assert.equal(released.lock.count, 0);
  });
});

describe('webdisc CLI: nothing after the last release (issue 13, item 18)', () => {
  async function shellTrace(script: string): Promise<string[]> {
    const { Cli } = await import('./cli.ts');
    const io = { out: () => undefined, err: () => undefined };
    const cli = await Cli.create(
      { json: true, help: false, virtual: 'dvd+r', device: undefined, command: 'shell', args: [] },
      io,
    );
    const names: string[] = [];
    await cli.service.subscribe((e) => {
      if (e.type === 'trace') names.push(e.entry.name);
    });
    await cli.shell(Readable.from([script]));
    await cli.dispose();
    return names;
  }

  /**
   * The release's own commands end the trace: ALLOW, the drive's word that
   * the tray is unlocked (mode page 2Ah, issue 14), then RELEASE(6).
   */
  const endsWithRelease = (names: string[]) => {
    assert.deepEqual(
      names.slice(-3),
      ['PREVENT ALLOW MEDIUM REMOVAL', 'MODE SENSE(10)', 'RELEASE(6)'],
      names.join(', '),
    );
  };

  it('acquire, release, exit: nothing after the release (no MODE SENSE)', async () => {
    endsWithRelease(await shellTrace('acquire Tester\nrelease\n'));
  });

  it('exit while holding the drive releases it, and sends nothing after', async () => {
    endsWithRelease(await shellTrace('acquire Tester\nacquire Tester\n'));
  });

  it('a shell that never locked sends nothing at exit', async () => {
    const names = await shellTrace('');
    assert.deepEqual(names, []);
  });
});

describe('webdisc burn of a file that is not a disc image (issue 19, defect 1)', () => {
  it('warns before burning, and says which in --json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdisc-raw-'));
    const raw = join(dir, 'raw.bin');
    await writeFile(
      raw,
      new Uint8Array(40 * 2048).map((_, i) => (i * 7) & 0xff),
    );
    const text = await run(['--virtual=dvd+r', 'burn', raw]);
    assert.equal(text.code, 0);
    assert.match(text.err.join('\n'), /^warning: This file has no ISO 9660 or UDF file system/m);
    const json = await run(['--json', '--virtual=dvd+r', 'burn', raw]);
    const result = JSON.parse(json.out.filter((l) => !l.includes('"progress"')).at(-1)!);
    assert.equal(result.image.fileSystem, 'unknown');
    assert.match(result.image.warning, /raw data/);
    assert.deepEqual(json.err, []);
  });
});
