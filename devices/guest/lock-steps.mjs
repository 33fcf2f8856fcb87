// In the guest, after the other steps of driver.mjs: sessions of one
// `webdisc shell` each, which takes exclusive access and keeps it while the
// driver works on the device from outside (guest/device-side.mjs). Each
// session starts from a drive nobody holds, so that one failure does not
// run on into the next session's checks. Reports:
//   lock-hold              acquire; the OS's eject (refused?); release; the eject
//                          again (done?); the disc back in
//   lock-other-process     a second `webdisc` process while the first holds the
//                          drive (owner, state, acquire, forced acquire); the
//                          holder SIGKILLed; how soon a third process acquires;
//                          the OS's eject after its release
//   lock-timeout-desktop   (gadget) usb-storage loaded, as on a desktop: the
//                          device stalls past the command's timeout, the CLI
//                          times out and resets the port; who has the drive after
//   lock-timeout           (gadget) usb-storage unloaded: the same stall; the
//                          eject after the port reset (refused?), the next commands
//   qemu-pause, qemu-held-read  (QEMU) why QEMU's drive gets no timeout: the
//                          guest's clocks stop with the monitor's stop; a read
//                          held back by throttling is fine until something
//                          cancels it (a transfer timeout, the CLI's reset):
//                          then the guest stops until the read ends
//   lock-bot-reset         a command the device fails at the transport level,
//                          so the CLI runs Bulk-Only reset recovery; the eject
//                          after it (refused?), the next command
// It checks nothing: run.mjs (lib/lock-checks.mjs) does.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import {
  deviceSide,
  gadgetFreezer,
  kernelHold,
  unbindUsbStorage,
  unloadUsbStorage,
} from './device-side.mjs';
import { Shell } from './shell.mjs';

const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * A command the device fails at the transport level, with no timeout:
 * INQUIRY (data in, 36 bytes) sent with a 36-byte data-out stage. The gadget
 * answers the direction mismatch with a phase error (CSW status 2,
 * f_mass_storage.c check_command); QEMU's usb-bot stalls and stays stalled
 * until a USB reset (dev-storage.c usb_msd_fatal_error, `needs_reset`).
 */
const BOT_RESET_FILE = '/tmp/inquiry-as-data-out.bin';
const BOT_RESET_LINE = `raw 120000002400 --out ${BOT_RESET_FILE}`;

/** The gadget's thread stays frozen this long after the command goes out (timeout 10 s). */
const GADGET_THAW_AFTER_MS = 11_500;

/**
 * QEMU: reads of the drive throttled to 2048 bytes/s (QEMU's leaky bucket,
 * util/throttle.c, admits a first read at once, then holds the next until
 * the bucket drains: about 10 s after a 20480-byte read).
 */
const QEMU_BPS = 2048;
const QEMU_PRIME = 'raw 28000000001000000a00 --in 20480'; // READ(10) LBA 16, 10 blocks
const QEMU_HELD = 'raw 28000000010000000100 --in 2048'; // READ(10) LBA 256, 1 block

/** Commands after a reset: TEST UNIT READY, READ(10) of LBA 0, and the lock state. */
const NEXT = ['raw 000000000000', 'raw 28000000000000000100 --in 2048', 'state'];

/** The guest kernel's log, one line an entry. */
const kernelLog = () => (spawnSync('dmesg', [], { encoding: 'utf8' }).stdout ?? '').split('\n');
/** Port resets the guest kernel logged ("reset ... USB device number N using ..."). */
const portResetLines = () => kernelLog().filter((l) => /reset .*USB device number/.test(l));

async function gadgetStall(shell) {
  const freezer = await gadgetFreezer();
  if (freezer.error) return { stall: { how: 'cgroup v1 freezer', ...freezer }, command: null };
  const frozen = await freezer.freeze();
  const threadState = freezer.threadState();
  let timer;
  let thawed = null;
  const sent = now();
  const command = await shell.send('raw 000000000000', {
    timeoutMs: 120_000,
    onSent: () => {
      timer = setTimeout(async () => {
        const state = await freezer.thaw();
        thawed = { state, afterMs: Math.round(now() - sent) };
      }, GADGET_THAW_AFTER_MS);
    },
  });
  clearTimeout(timer);
  if (!thawed) thawed = { state: await freezer.thaw(), afterMs: Math.round(now() - sent) };
  return {
    stall: {
      how: `TEST UNIT READY with the gadget's file-storage thread (pid ${freezer.pid}) frozen in a cgroup v1 freezer, thawed ${GADGET_THAW_AFTER_MS} ms after the command went out`,
      frozen,
      threadStateWhileFrozen: threadState,
      thawed,
    },
    command,
  };
}

/**
 * Why QEMU's drive is not stalled with the monitor's stop/cont: the guest's
 * clocks stop with the VM, so no timeout in the guest ever sees the pause.
 */
async function qemuPause(host) {
  const guestStarted = now();
  const pause = await host.request('pause', { ms: 2000 });
  return { hostPauseMs: 2000, guestMs: Math.round(now() - guestStarted), ...pause };
}

/** A child process run while this one counts 100 ms ticks: the longest gap between them. */
async function withTicks(work) {
  const ticks = [];
  const started = now();
  const timer = setInterval(() => ticks.push(Math.round(now() - started)), 100);
  const result = await work();
  clearInterval(timer);
  let longestGapMs = 0;
  for (let i = 1; i < ticks.length; i++) {
    longestGapMs = Math.max(longestGapMs, ticks[i] - ticks[i - 1]);
  }
  return { result, ms: Math.round(now() - started), longestGapMs };
}

/**
 * Reads of QEMU's drive held back by throttling, while this process counts
 * 100 ms ticks: first through the CLI (nothing cancels the read, it just
 * takes long: the guest runs on), then through held-read-probe.mjs, whose
 * transfer gives up after 1 s (the URB cancelled): QEMU cancels the SCSI
 * command synchronously (scsi_req_cancel waits for the block layer's read),
 * and the guest stops running until the read is let through. A CLI timeout
 * ends in the same cancel (its reset), so the guest stops in the middle of
 * the CLI's recovery: a QEMU artefact, not what a drive does.
 */
async function qemuHeldRead(shell, host) {
  // The disc was changed (lock-hold put it back): let the unit attention pass first.
  for (let i = 0; i < 2; i++) await shell.send('raw 000000000000');
  const held = async (work) => {
    const throttle = await host.request('throttle', { bpsRead: QEMU_BPS });
    const r = await withTicks(work);
    const unthrottle = await host.request('throttle', { bpsRead: 0 });
    return { throttle, ...r, unthrottle };
  };
  const viaCli = await held(async () => {
    const prime = await shell.send(QEMU_PRIME);
    const r = await shell.send(QEMU_HELD, { timeoutMs: 120_000 });
    return { prime: prime.json?.ok ?? null, held: r.json?.ok ?? null, heldMs: r.ms };
  });
  const end = await shell.end(); // the probe claims the interface itself
  const probe = join(dirname(fileURLToPath(import.meta.url)), 'held-read-probe.mjs');
  const viaProbe = await held(
    () =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [probe], { stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (c) => (text += c));
        child.on('close', () => resolve(text.trim()));
      }),
  );
  return { viaCli, viaProbe, ...end };
}

export async function lockSteps({ emit, webdisc, id, device, host }) {
  const side = deviceSide(device, host);
  const session = () => new Shell(webdisc, ['--json', '--device', id, 'shell']);
  /** The disc back in if an eject that should have been refused took it. */
  const restore = async (eject) => (eject.medium ? null : side.reinsert());
  const nextCommands = async (shell) => {
    const next = [];
    for (const l of NEXT) next.push(await shell.send(l, { timeoutMs: 120_000 }));
    return next;
  };

  // 1. Held, then released.
  {
    const shell = session();
    const acquire = await shell.send('acquire devtest-lock');
    const held = await shell.send('state');
    const eject = await side.eject();
    const restored = await restore(eject);
    const release = await shell.send('release');
    const released = await shell.send('state');
    const ejectReleased = await side.eject();
    const reinsert = await side.reinsert();
    const end = await shell.end();
    emit('lock-hold', {
      acquire,
      state: held,
      eject,
      restored,
      release,
      released,
      ejectReleased,
      reinsert,
      ...end,
    });
  }

  // 1b. Another process while the first holds the drive, then the holder killed.
  {
    const holder = session();
    const acquire = await holder.send('acquire devtest-owner');
    const other = session();
    const otherOwner = await other.send('owner');
    const otherState = await other.send('state');
    const otherAcquire = await other.send('acquire devtest-other');
    const otherForce = await other.send('acquire devtest-other force');
    const otherEnd = await other.end();
    const stillHeld = await holder.send('state');
    const eject = await side.eject();
    const restored = await restore(eject);
    // The next process is up (Node starts slowly under TCG) before the kill.
    const next = session();
    const warm = await next.send('owner');
    const killedAt = now();
    const holderEnd = await holder.kill();
    let after;
    const tries = [];
    // The record is the holder's socket: the kernel frees it with the process.
    while (now() - killedAt < 10_000) {
      after = await next.send('acquire devtest-after');
      tries.push(Math.round(now() - killedAt));
      if (after.json?.ok) break;
    }
    const freedMs = Math.round(now() - killedAt);
    const staleState = await next.send('state');
    const release = await next.send('release');
    const ejectAfter = await side.eject();
    const reinsert = await side.reinsert();
    const nextEnd = await next.end();
    emit('lock-other-process', {
      acquire,
      otherOwner,
      otherState,
      otherAcquire,
      otherForce,
      stillHeld,
      eject,
      restored,
      warm,
      staleState,
      after,
      tries,
      freedMs,
      release,
      ejectAfter,
      reinsert,
      holder: holderEnd,
      other: otherEnd,
      next: nextEnd,
    });
  }

  // 2. A timeout, and the port reset after it.
  const timeout = async (step) => {
    const shell = session();
    const acquire = await shell.send('acquire devtest-lock');
    const before = portResetLines().length;
    const logBefore = kernelLog().length;
    const stalled = await gadgetStall(shell);
    const resets = portResetLines().slice(before);
    const log = kernelLog().slice(logBefore - 1, logBefore + 30);
    const kernel = kernelHold();
    const eject = await side.eject();
    const restored = await restore(eject);
    const next = await nextCommands(shell);
    const release = await shell.send('release');
    const end = await shell.end();
    emit(step, {
      acquire,
      ...stalled,
      portResets: resets.length,
      portResetLog: resets,
      kernelLog: log.filter(Boolean),
      kernelAfter: kernel,
      eject,
      restored,
      next,
      release,
      ...end,
    });
  };
  // 3. A Bulk-Only reset. Before QEMU's timing experiments: a transfer they
  // cancel can leave QEMU's drive gone from the bus for the steps after them.
  {
    writeFileSync(BOT_RESET_FILE, new Uint8Array(36));
    const shell = session();
    const acquire = await shell.send('acquire devtest-lock');
    const before = portResetLines().length;
    const trigger = await shell.send(BOT_RESET_LINE);
    const resets = portResetLines().length - before;
    const eject = await side.eject();
    const restored = await restore(eject);
    const next = await nextCommands(shell);
    const release = await shell.send('release');
    const end = await shell.end();
    emit('lock-bot-reset', {
      acquire,
      trigger,
      portResets: resets,
      eject,
      restored,
      next,
      release,
      ...end,
    });
  }

  if (device === 'gadget') {
    await timeout('lock-timeout-desktop');
    emit('unbind-again', await unbindUsbStorage());
    emit('unload-usb-storage', unloadUsbStorage());
    await timeout('lock-timeout');
  } else {
    emit('qemu-pause', await qemuPause(host));
    emit('qemu-held-read', await qemuHeldRead(session(), host));
  }
}
