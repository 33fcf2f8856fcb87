/**
 * The write speed (docs/real-drives.md §4, "Speed"): asked for the way each
 * medium takes it, and reported as the drive says it writes, never as asked
 * (drives round, cap for the medium, or ignore the request).
 *
 * - DVD and BD: GET PERFORMANCE TYPE 03h lists the speeds, SET STREAMING asks
 *   for one (read speed from the same descriptor, sizes over 1000 ms, end LBA
 *   the capacity - 1: growisofs `set_speed_B6h`, libburn `mmc_set_streaming`);
 *   a drive without GET PERFORMANCE falls back to SET CD SPEED with page
 *   2Ah's list, as both do.
 * - CD: SET CD SPEED with page 2Ah's list (libburn cookbook.txt: "Speed is
 *   usually set to the next lower possible value by the drive").
 * - The speed in effect: GET PERFORMANCE TYPE 00h with WRITE (growisofs
 *   `pull_velocity`: the higher of the descriptor's start and end), else page
 *   2Ah CURRENT WRITE SPEED SELECTED (bytes 28-29) or CURRENT WRITE SPEED
 *   (20-21), read again after the change ("unit might have provided
 *   irrelevant information (Plextor) ... simply failed to reply to GET
 *   CURRENT PERFORMANCE (Pioneer, LG)").
 */
import {
  PerformanceType,
  getPerformance,
  parsePerformance,
  parseWriteSpeeds,
  setStreaming,
} from '../../usb-mass-storage/src/scsi/performance.ts';
import { MAX_SPEED, setCdSpeed } from '../../usb-mass-storage/src/scsi/mmc.ts';
import {
  ModePageCode,
  findModePage,
  parseCapabilities,
  parseModeParameterList,
  type Capabilities,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { modeSense10 } from '../../usb-mass-storage/src/scsi/spc.ts';
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import { writeFamilyOf } from '../../contract/profiles.ts';
import { fail, type BurnRun } from './burn-run.ts';

interface SpeedChoice {
  readonly writeKBps: number;
  readonly readKBps: number;
}

interface SpeedList {
  readonly choices: readonly SpeedChoice[];
  /** From GET PERFORMANCE: asked for with SET STREAMING; else page 2Ah's, with SET CD SPEED. */
  readonly streaming: boolean;
  /** Page 2Ah was read (its list may still be empty). */
  readonly page: boolean;
}

/**
 * The speeds the drive offers for the disc in it, the one rule for the burn
 * and for what a dialog offers (MediaState.writeSpeedsKBps): GET PERFORMANCE
 * TYPE 03h for DVD and BD, else page 2Ah's write speed descriptors; drives
 * give both for the medium loaded, so both are read again for each disc,
 * never kept from another (docs/real-drives.md §4: the cached page may be
 * another medium's; issue 19, defect 2: a DVD+R offered CD speeds).
 */
async function speedList(
  drive: ScsiDrive,
  cd: boolean,
  signal?: AbortSignalLike,
): Promise<SpeedList> {
  const listed = cd ? undefined : await performanceSpeeds(drive, signal);
  if (listed) return { choices: listed, streaming: true, page: false };
  const page = await page2A(drive, signal);
  const speeds = page?.writeSpeeds.map((w) => w.speed).filter((s) => s > 0) ?? [];
  return {
    choices: speeds.map((writeKBps) => ({ writeKBps, readKBps: MAX_SPEED })),
    streaming: false,
    page: page !== undefined,
  };
}

/**
 * The write speeds (kB/s, fastest first, each once) the drive reports for
 * the medium of `profile`; none for a medium no burn writes (pressed discs).
 */
export async function mediumWriteSpeeds(
  drive: ScsiDrive,
  profile: number,
  signal?: AbortSignalLike,
): Promise<number[]> {
  const family = writeFamilyOf(profile);
  if (!family) return [];
  const { choices } = await speedList(drive, family === 'cd', signal);
  return [...new Set(choices.map((c) => c.writeKBps))].sort((a, b) => b - a);
}

/** Sets the asked-for speed (if any) and reports the one the drive then writes at. */
export async function setWriteSpeed(run: BurnRun): Promise<void> {
  const wanted = run.options.speedKBps;
  const cd = run.family === 'cd';
  if (wanted !== undefined) {
    const list = await speedList(run.drive, cd, run.signal);
    // No page 2Ah now: the list the drive gave when its info was read.
    const choices =
      list.choices.length > 0 || list.page
        ? list.choices
        : run.info.capabilities.writeSpeedsKBps
            .filter((s) => s > 0)
            .map((writeKBps) => ({ writeKBps, readKBps: MAX_SPEED }));
    if (choices.length === 0) {
      throw fail(
        'E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED',
        'The drive reports no write speeds to choose from.',
      );
    }
    // IMAPI adjusts an unsupported speed to one the drive has (S_IMAPI_SPEEDADJUSTED): the fastest not above it.
    const sorted = [...choices].sort((a, b) => b.writeKBps - a.writeKBps);
    const choice = sorted.find((c) => c.writeKBps <= wanted) ?? sorted.at(-1)!;
    if (list.streaming) {
      const endLba = Math.max(0, run.media.capacityBlocks - 1);
      await run.drive.run(setStreaming({ ...choice, endLba }), { signal: run.signal });
    } else {
      await run.drive.run(setCdSpeed({ writeSpeed: Math.min(choice.writeKBps, MAX_SPEED) }), {
        signal: run.signal,
        allowCheckCondition: true,
      });
    }
  }
  run.speedKBps = (cd ? null : await performanceInEffect(run)) ?? (await pageSpeedInEffect(run));
}

/** GET PERFORMANCE TYPE 03h: the medium's write speeds; undefined when the drive has no such list. */
async function performanceSpeeds(
  drive: ScsiDrive,
  signal?: AbortSignalLike,
): Promise<SpeedChoice[] | undefined> {
  const r = await drive.run(
    getPerformance({ type: PerformanceType.WriteSpeed, maxDescriptors: 32 }),
    { signal, allowCheckCondition: true },
  );
  if (r.status !== 'good') return undefined;
  const speeds = parseWriteSpeeds(r.data).filter((d) => d.writeKBps > 0);
  return speeds.length > 0
    ? speeds.map((d) => ({ writeKBps: d.writeKBps, readKBps: d.readKBps }))
    : undefined;
}

async function page2A(
  drive: ScsiDrive,
  signal?: AbortSignalLike,
): Promise<Capabilities | undefined> {
  const r = await drive.run(
    modeSense10({ pageCode: ModePageCode.Capabilities, allocationLength: 256 }),
    { signal, allowCheckCondition: true },
  );
  if (r.status !== 'good') return undefined;
  const raw = findModePage(parseModeParameterList(r.data), ModePageCode.Capabilities);
  return raw ? parseCapabilities(raw) : undefined;
}

/** GET PERFORMANCE TYPE 00h, WRITE: the write speed in effect; null when the drive does not say. */
async function performanceInEffect(run: BurnRun): Promise<number | null> {
  const r = await run.drive.run(
    getPerformance({ type: PerformanceType.Performance, write: true, maxDescriptors: 1 }),
    { signal: run.signal, allowCheckCondition: true },
  );
  if (r.status !== 'good') return null;
  const speeds = parsePerformance(r.data).flatMap((d) => [d.startKBps, d.endKBps]);
  const top = Math.max(0, ...speeds);
  return top > 0 ? top : null;
}

/** Page 2Ah bytes 28-29, else 20-21 (libburn `spc_sense_caps_al`); null when the drive has no page. */
async function pageSpeedInEffect(run: BurnRun): Promise<number | null> {
  const page = await page2A(run.drive, run.signal);
  const speed = page?.currentWriteSpeedSelected ?? page?.currentWriteSpeed;
  return speed ? speed : null;
}
