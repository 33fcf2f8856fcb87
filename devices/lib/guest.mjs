// The devices and their guests: what each device is and how QEMU makes it,
// set-up (devices/setup.sh), and one boot of QEMU per device with two
// channels besides the console: the QEMU monitor (QMP, a unix socket that
// this process serves and QEMU connects to) and a control line to the guest
// (its third serial port, ttyS2), over which guest/driver.mjs asks this
// process for what only the host can do: the monitor's `eject`, the drive's
// state, I/O throttling. Everything on both channels is logged to
// logs/DEVICE.monitor.log.
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
export const repo = dirname(here);
export const cache = process.env.WEBDISC_DEVICES_CACHE ?? join(here, '.cache');
export const logs = join(cache, 'logs');

/** What each device is, how QEMU makes it, and what the CLI should find. */
export const DEVICES = {
  'qemu-usb-bot': {
    guest: 'qemu',
    title: 'QEMU usb-bot + scsi-cd on qemu-xhci',
    qemuArgs: (iso) => [
      '-device',
      'qemu-xhci,id=xhci',
      '-drive',
      `if=none,id=cd,file=${qemuPath(iso)},media=cdrom,format=raw,readonly=on`,
      '-device',
      'usb-bot,id=bot,bus=xhci.0',
      '-device',
      'scsi-cd,drive=cd,bus=bot.0',
    ],
    /** The QEMU drive (block backend) behind the device: what the monitor ejects and throttles. */
    drive: 'cd',
    vendorId: 0x46f4,
    productId: 0x0001,
    name: 'QEMU QEMU USB HARDDRIVE',
    serial: null, // QEMU makes one from the device's place on the bus
    hasGetConfiguration: true,
    hasReadTrackInformation: false,
  },
  'linux-gadget': {
    guest: 'gadget',
    title: 'Linux mass-storage gadget (usb_f_mass_storage, cdrom=1) on dummy_hcd',
    // The gadget serves the disc from this virtio disk (guest/stage2.sh).
    qemuArgs: (iso) => ['-drive', `if=virtio,id=disc,file=${qemuPath(iso)},format=raw,readonly=on`],
    drive: 'disc',
    vendorId: 0x1d6b,
    productId: 0x0104,
    name: 'webdisc tests Gadget CD-ROM',
    serial: 'WEBDISC0001',
    hasGetConfiguration: false,
    hasReadTrackInformation: false,
  },
};

/** QEMU option values escape commas by doubling them. */
function qemuPath(path) {
  return path.replaceAll(',', ',,');
}

/**
 * devices/setup.sh: packages, kernel, initramfs, disc. Returns its `ready:`
 * values, or { unavailable } when it says the guest cannot be made on this
 * machine (exit 3: no apt, packages not installable, no kernel package), or
 * { failed } for any other failure.
 */
export function setup() {
  const r = spawnSync('bash', [join(here, 'setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const unavailable = /^unavailable: (.*)$/m.exec(r.stdout ?? '');
  if (r.status === 3 && unavailable) return { unavailable: unavailable[1] };
  const ready = /^ready: (.*)$/m.exec(r.stdout ?? '');
  if (r.status !== 0 || !ready) return { failed: `devices/setup.sh failed (exit ${r.status})` };
  const env = Object.fromEntries(ready[1].split(' ').map((kv) => kv.split('=')));
  const qemu = spawnSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' });
  if (qemu.status !== 0) {
    return { unavailable: `qemu-system-x86_64 does not run: ${qemu.error ?? qemu.stderr}` };
  }
  env.qemuVersion = qemu.stdout.split('\n')[0];
  return { env };
}

/** Splits a byte stream into lines. */
function onLines(stream, fn) {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let i;
    while ((i = buffered.indexOf('\n')) >= 0) {
      const l = buffered.slice(0, i).replace(/\r$/, '');
      buffered = buffered.slice(i + 1);
      if (l) fn(l);
    }
  });
}

/** A QMP client on the socket QEMU connects to. */
class Qmp {
  #socket = null;
  #pending = new Map();
  #id = 0;
  #log;
  ready;
  #resolveReady;
  constructor(log) {
    this.#log = log;
    this.ready = new Promise((resolve) => (this.#resolveReady = resolve));
  }
  attach(socket) {
    this.#socket = socket;
    onLines(socket, (l) => {
      let msg;
      try {
        msg = JSON.parse(l);
      } catch {
        this.#log(`qmp <- (unparsable) ${l}`);
        return;
      }
      if (msg.QMP) {
        socket.write(`${JSON.stringify({ execute: 'qmp_capabilities', id: 0 })}\n`);
        return;
      }
      if (msg.event) {
        this.#log(`qmp <- event ${l}`);
        return;
      }
      if (msg.id === 0) {
        this.#resolveReady();
        return;
      }
      this.#log(`qmp <- ${l}`);
      const p = this.#pending.get(msg.id);
      if (p) {
        this.#pending.delete(msg.id);
        p(msg);
      }
    });
    socket.on('close', () => {
      for (const p of this.#pending.values()) p({ error: { desc: 'QEMU closed the monitor' } });
      this.#pending.clear();
    });
  }
  async execute(command, args) {
    await this.ready;
    const id = ++this.#id;
    const text = JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id });
    this.#log(`qmp -> ${text}`);
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#socket.write(`${text}\n`);
    });
  }
  /** An HMP command line through QMP; its text output. */
  async hmp(commandLine) {
    const r = await this.execute('human-monitor-command', { 'command-line': commandLine });
    return r.error ? { error: r.error.desc } : { output: r.return };
  }
}

/**
 * What the guest may ask for over the control line, one JSON line each:
 * {"id", "action", ...} answered by {"id", ...}. Only what needs the host.
 */
async function act(qmp, spec, env, req) {
  switch (req.action) {
    case 'drive': {
      // The drive's state as the monitor shows it (query-block).
      const r = await qmp.execute('query-block');
      const b = r.return?.find((x) => x.device === spec.drive);
      if (!b) return { error: r.error?.desc ?? `no drive ${spec.drive}` };
      return { locked: b.locked, trayOpen: b.tray_open ?? null, inserted: Boolean(b.inserted) };
    }
    case 'eject': // the OS's eject, as the monitor gives it: HMP `eject DRIVE`
      return { command: `eject ${spec.drive}`, ...(await qmp.hmp(`eject ${spec.drive}`)) };
    case 'reinsert': {
      // The test disc back into the drive (the monitor's `change`).
      const r = await qmp.execute('blockdev-change-medium', {
        device: spec.drive,
        filename: env.iso,
        format: 'raw',
        'read-only-mode': 'read-only',
      });
      return r.error ? { error: r.error.desc } : { ok: true };
    }
    case 'throttle': {
      // Read throttling on the drive (bytes per second; 0 = none).
      const r = await qmp.execute('block_set_io_throttle', {
        device: spec.drive,
        bps: 0,
        bps_rd: req.bpsRead,
        bps_wr: 0,
        iops: 0,
        iops_rd: 0,
        iops_wr: 0,
      });
      return r.error ? { error: r.error.desc } : { ok: true };
    }
    case 'pause': {
      // The whole VM stopped for `ms` of host time (HMP stop, cont).
      const stop = await qmp.hmp('stop');
      await new Promise((resolve) => setTimeout(resolve, req.ms));
      const cont = await qmp.hmp('cont');
      return { stop, cont };
    }
    default:
      return { error: `unknown action ${JSON.stringify(req.action)}` };
  }
}

/** A unix socket server for one connection from QEMU. */
function serve(path, onConnection) {
  const server = createServer((socket) => onConnection(socket));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

/**
 * Boots the guest for one device. options: mode (webdisc.mode on the kernel
 * command line, guest/driver.mjs's --mode), killCycles and seed (its --kill
 * and --seed), verbose, timeoutSeconds,
 * extraArgs (more QEMU arguments). Resolves with the driver's reports and
 * the console.
 */
export async function boot(device, env, sectors, options) {
  const spec = DEVICES[device];
  const resultsFile = join(logs, `${device}.results.log`);
  const consoleFile = join(logs, `${device}.console.log`);
  const monitorFile = join(logs, `${device}.monitor.log`);
  rmSync(resultsFile, { force: true });
  writeFileSync(monitorFile, '');
  const started = Date.now();
  const log = (text) =>
    appendFileSync(monitorFile, `${((Date.now() - started) / 1000).toFixed(3)} ${text}\n`);
  const sockets = mkdtempSync(join(tmpdir(), 'webdisc-qemu-'));
  const qmp = new Qmp(log);
  const monitorServer = await serve(join(sockets, 'qmp'), (socket) => qmp.attach(socket));
  const controlServer = await serve(join(sockets, 'control'), (socket) => {
    onLines(socket, async (l) => {
      let req;
      try {
        req = JSON.parse(l);
      } catch {
        log(`guest -> (unparsable) ${l}`);
        return;
      }
      log(`guest -> ${l}`);
      let answer;
      try {
        answer = await act(qmp, spec, env, req);
      } catch (error) {
        answer = { error: String(error?.message ?? error) };
      }
      const text = JSON.stringify({ id: req.id, ...answer });
      log(`guest <- ${text}`);
      socket.write(`${text}\n`);
    });
  });
  const args = [
    '-accel',
    process.env.WEBDISC_QEMU_ACCEL ?? 'tcg',
    '-cpu',
    'max',
    '-smp',
    '2',
    '-m',
    '3072',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-no-reboot',
    '-kernel',
    env.vmlinuz,
    '-initrd',
    env.initrd,
    '-append',
    [
      'console=ttyS0 quiet panic=-1',
      `webdisc.root=${repo}`,
      `webdisc.device=${spec.guest}`,
      `webdisc.sectors=${sectors}`,
      `webdisc.mode=${options.mode}`,
      ...(options.killCycles === undefined ? [] : [`webdisc.kill=${options.killCycles}`]),
      ...(options.seed === undefined ? [] : [`webdisc.seed=${options.seed}`]),
    ].join(' '),
    '-serial',
    'stdio',
    '-serial',
    `file:${resultsFile}`,
    '-chardev',
    `socket,id=control,path=${qemuPath(join(sockets, 'control'))}`,
    '-serial',
    'chardev:control',
    '-chardev',
    `socket,id=qmp,path=${qemuPath(join(sockets, 'qmp'))}`,
    '-mon',
    'chardev=qmp,mode=control',
    '-virtfs',
    `local,path=${qemuPath(repo)},mount_tag=host0,security_model=none,id=host0`,
    ...spec.qemuArgs(env.iso),
    ...(options.extraArgs ?? []),
  ];
  return new Promise((resolve) => {
    const child = spawn('qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = createWriteStream(consoleFile);
    out.write(`$ qemu-system-x86_64 ${args.join(' ')}\n`);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        out.write(chunk);
        if (options.verbose) process.stderr.write(chunk);
      });
    }
    const fatal = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutSeconds * 1000);
    let spawnError = null;
    child.on('error', (error) => {
      spawnError = error;
      out.write(`\nqemu-system-x86_64 could not run: ${error.message}\n`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      monitorServer.close();
      controlServer.close();
      rmSync(sockets, { recursive: true, force: true });
      if (spawnError) fatal.push(`qemu-system-x86_64 could not run: ${spawnError.message}`);
      out.end();
      const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
      const steps = {};
      for (const line of text.split(/\r?\n/)) {
        const m = /@@webdisc-result (\{.*\})\s*$/.exec(line);
        if (m) {
          try {
            const r = JSON.parse(m[1]);
            steps[r.step] = r;
          } catch {
            fatal.push(`unparsable report: ${line.slice(0, 200)}`);
          }
        }
        const f = /@@webdisc-fatal (.*)$/.exec(line);
        if (f) fatal.push(f[1]);
      }
      const consoleText = existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '';
      resolve({
        loadAverage: loadavg().map((x) => +x.toFixed(2)),
        steps,
        fatal,
        code,
        signal,
        timedOut,
        seconds: (Date.now() - started) / 1000,
        consoleTail: consoleText.split('\n').slice(-25).join('\n'),
        consoleFile,
        monitorFile,
      });
    });
  });
}
