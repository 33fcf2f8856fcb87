// In the guest: what the device's side does, outside the CLI, for the
// tray-lock checks (guest/lock-steps.mjs): the OS's eject, putting the disc
// back, and stalling the device so that a command times out.
//   qemu    through the QEMU monitor on the host (guest/host.mjs): HMP
//           `eject cd` (refused while the scsi-cd holds PREVENT), query-block,
//           `change`; a stall by read throttling of the drive (block_set_io_throttle)
//   gadget  in this guest, which is the gadget's machine too: the LUN's
//           configfs `file` (storage_common.c fsg_store_file: -EBUSY while
//           the host prevents medium removal; `forced_eject` would ignore
//           PREVENT, so it is not the OS's eject); a stall by freezing the
//           gadget's `file-storage` kernel thread in a cgroup v1 freezer
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const LUN = '/sys/kernel/config/usb_gadget/webdisc/functions/mass_storage.0/lun.0';
const FREEZER = '/mnt/freezer'; // a cgroup v1 hierarchy with the freezer controller
const STALL = `${FREEZER}/webdisc-stall`;

const readText = (path) => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    return `(${error.code ?? error.message})`;
  }
};

/** Writes a kernel file; null, or the errno name it was refused with. */
function writeKernel(path, text) {
  try {
    writeFileSync(path, text);
    return null;
  } catch (error) {
    return error.code ?? String(error.message);
  }
}

export function deviceSide(device, host) {
  return device === 'qemu' ? qemuSide(host) : gadgetSide();
}

function qemuSide(host) {
  return {
    /** HMP `eject cd`, then the drive as query-block shows it. */
    async eject() {
      const r = await host.request('eject');
      const after = await host.request('drive');
      return {
        how: `QEMU monitor (HMP): ${r.command}`,
        output: r.output ?? null,
        error: r.error ?? null,
        refused: /locked/i.test(r.output ?? '') || Boolean(r.error),
        after,
        medium: after.inserted === true && after.trayOpen !== true,
      };
    },
    async state() {
      return host.request('drive');
    },
    async reinsert() {
      const r = await host.request('reinsert');
      return { ...r, after: await host.request('drive') };
    },
  };
}

function gadgetSide() {
  return {
    /** `echo > lun.0/file` (eject), then what `file` says. */
    async eject() {
      const errno = writeKernel(`${LUN}/file`, '\n');
      const file = readText(`${LUN}/file`);
      return {
        how: `echo > ${LUN}/file`,
        output: errno ? `write: ${errno}` : 'write: ok',
        error: errno,
        refused: errno !== null,
        after: { file },
        medium: file === '/dev/vda',
      };
    },
    async state() {
      return { file: readText(`${LUN}/file`) };
    },
    async reinsert() {
      const errno = writeKernel(`${LUN}/file`, '/dev/vda\n');
      return { error: errno, after: { file: readText(`${LUN}/file`) } };
    },
  };
}

/** The pid of the gadget's `file-storage` kernel thread (f_mass_storage.c). */
function fileStoragePid() {
  for (const p of readdirSync('/proc')) {
    if (/^\d+$/.test(p) && readText(`/proc/${p}/comm`) === 'file-storage') return Number(p);
  }
  return null;
}

/**
 * The gadget's stall: its file-storage thread is a kernel thread, so
 * SIGSTOP does nothing to it, but it is freezable (set_freezable(), and it
 * sleeps in wait_event_freezable between commands), and a cgroup v1 freezer
 * freezes a freezable kernel thread put in it. Frozen, it takes no CBW and
 * answers no class request; thawed, it goes on where it was.
 */
export async function gadgetFreezer() {
  const info = { pid: fileStoragePid() };
  if (!existsSync(FREEZER)) {
    mkdirSync(FREEZER, { recursive: true });
    const m = spawnSync('mount', ['-t', 'cgroup', '-o', 'freezer', 'freezer', FREEZER], {
      encoding: 'utf8',
    });
    if (m.status !== 0) return { ...info, error: `mount freezer: ${m.stderr.trim()}` };
  }
  if (!existsSync(STALL)) mkdirSync(STALL);
  if (info.pid === null) return { ...info, error: 'no file-storage thread' };
  const moved = writeKernel(`${STALL}/tasks`, `${info.pid}\n`);
  if (moved) return { ...info, error: `moving the thread into the freezer: ${moved}` };
  const state = async (want) => {
    const refused = writeKernel(`${STALL}/freezer.state`, `${want}\n`);
    if (refused) return `writing ${want}: ${refused}`;
    for (let i = 0; i < 100; i++) {
      const now = readText(`${STALL}/freezer.state`);
      if (now === want) return now;
      await sleep(50);
    }
    return readText(`${STALL}/freezer.state`);
  };
  return {
    ...info,
    freeze: () => state('FROZEN'),
    thaw: () => state('THAWED'),
    threadState: () => readText(`/proc/${info.pid}/stat`).split(' ')[2] ?? null,
  };
}

/** What the guest's kernel has of the drive: usb-storage's interfaces and sr devices. */
export function kernelHold() {
  const dir = '/sys/bus/usb/drivers/usb-storage';
  return {
    usbStorageLoaded: existsSync('/sys/module/usb_storage'),
    usbStorage: existsSync(dir)
      ? readdirSync(dir).filter((n) => /^\d+-[\d.]+:\d+\.\d+$/.test(n))
      : [],
    sr: readdirSync('/sys/block').filter((n) => n.startsWith('sr')),
  };
}

/** Takes the drive from usb-storage again (sysfs unbind); the interfaces unbound. */
export async function unbindUsbStorage() {
  const unbound = [];
  for (const intf of kernelHold().usbStorage) {
    if (!writeKernel('/sys/bus/usb/drivers/usb-storage/unbind', intf)) unbound.push(intf);
  }
  for (let i = 0; i < 100 && kernelHold().sr.length; i++) await sleep(100);
  return { unbound, ...kernelHold() };
}

/** Unloads usb-storage, so that nothing in the kernel can take the drive back after a reset. */
export function unloadUsbStorage() {
  const r = spawnSync('modprobe', ['-r', 'usb_storage'], { encoding: 'utf8' });
  return { exit: r.status, stderr: r.stderr?.trim() || null, ...kernelHold() };
}
