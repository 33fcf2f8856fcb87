// In the guest: kill cycles on the device (issue 20, item 5, "where the
// device tests can run, on a third-party device"). A `webdisc` process is
// SIGKILLed at a random point of holding exclusive access, `save`, `verify`
// or `read`, as a crash, an OOM kill or a closed terminal would, possibly in
// the middle of a Bulk-Only data stage, with the drive's PREVENT set. Then:
//   next     a new `webdisc shell` at once: `state` (no stale owner),
//            `acquire`, `state`, `release`, `state`
//   eject    the device side's eject after that release (must be done: the
//            tray is not left locked), and the disc put back
//   file     what the killed command left under its final name (nothing, or
//            the whole thing with the right SHA-256), and for `save` the same
//            command run again, which resumes from IMAGE.part: the image
//            whole, with the disc's SHA-256, nothing left beside it
// Neither device can be written (both are CD-ROMs), so there is no burn here;
// cli/kill-cycles.fuzz.test.ts kills burns on the virtual drives.
// One `@@webdisc-result` step per cycle (`kill-cycle`), and `kill-setup`
// first; it checks nothing: run.mjs (lib/kill-checks.mjs) does.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { deviceSide } from './device-side.mjs';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const OPS = ['hold', 'save', 'verify', 'read'];
/** Sectors `read` takes (20 MiB): long enough to be killed in its data phase. */
const READ_SECTORS = 10_240;
const DIR = '/tmp/kill';

/** mulberry32: the cycles' kill points from a printed seed (no project import here). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `webdisc --json ARGS`, SIGKILLed after killAfterMs when still running. */
function webdisc(
  bin,
  args,
  { killAfterMs, stdin, keepStdinOpen = false, timeoutMs = 600_000 } = {},
) {
  return new Promise((resolve) => {
    const started = now();
    const child = spawn(process.execPath, [bin, '--json', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const killer =
      killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const limit = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(limit);
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => {
          try {
            return [JSON.parse(l)];
          } catch {
            return [];
          }
        });
      resolve({
        argv: ['webdisc', '--json', ...args],
        code,
        signal,
        stdout: stdout.length > 4000 ? `…${stdout.slice(-4000)}` : stdout,
        stderr,
        lines: lines.filter((l) => !('progress' in l)),
        ms: Math.round(now() - started),
      });
    });
    if (stdin !== undefined) child.stdin.write(stdin);
    if (!keepStdinOpen) child.stdin.end();
  });
}

/** SHA-256 of a file's first `bytes` bytes (all of it when omitted). */
function sha256(path, bytes) {
  const r = spawnSync(
    'sh',
    [
      '-c',
      bytes === undefined ? 'sha256sum "$1"' : 'head -c "$2" "$1" | sha256sum',
      'sh',
      path,
      String(bytes),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return r.stdout.split(/\s+/)[0] || null;
}

/** What is under a final name: null, or its size and SHA-256. */
function fileState(path) {
  if (!existsSync(path)) return null;
  return { bytes: statSync(path).size, sha256: sha256(path) };
}

export async function killCycles({ emit, webdisc: bin, id, device, host, cycles, seed, sectors }) {
  const side = deviceSide(device, host);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const reference = join(DIR, 'reference.iso');
  const commands = (op, cycle) =>
    ({
      hold: ['--device', id, 'shell'],
      save: ['--device', id, 'save', join(DIR, `saved-${cycle}.iso`)],
      verify: ['--device', id, 'verify', reference],
      read: ['--device', id, 'read', '0', String(READ_SECTORS), join(DIR, `read-${cycle}.bin`)],
    })[op];
  const holdInput = (cycle) => ({ stdin: `acquire "Holder ${cycle}"\n`, keepStdinOpen: true });

  // How long each command takes whole here: the kill points are drawn over
  // that span, so they land in start-up, set-up and the data stage alike. The
  // first save is also the reference image `verify` compares the disc with.
  const spans = {};
  const first = await webdisc(bin, ['--device', id, 'save', reference]);
  spans.save = first.ms;
  const referenceSha256 = sha256(reference);
  const readSha256 = sha256(reference, READ_SECTORS * 2048);
  rmSync(`${reference}.map`, { force: true });
  const verify = await webdisc(bin, commands('verify', -1));
  spans.verify = verify.ms;
  const read = await webdisc(bin, commands('read', -1));
  spans.read = read.ms;
  rmSync(join(DIR, 'read--1.bin'), { force: true });
  // A shell that acquires: killed while it starts, while it acquires, or holding.
  const hold = await webdisc(bin, commands('hold', -1), {
    stdin: 'acquire "Holder -1"\nrelease\n',
  });
  spans.hold = hold.ms;
  emit('kill-setup', {
    code: first.code,
    seed,
    cycles,
    sectors,
    spans,
    referenceSha256,
    readSectors: READ_SECTORS,
    readSha256,
    first,
    verify,
    read,
    hold,
  });
  if (first.code !== 0) return;

  const random = prng(seed);
  for (let cycle = 0; cycle < cycles; cycle++) {
    // In order, so that a short run has each; the kill point is the random part.
    const op = OPS[cycle % OPS.length];
    const killAfterMs = Math.floor(random() * spans[op] * 1.1);
    const killed = await webdisc(bin, commands(op, cycle), {
      killAfterMs,
      ...(op === 'hold' ? holdInput(cycle) : {}),
    });
    const afterKill = now();
    // The next process, at once.
    const next = await webdisc(bin, ['--device', id, 'shell'], {
      stdin: 'state\nacquire Probe\nstate\nrelease\nstate\n',
    });
    const nextStartedAfterMs = Math.round(now() - afterKill - next.ms);
    const eject = await side.eject();
    const reinsert = await side.reinsert();
    const record = {
      code: 0,
      cycle,
      op,
      killAfterMs,
      killed: {
        argv: killed.argv,
        code: killed.code,
        signal: killed.signal,
        stderr: killed.stderr,
        lines: killed.lines,
        ms: killed.ms,
      },
      next,
      nextStartedAfterMs,
      eject,
      reinsert,
    };
    if (op === 'save') {
      const out = join(DIR, `saved-${cycle}.iso`);
      record.file = fileState(out);
      record.partLeft = existsSync(`${out}.part`);
      // The same command again resumes (or starts over) and must end whole.
      const again = await webdisc(bin, commands('save', cycle));
      record.resume = {
        argv: again.argv,
        code: again.code,
        signal: again.signal,
        stdout: again.stdout,
        stderr: again.stderr,
        result: again.lines.at(-1) ?? null,
        ms: again.ms,
      };
      record.resumed = fileState(out);
      record.left = readdirSync(DIR).filter((n) => n.startsWith(`saved-${cycle}.iso.`));
      rmSync(out, { force: true });
      rmSync(`${out}.map`, { force: true });
      rmSync(`${out}.part`, { force: true });
    }
    if (op === 'read') {
      const out = join(DIR, `read-${cycle}.bin`);
      record.file = fileState(out);
      record.left = readdirSync(DIR).filter((n) => n.startsWith(`read-${cycle}.bin.`));
      for (const n of [...record.left, `read-${cycle}.bin`]) rmSync(join(DIR, n), { force: true });
    }
    emit(`kill-cycle-${cycle}`, record);
  }
  rmSync(DIR, { recursive: true, force: true });
}
