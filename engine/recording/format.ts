/**
 * FORMAT UNIT for DVD+RW (26h) and BD-RE (30h), with the descriptor the
 * drive lists, never an invented one (MMC-6 §6.5, §6.24; docs/real-drives.md
 * §4): READ FORMAT CAPACITIES gives the number of blocks and the type
 * dependent parameter, feature 0023h the certification subtypes the drive
 * offers. Sent with IMMED; the caller polls TEST UNIT READY.
 */
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import {
  parseFormatCapacities,
  readFormatCapacities,
  type FormattableCapacity,
} from '../../usb-mass-storage/src/scsi/format-capacities.ts';
import {
  CloseFunction,
  FormatType,
  closeTrackSession,
  formatUnit,
  parseDiscInformation,
  readDiscInformation,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import type { ScsiRequest } from '../../usb-mass-storage/src/scsi/command.ts';
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import { PROFILE, profileName } from '../../contract/profiles.ts';
import { BurnFeature, readFeature } from './drive-features.ts';

export type Certification = 'full' | 'quick';

/** BD-RE format subtypes of 30h/31h (MMC-6 §6.5.4.2.15). */
const Subtype = { QuickReformat: 0, FullCertification: 2, QuickCertification: 3 } as const;

/**
 * The FORMAT UNIT that formats `profile` (DVD+RW or BD-RE) with the drive's
 * own descriptor:
 * - DVD+RW: the 26h descriptor's NUMBER OF BLOCKS, type dependent parameter
 *   0, header IMMED (growisofs `plus_rw_format` copies the blocks and sets
 *   only IMMED; libburn leaves the parameter 0 for 26h).
 * - BD-RE: the first 30h descriptor (the default spare areas: "#1: default
 *   size", libburn cookbook.txt), blocks and type dependent parameter copied,
 *   header FOV|IMMED (dvd+rw-format 82h); subtype from feature 0023h as
 *   libburn `mmc_format_unit` picks it: full certification (10b) if CERT is
 *   set and a full erase is asked for, quick certification (11b) if QCERT is
 *   set and a quick one is, else 00b.
 */
export async function formatRequestFor(
  drive: ScsiDrive,
  signal: AbortSignalLike,
  profile: number,
  certification: Certification,
): Promise<ScsiRequest> {
  const bd = profile === PROFILE.BD_RE;
  const type = bd ? FormatType.BdReWithSpare : FormatType.DvdPlusRw;
  const descriptor = await listedDescriptor(drive, signal, profile, type);
  let subtype: number = Subtype.QuickReformat;
  if (bd) {
    const f = await readFeature(drive, BurnFeature.Formattable, signal);
    const bits = f?.data[0] ?? 0; // byte 4: RENOSA(3) EXPAND(2) QCERT(1) CERT(0)
    if (certification === 'full' && bits & 0x01) subtype = Subtype.FullCertification;
    if (certification === 'quick' && bits & 0x02) subtype = Subtype.QuickCertification;
  }
  return formatUnit({
    fov: bd,
    dcrt: false,
    tryOut: false,
    immed: true,
    numberOfBlocks: descriptor.blocks,
    formatType: type,
    formatSubtype: subtype,
    typeDependent: bd ? descriptor.typeDependent : 0,
  });
}

/** READ DISC INFORMATION byte 7 bits 1:0 on DVD+RW (MMC-6 §6.22.3.1.13). */
export const BgFormatStatus = { None: 0, Stopped: 1, Running: 2, Complete: 3 } as const;

/** The DVD+RW's BG FORMAT STATUS; null when the drive does not say (no READ DISC INFORMATION). */
export async function backgroundFormatStatus(
  drive: ScsiDrive,
  signal: AbortSignalLike,
): Promise<number | null> {
  const r = await drive.run(readDiscInformation(), { signal, allowCheckCondition: true });
  return r.status === 'good' ? parseDiscInformation(r.data).bgFormatStatus : null;
}

/**
 * FORMAT UNIT 26h with the Restart bit (parameter list byte 11 bit 0) and
 * the 26h descriptor's blocks: a stopped background format (01b) resumes,
 * so the whole disc can be written (growisofs `plus_rw_restart_format`;
 * libburn `burn_disc_setup_dvd_plus_rw` restarts whenever the status is 01b,
 * as this does; cookbook.txt "Partly formatted DVD+RW").
 */
export async function restartRequestFor(
  drive: ScsiDrive,
  signal: AbortSignalLike,
): Promise<ScsiRequest> {
  const descriptor = await listedDescriptor(
    drive,
    signal,
    PROFILE.DVD_PLUS_RW,
    FormatType.DvdPlusRw,
  );
  return formatUnit({
    fov: false,
    dcrt: false,
    tryOut: false,
    immed: true,
    numberOfBlocks: descriptor.blocks,
    formatType: FormatType.DvdPlusRw,
    formatSubtype: 0,
    typeDependent: 0x000001,
  });
}

/**
 * Ends a DVD+RW session as growisofs `plus_rw_finalize` and dvd+rw-format do:
 * CLOSE TRACK/SESSION 000b with IMMED ("Stop De-Icing": the background format
 * stops), then 010b with IMMED (the lead-out: other drives read the disc),
 * each waited for. libburn sends only the 010b, which stops the format too,
 * so a drive that refuses the 000b is let be, as growisofs does (it reports
 * "STOP DE-ICING" failing and goes on to the 010b).
 */
export async function closeDvdPlusRw(
  drive: ScsiDrive,
  signal: AbortSignalLike,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const wait = () => drive.waitReady({ signal, onProgress, notReadyBudgetMs: 30 * 60_000 });
  const stop = await drive.run(
    closeTrackSession({ closeFunction: CloseFunction.StopBackgroundFormat, immed: true }),
    { signal, allowCheckCondition: true },
  );
  if (stop.status === 'good') await wait();
  await drive.run(closeTrackSession({ closeFunction: CloseFunction.Session, immed: true }), {
    signal,
  });
  await wait();
}

/** The first descriptor of `type` READ FORMAT CAPACITIES lists. */
async function listedDescriptor(
  drive: ScsiDrive,
  signal: AbortSignalLike,
  profile: number,
  type: number,
): Promise<FormattableCapacity> {
  const r = await drive.run(readFormatCapacities(), { signal });
  const found = parseFormatCapacities(r.data).formattable.find((f) => f.formatType === type);
  if (!found) {
    throw new WebdiscError(
      'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
      `The drive offers no format of type ${type.toString(16).padStart(2, '0')}h for this ${profileName(profile)}.`,
    );
  }
  return found;
}
