/**
 * The virtual drive keeps its disc between commands (issue 17): each `main`
 * call here builds a new service and a new virtual recorder, as a new
 * process would, on the same virtual folder (cli/virtual-dir.ts).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { main } from './cli.ts';
import { STATE_FILE, VirtualDriveBusyError, readSavedDrive, virtualDir } from './virtual-dir.ts';
import { VirtualDrive } from './virtual.ts';

// A net: every test names its own folder with --virtual-dir.
process.env.WEBDISC_VIRTUAL_DIR = mkdtempSync(join(tmpdir(), 'webdisc-persist-net-'));
const BIN = fileURLToPath(new URL('../bin/webdisc.mjs', import.meta.url));

type Json = Record<string, unknown>;
interface Track {
  number: number;
  session: number;
  start: number;
  size: number;
}
interface Media {
  present: boolean;
  trayOpen: boolean;
  physicalType: string;
  status: string;
  sessions: number;
  tracks: Track[];
  freeBlocks: number;
}

async function folder(): Promise<{ dir: string; work: string }> {
  const work = await mkdtemp(join(tmpdir(), 'webdisc-persist-'));
  return { dir: join(work, 'virtual'), work };
}

/** One command as a new process would run it, on the virtual folder `dir`. */
async function run(dir: string, argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--json', '--virtual-dir', dir, ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: Readable.from([stdin]),
  });
  return { code, lines: out.map((l) => JSON.parse(l) as Json), err };
}

async function media(dir: string): Promise<Media> {
  const r = await run(dir, ['media']);
  assert.equal(r.code, 0, JSON.stringify(r));
  return r.lines[0]!.media as Media;
}

async function readBack(dir: string, work: string, lba: number, count: number): Promise<Buffer> {
  const file = join(work, `read-${lba}-${count}.bin`);
  const r = await run(dir, ['read', String(lba), String(count), file]);
  assert.equal(r.code, 0, JSON.stringify(r));
  return readFile(file);
}

async function image(work: string, name: string, sectors: number): Promise<Buffer> {
  const bytes = randomBytes(sectors * 2048);
  await writeFile(join(work, name), bytes);
  return bytes;
}

/** The real binary, its JSON lines as they come. */
function spawnCli(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  lines: Json[];
  next: (test: (l: Json) => boolean) => Promise<Json>;
} {
  const child = spawn(process.execPath, [BIN, '--json', ...args]);
  const lines: Json[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const p of parts) if (p) lines.push(JSON.parse(p) as Json);
    for (const w of waiters.splice(0)) w();
  });
  const next = (test: (l: Json) => boolean) =>
    new Promise<Json>((resolve, reject) => {
      const look = () => {
        const found = lines.find(test);
        if (found) resolve(found);
        else if (child.exitCode !== null) reject(new Error(`exited: ${JSON.stringify(lines)}`));
        else waiters.push(look);
      };
      child.once('exit', () => look());
      look();
    });
  return { child, lines, next };
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<unknown>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
    else child.once('exit', resolve);
  });

describe('webdisc: the virtual disc persists between commands (issue 17)', () => {
  it('a burned image: media and read in later commands see it; the folder holds one sparse image', async () => {
    const { dir, work } = await folder();
    const bytes = await image(work, 'a.img', 100);
    const burn = await run(dir, ['--virtual=dvd+r', 'burn', join(work, 'a.img')]);
    assert.equal(burn.code, 0, JSON.stringify(burn));

    const m = await media(dir);
    assert.equal(m.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR');
    assert.equal(m.status, 'appendable');
    assert.deepEqual(m.tracks[0], { number: 1, session: 1, start: 0, size: 100, mode: 'data' });
    assert.deepEqual(await readBack(dir, work, 0, 100), bytes);
    // Plain --virtual is the kept disc too; a second burn appends a session to it.
    const second = await image(work, 'b.img', 20);
    assert.equal(
      (await run(dir, ['--virtual', 'burn', join(work, 'b.img'), '--mastered-for', 'any'])).code,
      0,
    );
    const after = await media(dir);
    assert.equal(after.sessions, 2);
    const t2 = after.tracks.find((t) => t.session === 2)!;
    assert.deepEqual(await readBack(dir, work, t2.start, 20), second);
    assert.deepEqual(await readBack(dir, work, 0, 100), bytes);

    const files = (await readdir(dir)).sort();
    assert.equal(files.filter((f) => f.endsWith('.img')).length, 1, files.join(' '));
    assert.ok(files.includes(STATE_FILE));
    assert.ok(!files.some((f) => f.endsWith('.tmp')), files.join(' '));
  });

  it('keeps a formatted DVD+RW and BD-RE, and what was written on them', async () => {
    for (const [name, type] of [
      ['dvd+rw', 'IMAPI_MEDIA_TYPE_DVDPLUSRW'],
      ['bd-re', 'IMAPI_MEDIA_TYPE_BDRE'],
    ] as const) {
      const { dir, work } = await folder();
      assert.equal((await run(dir, [`--virtual=${name}`, 'media'])).code, 0);
      assert.equal((await media(dir)).status, 'blank', `${name} comes blank`);
      const erase = await run(dir, ['erase']);
      assert.equal(erase.code, 0, JSON.stringify(erase));
      const formatted = await media(dir);
      assert.equal(formatted.physicalType, type);
      assert.notEqual(formatted.status, 'blank', `${name} stays formatted`);
      const bytes = await image(work, 'c.img', 64);
      const burn = await run(dir, ['burn', join(work, 'c.img')]);
      assert.equal(burn.code, 0, JSON.stringify(burn));
      assert.notEqual((await media(dir)).status, 'blank');
      assert.deepEqual(await readBack(dir, work, 0, 64), bytes, name);
    }
  });

  it('insert MEDIA gives a new blank disc, one-shot and in the shell; none empties the drive', async () => {
    const { dir, work } = await folder();
    await image(work, 'a.img', 10);
    assert.equal((await run(dir, ['--virtual=cd-r', 'burn', join(work, 'a.img')])).code, 0);
    const inserted = await run(dir, ['insert', 'dvd+r']);
    assert.equal(inserted.code, 0, JSON.stringify(inserted));
    assert.equal((inserted.lines[0]!.virtual as { media: string }).media, 'dvd+r');
    const m = await media(dir);
    assert.equal(m.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR');
    assert.equal(m.status, 'blank');
    // The old disc's image is gone; a blank disc has none.
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.img')),
      [],
    );

    const shell = await run(dir, ['shell'], 'insert bd-r\nmedia\n');
    assert.deepEqual(
      shell.lines.map((l) => l.ok),
      [true, true],
    );
    assert.equal((await media(dir)).physicalType, 'IMAPI_MEDIA_TYPE_BDR');
    assert.equal((await run(dir, ['insert', 'none'])).code, 0);
    assert.equal((await media(dir)).present, false);
    for (const bad of [['insert'], ['insert', 'dvd+r', '--as', 'cd-r'], ['insert', 'a', 'b']]) {
      assert.equal((await run(dir, bad)).code, 2, bad.join(' '));
    }
    const unknown = await run(dir, ['insert', 'floppy']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.lines[0]!.name, 'E_INVALIDARG');
  });

  it('insert --image gives a finished, readable disc: pressed by default, or --as a medium', async () => {
    const { dir, work } = await folder();
    const bytes = Buffer.concat([await image(work, 'd.img', 50), Buffer.from('tail')]);
    await writeFile(join(work, 'd.img'), bytes);
    const r = await run(dir, ['insert', '--image', join(work, 'd.img')]);
    assert.equal(r.code, 0, JSON.stringify(r));
    assert.equal(r.lines[0]!.sectors, 51);
    const m = await media(dir);
    assert.equal(m.physicalType, 'IMAPI_MEDIA_TYPE_CDROM');
    assert.equal(m.status, 'complete');
    const back = await readBack(dir, work, 0, 51);
    assert.deepEqual(back.subarray(0, bytes.length), bytes);
    assert.ok(
      back.subarray(bytes.length).every((b) => b === 0),
      'padded with zeros',
    );

    assert.equal(
      (await run(dir, ['insert', '--image', join(work, 'd.img'), '--as', 'dvd+r'])).code,
      0,
    );
    const dvd = await media(dir);
    assert.equal(dvd.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR');
    assert.equal(dvd.status, 'complete');
    const missing = await run(dir, ['insert', '--image', join(work, 'nothing.img')]);
    assert.equal(missing.code, 1);
    assert.equal(missing.lines[0]!.name, 'E_INVALIDARG');
    assert.equal((await media(dir)).physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR', 'the disc stays');
  });

  it('eject and load persist', async () => {
    const { dir } = await folder();
    assert.equal((await run(dir, ['--virtual=dvd-r', 'eject'])).code, 0);
    const open = await media(dir);
    assert.equal(open.present, false);
    assert.equal(open.trayOpen, true);
    assert.equal(readSavedDrive(dir)?.drive.trayOpen, true);
    assert.equal((await run(dir, ['load'])).code, 0);
    const closed = await media(dir);
    assert.equal(closed.present, true);
    assert.equal(closed.physicalType, 'IMAPI_MEDIA_TYPE_DVDDASHR');
  });

  it('a writer killed (SIGKILL) mid-burn leaves a readable disc and a free folder', async () => {
    const { dir, work } = await folder();
    const first = await image(work, 'first.img', 200);
    await image(work, 'big.img', 32 * 1024); // 64 MiB
    const w = spawnCli(['--virtual-dir', dir, '--virtual=dvd+r', 'shell']);
    w.child.stdin.write(`burn ${join(work, 'first.img')}\n`);
    const burned = await w.next((l) => l.command === 'burn');
    assert.equal(burned.ok, true, JSON.stringify(burned));
    w.child.stdin.write(`burn ${join(work, 'big.img')} --verify=none --mastered-for any\n`);
    await w.next((l) => 'progress' in l);
    w.child.kill('SIGKILL');
    await exited(w.child);

    // The state is the one before the second burn, or after part of it: never torn.
    const saved = readSavedDrive(dir);
    assert.ok(saved?.drive.disc, 'a state that parses');
    const m = await media(dir);
    assert.equal(m.physicalType, 'IMAPI_MEDIA_TYPE_DVDPLUSR');
    assert.deepEqual(m.tracks[0], { number: 1, session: 1, start: 0, size: 200, mode: 'data' });
    assert.deepEqual(await readBack(dir, work, 0, 200), first);
  });

  it('a second process waits, then gets a typed error naming the holder; the folder is free after', async () => {
    const { dir } = await folder();
    const holder = spawnCli(['--virtual-dir', dir, '--virtual=cd-rw', 'lock', '--name', 'Holder']);
    try {
      await holder.next((l) => l.command === 'lock');
      const started = Date.now();
      const busy = await run(dir, ['media']);
      assert.ok(Date.now() - started >= 2500, 'it waited');
      assert.equal(busy.code, 1);
      // With --json the failure is one JSON object on stdout, as every other (issue 20, part 6).
      assert.deepEqual(busy.err, []);
      assert.equal(busy.lines.length, 1);
      assert.equal(busy.lines[0]!.name, 'IMAPI_E_DEVICE_NOTACCESSIBLE');
      assert.match(String(busy.lines[0]!.message), new RegExp(`pid ${holder.child.pid}\\b`));
    } finally {
      holder.child.kill('SIGINT');
      await exited(holder.child);
    }
    assert.equal((await media(dir)).physicalType, 'IMAPI_MEDIA_TYPE_CDRW');

    // In one process too: a drive still open holds the folder.
    const open = await VirtualDrive.open({ dir });
    try {
      await assert.rejects(
        VirtualDrive.open({ dir, waitMs: 100 }),
        (e: unknown) => e instanceof VirtualDriveBusyError && e.holderPid === process.pid,
      );
    } finally {
      open.close();
    }
    const again = await VirtualDrive.open({ dir, waitMs: 1000 });
    again.close();
  });

  it('an unreadable drive.json is a clear error; --virtual=MEDIA starts over', async () => {
    const { dir } = await folder();
    assert.equal((await run(dir, ['--virtual=cd-r', 'media'])).code, 0);
    await writeFile(join(dir, STATE_FILE), '{"format": "webdisc-virtual-drive", "drive": {');
    const bad = await run(dir, ['media']);
    assert.equal(bad.code, 1);
    assert.deepEqual(bad.err, []);
    assert.equal(bad.lines[0]!.name, 'E_INVALIDARG');
    assert.match(String(bad.lines[0]!.message), /drive\.json is unreadable.*--virtual=MEDIA/);
    assert.equal((await run(dir, ['--virtual=dvd-rw', 'media'])).code, 0);
    assert.equal((await media(dir)).physicalType, 'IMAPI_MEDIA_TYPE_DVDDASHRW');
  });

  it('the folder: --virtual-dir, else $WEBDISC_VIRTUAL_DIR, else the XDG data folder', () => {
    assert.equal(virtualDir('/x/y', { WEBDISC_VIRTUAL_DIR: '/a' }), '/x/y');
    assert.equal(virtualDir(undefined, { WEBDISC_VIRTUAL_DIR: '/a' }), '/a');
    assert.equal(virtualDir(undefined, { XDG_DATA_HOME: '/d' }), '/d/webdisc/virtual');
    assert.match(virtualDir(undefined, {}), /\/\.local\/share\/webdisc\/virtual$/);
  });
});
