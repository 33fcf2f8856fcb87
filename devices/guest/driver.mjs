// Runs inside the guest (guest/stage2.sh starts it): measures the kernel's
// read speed while usb-storage and sr hold the drive, then unbinds
// usb-storage and runs the webdisc CLI against the drive. It checks nothing:
// every step is one `@@webdisc-result {json}` line on ttyS1 (the second
// serial port), and the host (devices/run.mjs) decides what passed.
// Modes: all (every step, then lock-steps.mjs); bench (only what the
// throughput needs: the kernel's reads, unbinding, the CLI's reads); locks
// (unbinding, list, then only lock-steps.mjs: for working on those);
// chromium (unbinding, then guest/chromium.mjs: devices/chromium-probe.mjs);
// kill (unbinding, list, then only kill-cycles.mjs, --kill cycles of it).
// usage: node driver.mjs --device NAME --sectors N --root REPO
//          [--mode all|bench|locks|chromium|kill] [--kill N] [--seed N]
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Host } from './host.mjs';
import { killCycles } from './kill-cycles.mjs';
import { lockSteps } from './lock-steps.mjs';
import { chromiumSteps } from './chromium.mjs';

const { values } = parseArgs({
  options: {
    device: { type: 'string' },
    sectors: { type: 'string' },
    root: { type: 'string' },
    results: { type: 'string', default: '/dev/ttyS1' },
    mode: { type: 'string', default: 'all' },
    kill: { type: 'string', default: '4' },
    seed: { type: 'string', default: '2020' },
  },
});
const mode = values.mode;
const root = values.root ?? process.cwd();
const sectors = Number(values.sectors);
const webdisc = join(root, 'bin/webdisc.mjs');
const results = openSync(values.results, 'w');

function emit(step, data) {
  const line = `@@webdisc-result ${JSON.stringify({ step, ...data })}\n`;
  writeSync(results, line);
  console.log(`# driver: ${step}${data.code !== undefined ? ` exit ${data.code}` : ''}`);
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const read = (path) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Runs a program; its exit code, output and wall time in ms. */
function run(file, args, options = {}) {
  const started = now();
  const r = spawnSync(file, args, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: options.timeoutMs ?? 300_000,
    input: options.input,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return {
    argv: [file, ...args],
    code: r.status,
    signal: r.signal,
    error: r.error ? String(r.error) : null,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: Math.round(now() - started),
  };
}

/** The CLI, as a user runs it: `node bin/webdisc.mjs ARGS`. */
const cli = (args, options) => {
  const r = run(process.execPath, [webdisc, ...args], options);
  return { ...r, argv: ['webdisc', ...args] };
};

function parseLast(stdout) {
  try {
    return JSON.parse(stdout.trim().split('\n').pop());
  } catch {
    return null;
  }
}

/** The id of the first USB recorder in `webdisc --json list`'s output. */
function usbRecorderId(list) {
  const recorders = parseLast(list.stdout)?.recorders ?? [];
  return recorders.find((r) => r.kind === 'usb')?.id ?? null;
}

const srDevices = () => readdirSync('/sys/block').filter((n) => n.startsWith('sr'));

/** USB interfaces that usb-storage is bound to (names like 1-1:1.0). */
const usbStorageInterfaces = () => {
  const dir = '/sys/bus/usb/drivers/usb-storage';
  return existsSync(dir) ? readdirSync(dir).filter((n) => /^\d+-[\d.]+:\d+\.\d+$/.test(n)) : [];
};

/** Writes a sysfs or procfs file; false when the kernel refused. */
function writeKernelFile(path, text) {
  let fd;
  try {
    fd = openSync(path, 'w');
    writeSync(fd, text);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `dd if=/dev/srN of=/dev/null bs=1M [iflag=direct]`, page cache dropped first. */
function dd(sr, direct, bytes) {
  spawnSync('sync');
  const dropped = writeKernelFile('/proc/sys/vm/drop_caches', '3\n');
  const r = run('dd', [
    `if=/dev/${sr}`,
    'of=/dev/null',
    'bs=1M',
    ...(direct ? ['iflag=direct'] : []),
  ]);
  // busybox dd prints only records: the bytes are the device's size.
  return { ...r, dropped, bytes: r.code === 0 ? bytes : null, seconds: r.ms / 1000 };
}

async function main() {
  emit('start', { device: values.device, sectors, mode, node: process.version });

  // 1. The kernel's view: usb-storage and sr bind the drive.
  const waitStarted = now();
  let sr;
  while (!(sr = srDevices()[0]) && now() - waitStarted < 60_000) await sleep(200);
  await sleep(500);
  const usb = [];
  for (const d of readdirSync('/sys/bus/usb/devices')) {
    const base = `/sys/bus/usb/devices/${d}`;
    const vid = read(`${base}/idVendor`);
    if (vid && read(`${base}/bInterfaceClass`) === null && !/^usb\d+$/.test(d)) {
      usb.push({
        path: d,
        idVendor: vid,
        idProduct: read(`${base}/idProduct`),
        manufacturer: read(`${base}/manufacturer`),
        product: read(`${base}/product`),
        serial: read(`${base}/serial`),
        speed: read(`${base}/speed`),
      });
    }
  }
  const sizeBytes = sr ? Number(read(`/sys/block/${sr}/size`)) * 512 : null;
  emit('kernel', {
    sr: sr ?? null,
    waitedMs: Math.round(now() - waitStarted),
    sizeBytes,
    vendor: sr ? read(`/sys/block/${sr}/device/vendor`) : null,
    model: sr ? read(`/sys/block/${sr}/device/model`) : null,
    rev: sr ? read(`/sys/block/${sr}/device/rev`) : null,
    usb,
    usbStorage: usbStorageInterfaces(),
    dmesg: run('dmesg', [])
      .stdout.split('\n')
      .filter((l) => /usb|scsi|sr|cdrom|gadget/i.test(l)),
  });

  // 2. Throughput through the kernel, and the disc's SHA-256 as the kernel reads it.
  if (sr && mode !== 'locks' && mode !== 'chromium') {
    emit('dd-buffered', dd(sr, false, sizeBytes));
    emit('dd-direct', dd(sr, true, sizeBytes));
    const sum = run('sha256sum', [`/dev/${sr}`]);
    emit('kernel-sha256', { ...sum, sha256: sum.stdout.split(/\s+/)[0] || null });
  }

  // 3. The CLI while usb-storage still holds the drive.
  let id = null;
  if (mode === 'all') {
    const listBound = cli(['--json', 'list']);
    emit('cli-list-bound', listBound);
    id = usbRecorderId(listBound);
    if (id) emit('cli-info-bound', cli(['--json', '--device', id, 'info']));
  }

  // 4. Unbind usb-storage, as the README tells users to (or as force does).
  const unbound = [];
  for (const intf of usbStorageInterfaces()) {
    if (writeKernelFile('/sys/bus/usb/drivers/usb-storage/unbind', intf)) unbound.push(intf);
    else emit('unbind-error', { intf });
  }
  const unbindStarted = now();
  while (srDevices().length && now() - unbindStarted < 10_000) await sleep(100);
  emit('unbind', { unbound, srLeft: srDevices(), usbStorage: usbStorageInterfaces() });
  if (mode === 'chromium') {
    // devices/chromium-probe.mjs: the app in Chromium instead of the CLI.
    await chromiumSteps({ emit, root });
    emit('done', {});
    return;
  }

  // Node's own start-up in this guest (median of 3 `node -e 0`): a floor under
  // any CLI run, to set beside the kernel's whole read of the disc (issue 17's
  // speed target; under TCG the guest's CPU is emulated, the kernel's data path
  // mostly is not).
  const starts = [0, 1, 2].map(() => run(process.execPath, ['-e', '0']).ms).sort((x, y) => x - y);
  emit('node-startup', { code: 0, ms: starts[1] });
  // 5. The CLI with the drive to itself.
  const list = cli(['--json', 'list']);
  emit('cli-list', list);
  id = usbRecorderId(list) ?? id;
  if (!id) {
    emit('done', { reason: 'no USB recorder listed' });
    return;
  }
  if (mode === 'locks') {
    await locks(id);
    emit('done', {});
    return;
  }
  if (mode === 'kill') {
    await kills(id);
    emit('done', {});
    return;
  }
  if (mode === 'all') {
    emit('cli-info', cli(['--json', '--device', id, 'info']));
    emit('cli-info-text', cli(['--device', id, 'info']));
    emit('cli-media', cli(['--json', '--device', id, 'media']));
    emit('cli-media-text', cli(['--device', id, 'media']));
  }
  const out = '/tmp/disc.bin';
  const r = cli(['--json', '--device', id, 'read', '0', String(sectors), out], {
    timeoutMs: 600_000,
  });
  const size = existsSync(out) ? statSync(out).size : null;
  const sum = existsSync(out) ? run('sha256sum', [out]).stdout.split(/\s+/)[0] : null;
  emit('cli-read', { ...r, sectors, fileBytes: size, sha256: sum });
  rmSync(out, { force: true });
  // A short read at the end of the disc, and one past it (the drive should say so).
  emit('cli-read-last', cli(['--json', '--device', id, 'read', String(sectors - 1), '1', out]));
  emit('cli-read-past-end', cli(['--json', '--device', id, 'read', String(sectors), '1', out]));
  rmSync(out, { force: true });
  // `save`: the whole disc from its own layout, with its SHA-256 (issue 17's read path).
  const saved = '/tmp/saved.iso';
  const sv = cli(['--json', '--device', id, 'save', saved], { timeoutMs: 600_000 });
  emit('cli-save', {
    ...sv,
    fileBytes: existsSync(saved) ? statSync(saved).size : null,
    sha256: existsSync(saved) ? run('sha256sum', [saved]).stdout.split(/\s+/)[0] : null,
  });
  rmSync(saved, { force: true });
  rmSync(`${saved}.map`, { force: true });
  // The same disc read by a bare READ(10) loop on the `usb` package, no webdisc
  // code (read-probe.mjs): how much of the gap to dd is the user-space USB path.
  const rawRead = run(process.execPath, [
    fileURLToPath(new URL('./read-probe.mjs', import.meta.url)),
    String(sectors),
  ]);
  const rawResult = parseLast(rawRead.stdout) ?? {};
  emit('raw-read', {
    code: rawResult.error || rawRead.code !== 0 ? 1 : 0,
    ms: rawResult.ms,
    bytes: rawResult.bytes,
    error: rawResult.error ?? null,
  });
  if (mode === 'bench') {
    emit('done', {});
    return;
  }
  // INQUIRY for 36 bytes (allocation length 24h) in a 96-byte data stage: the
  // drive sends 36 and says so in the CSW residue (60); a drive may pad the
  // data stage with zeros up to 96, the residue still says 60.
  emit('cli-raw-inquiry', cli(['--json', '--device', id, 'raw', '120000002400', '--in', '96']));
  // The same exchange outside webdisc, to see the data stage and the CSW residue.
  const probe = run(process.execPath, [fileURLToPath(new URL('./bot-probe.mjs', import.meta.url))]);
  emit('bot-probe', { ...probe, result: parseLast(probe.stdout) });
  // Exclusive access (PREVENT, RESERVE(6) where the drive has it) and back.
  emit(
    'cli-shell-lock',
    cli(['--json', '--device', id, 'shell'], {
      input: 'acquire devtest\nstate\nmedia\nrelease\nstate\n',
    }),
  );
  // What the drive does with the MMC commands webdisc relies on, one `raw`
  // line each in one shell (a table in the TAP comments, not checks).
  const support = [
    ['TEST UNIT READY', '000000000000'],
    ['INQUIRY', '120000002400', 36],
    ['READ CAPACITY', '25000000000000000000', 8],
    ['READ TOC (format 0)', '43000000000000032400', 804],
    ['GET CONFIGURATION', '46000000000000000800', 8],
    ['GET EVENT STATUS NOTIFICATION (media, polled)', '4a010000100000000800', 8],
    ['READ DISC INFORMATION', '51000000000000002200', 34],
    ['READ TRACK INFORMATION (track 1)', '52010000000100002400', 36],
    ['MODE SENSE(10) page 2Ah', '5a002a0000000000ff00', 255],
    ['MODE SENSE(10) page 05h', '5a00050000000000ff00', 255],
    ['MECHANISM STATUS', 'bd0000000000000000080000', 8],
    ['READ(10) LBA 0', '28000000000000000100', 2048],
    ['READ CD (LBA 0, user data)', 'be0000000000000001100000', 2048],
    ['RESERVE(6)', '160000000000'],
    ['RELEASE(6)', '170000000000'],
    ['PREVENT (persistent)', '1e0000000200'],
    ['ALLOW (persistent cleared)', '1e0000000300'],
    ['PREVENT', '1e0000000100'],
    ['ALLOW', '1e0000000000'],
  ];
  const lines = support.map(([, hex, n]) => `raw ${hex}${n ? ` --in ${n}` : ''}`);
  emit('cli-shell-support', {
    ...cli(['--json', '--device', id, 'shell'], { input: lines.join('\n') + '\n' }),
    names: support.map(([name]) => name),
  });
  // Before the lock steps: QEMU's timing experiments at their end can leave
  // its drive gone from the bus.
  await kills(id);
  await locks(id);
  emit('done', {});
}

/** `work(host)` with the control line to the host (guest/host.mjs) open while it runs. */
async function withHost(work) {
  const host = new Host();
  try {
    await work(host);
  } finally {
    host.close();
  }
}

/** guest/lock-steps.mjs. */
const locks = (id) =>
  withHost((host) => lockSteps({ emit, webdisc, id, device: values.device, host }));

/** guest/kill-cycles.mjs: --kill cycles from --seed. */
const kills = (id) =>
  withHost((host) =>
    killCycles({
      emit,
      webdisc,
      id,
      device: values.device,
      host,
      cycles: Number(values.kill),
      seed: Number(values.seed),
      sectors,
    }),
  );

main().catch((error) => {
  emit('driver-error', { error: String(error?.stack ?? error) });
  process.exitCode = 1;
});
