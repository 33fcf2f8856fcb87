/**
 * The burn's fourth step, close: SYNCHRONIZE CACHE, then CLOSE TRACK and
 * CLOSE SESSION (or finalize) where the write type needs them (MMC-6 §6.3);
 * a DVD+RW's background format stopped and its lead-out written (format.ts).
 */
import {
  CloseFunction,
  INVISIBLE_TRACK,
  TrackAddressType,
  closeTrackSession,
  parseTrackInformation,
  readTrackInformation,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import { synchronizeCache10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import { PROFILE } from '../../contract/profiles.ts';
import type { BurnRun } from './burn-run.ts';
import { closeDvdPlusRw } from './format.ts';

export async function close(run: BurnRun): Promise<void> {
  const { drive, signal, family, writeType } = run;
  const progress = (f: number) => run.report('finalizing', f);
  run.report('finalizing', null, true);
  await drive.run(synchronizeCache10({ immed: true }), { signal });
  await drive.waitReady({ signal, onProgress: progress });
  if (run.profile === PROFILE.DVD_PLUS_RW) {
    await closeDvdPlusRw(drive, signal, progress);
    return;
  }
  // SAO and DAO sessions close themselves on SYNCHRONIZE CACHE (MMC-6 §4.5.6).
  if (family === 'random' || writeType === 'sao') return;
  const track = await invisibleOrLastTrack(run);
  if (writeType === 'dao') return;
  if (track !== undefined) {
    await drive.run(
      closeTrackSession({ closeFunction: CloseFunction.Track, number: track, immed: true }),
      { signal },
    );
    await drive.waitReady({ signal, onProgress: progress });
  }
  const fn =
    family === 'plus-r' && run.close ? finalizeFunction(run.profile) : CloseFunction.Session;
  await drive.run(closeTrackSession({ closeFunction: fn, immed: true }), { signal });
  await drive.waitReady({ signal, onProgress: progress, notReadyBudgetMs: 30 * 60_000 });
}

/** The track number writing went into (the incomplete "invisible" track, or the last one). */
async function invisibleOrLastTrack(run: BurnRun): Promise<number | undefined> {
  const r = await run.drive.run(
    readTrackInformation({ addressType: TrackAddressType.Track, address: INVISIBLE_TRACK }),
    { signal: run.signal, allowCheckCondition: true },
  );
  if (r.status !== 'good') return undefined;
  return parseTrackInformation(r.data).trackNumber;
}

/**
 * The CLOSE function that finalizes a DVD+R, DVD+R DL or BD-R: 101b
 * ("finalize with minimal radius") on DVD+R DL, as growisofs
 * `plus_r_finalize` does ("HP dvd520n insists on finalize with minimum
 * radius with DVD+R DL"); 110b on DVD+R (growisofs) and BD-R (libburn
 * `burn_disc_finalize_dvd_plus_r`).
 */
function finalizeFunction(profile: number): number {
  return profile === PROFILE.DVD_PLUS_R_DL
    ? CloseFunction.FinalizeMinimalRadius
    : CloseFunction.Finalize;
}
