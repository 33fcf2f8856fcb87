/**
 * The MMC profile tables every realm decides with (MMC-6 §5.3.1 table 88):
 * names, IMAPI2's physical media types, how each profile is written and how
 * it is erased. The engine enforces them; the UI uses the same tables to
 * refuse up front with a clear message; the CLI prints them.
 */

export const PROFILE = {
  NONE: 0x0000,
  CD_ROM: 0x0008,
  CD_R: 0x0009,
  CD_RW: 0x000a,
  DVD_ROM: 0x0010,
  DVD_R: 0x0011,
  DVD_RAM: 0x0012,
  DVD_RW_RESTRICTED_OVERWRITE: 0x0013,
  DVD_RW_SEQUENTIAL: 0x0014,
  DVD_R_DL_SEQUENTIAL: 0x0015,
  DVD_R_DL_LAYER_JUMP: 0x0016,
  DVD_PLUS_RW: 0x001a,
  DVD_PLUS_R: 0x001b,
  DVD_PLUS_RW_DL: 0x002a,
  DVD_PLUS_R_DL: 0x002b,
  BD_ROM: 0x0040,
  BD_R_SRM: 0x0041,
  BD_R_RRM: 0x0042,
  BD_RE: 0x0043,
} as const;
export type Profile = (typeof PROFILE)[keyof typeof PROFILE];

export const PROFILE_NAMES: Readonly<Record<number, string>> = {
  [PROFILE.NONE]: 'no current profile',
  [PROFILE.CD_ROM]: 'CD-ROM',
  [PROFILE.CD_R]: 'CD-R',
  [PROFILE.CD_RW]: 'CD-RW',
  [PROFILE.DVD_ROM]: 'DVD-ROM',
  [PROFILE.DVD_R]: 'DVD-R sequential',
  [PROFILE.DVD_RAM]: 'DVD-RAM',
  [PROFILE.DVD_RW_RESTRICTED_OVERWRITE]: 'DVD-RW restricted overwrite',
  [PROFILE.DVD_RW_SEQUENTIAL]: 'DVD-RW sequential',
  [PROFILE.DVD_R_DL_SEQUENTIAL]: 'DVD-R DL sequential',
  [PROFILE.DVD_R_DL_LAYER_JUMP]: 'DVD-R DL layer jump',
  [PROFILE.DVD_PLUS_RW]: 'DVD+RW',
  [PROFILE.DVD_PLUS_R]: 'DVD+R',
  [PROFILE.DVD_PLUS_RW_DL]: 'DVD+RW DL',
  [PROFILE.DVD_PLUS_R_DL]: 'DVD+R DL',
  [PROFILE.BD_ROM]: 'BD-ROM',
  [PROFILE.BD_R_SRM]: 'BD-R SRM',
  [PROFILE.BD_R_RRM]: 'BD-R RRM',
  [PROFILE.BD_RE]: 'BD-RE',
};

/** "DVD+RW", or "profile 0xNNNN" for one not in the table. */
export function profileName(code: number): string {
  return PROFILE_NAMES[code] ?? `profile 0x${code.toString(16).padStart(4, '0')}`;
}

const PHYSICAL_TYPES: Readonly<Record<number, string>> = {
  [PROFILE.CD_ROM]: 'IMAPI_MEDIA_TYPE_CDROM',
  [PROFILE.CD_R]: 'IMAPI_MEDIA_TYPE_CDR',
  [PROFILE.CD_RW]: 'IMAPI_MEDIA_TYPE_CDRW',
  [PROFILE.DVD_ROM]: 'IMAPI_MEDIA_TYPE_DVDROM',
  [PROFILE.DVD_R]: 'IMAPI_MEDIA_TYPE_DVDDASHR',
  [PROFILE.DVD_RAM]: 'IMAPI_MEDIA_TYPE_DVDRAM',
  [PROFILE.DVD_RW_RESTRICTED_OVERWRITE]: 'IMAPI_MEDIA_TYPE_DVDDASHRW',
  [PROFILE.DVD_RW_SEQUENTIAL]: 'IMAPI_MEDIA_TYPE_DVDDASHRW',
  [PROFILE.DVD_R_DL_SEQUENTIAL]: 'IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER',
  [PROFILE.DVD_R_DL_LAYER_JUMP]: 'IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER',
  [PROFILE.DVD_PLUS_RW]: 'IMAPI_MEDIA_TYPE_DVDPLUSRW',
  [PROFILE.DVD_PLUS_R]: 'IMAPI_MEDIA_TYPE_DVDPLUSR',
  [PROFILE.DVD_PLUS_RW_DL]: 'IMAPI_MEDIA_TYPE_DVDPLUSRW_DUALLAYER',
  [PROFILE.DVD_PLUS_R_DL]: 'IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER',
  [PROFILE.BD_ROM]: 'IMAPI_MEDIA_TYPE_BDROM',
  [PROFILE.BD_R_SRM]: 'IMAPI_MEDIA_TYPE_BDR',
  [PROFILE.BD_R_RRM]: 'IMAPI_MEDIA_TYPE_BDR',
  [PROFILE.BD_RE]: 'IMAPI_MEDIA_TYPE_BDRE',
};

/** IMAPI2's IMAPI_MEDIA_PHYSICAL_TYPE for an MMC profile. */
export function physicalTypeOf(profile: number): string {
  return PHYSICAL_TYPES[profile] ?? 'IMAPI_MEDIA_TYPE_UNKNOWN';
}

const MEDIA_TYPE_NAMES: Readonly<Record<string, string>> = {
  UNKNOWN: 'unknown',
  CDROM: 'CD-ROM',
  CDR: 'CD-R',
  CDRW: 'CD-RW',
  DVDROM: 'DVD-ROM',
  DVDRAM: 'DVD-RAM',
  DVDPLUSR: 'DVD+R',
  DVDPLUSRW: 'DVD+RW',
  DVDPLUSR_DUALLAYER: 'DVD+R DL',
  DVDPLUSRW_DUALLAYER: 'DVD+RW DL',
  DVDDASHR: 'DVD-R',
  DVDDASHRW: 'DVD-RW',
  DVDDASHR_DUALLAYER: 'DVD-R DL',
  DISK: 'random-access disc',
  HDDVDROM: 'HD DVD-ROM',
  HDDVDR: 'HD DVD-R',
  HDDVDRAM: 'HD DVD-RAM',
  BDROM: 'BD-ROM',
  BDR: 'BD-R',
  BDRE: 'BD-RE',
};

/** IMAPI_MEDIA_TYPE_DVDPLUSR -> DVD+R (IMAPI_MEDIA_PHYSICAL_TYPE names). */
export function mediaTypeName(physicalType: string): string {
  const t = physicalType.replace(/^IMAPI_MEDIA_TYPE_/, '');
  return MEDIA_TYPE_NAMES[t] ?? (t || 'unknown');
}

/**
 * How a profile is written (MMC-6 §4): CD (TAO or SAO), DVD-R/-RW
 * (incremental or DAO), the "+R" family (DVD+R, DVD+R DL, BD-R: no page 05h)
 * and random-writable media (DVD+RW, BD-RE, DVD-RW in restricted overwrite)
 * written in place from LBA 0.
 */
export type WriteFamily = 'cd' | 'dvd-minus' | 'plus-r' | 'random';

export const WRITE_FAMILY: Readonly<Record<number, WriteFamily>> = {
  [PROFILE.CD_R]: 'cd',
  [PROFILE.CD_RW]: 'cd',
  [PROFILE.DVD_R]: 'dvd-minus',
  [PROFILE.DVD_RW_SEQUENTIAL]: 'dvd-minus',
  [PROFILE.DVD_R_DL_SEQUENTIAL]: 'dvd-minus',
  [PROFILE.DVD_R_DL_LAYER_JUMP]: 'dvd-minus',
  [PROFILE.DVD_PLUS_R]: 'plus-r',
  [PROFILE.DVD_PLUS_R_DL]: 'plus-r',
  [PROFILE.BD_R_SRM]: 'plus-r',
  [PROFILE.BD_R_RRM]: 'plus-r',
  [PROFILE.DVD_PLUS_RW]: 'random',
  [PROFILE.BD_RE]: 'random',
  [PROFILE.DVD_RW_RESTRICTED_OVERWRITE]: 'random',
};

/** The write family of a profile; null when the profile cannot be written. */
export function writeFamilyOf(profile: number | undefined): WriteFamily | null {
  return profile === undefined ? null : (WRITE_FAMILY[profile] ?? null);
}

/**
 * How a profile is erased (IDiscFormat2Erase): BLANK for CD-RW and DVD-RW
 * (sequential or restricted overwrite, MMC-6 §6.2), FORMAT UNIT for DVD+RW
 * and BD-RE (§6.5); null for everything else.
 */
export type EraseMethod = 'blank' | 'format';

const ERASE_METHOD: Readonly<Record<number, EraseMethod>> = {
  [PROFILE.CD_RW]: 'blank',
  [PROFILE.DVD_RW_RESTRICTED_OVERWRITE]: 'blank',
  [PROFILE.DVD_RW_SEQUENTIAL]: 'blank',
  [PROFILE.DVD_PLUS_RW]: 'format',
  [PROFILE.BD_RE]: 'format',
};

export function eraseMethodOf(profile: number | undefined): EraseMethod | null {
  return profile === undefined ? null : (ERASE_METHOD[profile] ?? null);
}

/** The sentence both the engine and the UI give for a medium that cannot be erased. */
export const ERASABLE_MEDIA_WORDS = 'only CD-RW, DVD-RW, DVD+RW and BD-RE can';

/** Every data burn writes 2048-byte user-data sectors (Mode 1 / DVD / BD, MMC-6 §4.2.2). */
export const SECTOR_BYTES = 2048;

/** Sectors an image of `bytes` bytes takes: the last one is padded with zeros. */
export function sectorsFor(bytes: number): number {
  return Math.ceil(bytes / SECTOR_BYTES);
}

/**
 * A medium's "1×" in kB/s (MMC counts 1 kB = 1000 bytes) from its IMAPI
 * physical type: CD 176.4 (75 sectors of 2352 bytes a second: 150 KiB/s of
 * 2048-byte data), DVD 1385, BD 4495. Null when the type is not one of them.
 */
export function oneXKBps(physicalType: string): number | null {
  if (/_CD/.test(physicalType)) return 176.4;
  if (/_DVD|_HDDVD/.test(physicalType)) return 1385;
  if (/_BD/.test(physicalType)) return 4495;
  return null;
}

/** "8× (11,080 kB/s)"; "11,080 kB/s" when the medium's 1× is unknown. */
export function speedWords(kBps: number, physicalType: string): string {
  const x = oneXKBps(physicalType);
  const rate = `${Math.round(kBps).toLocaleString('en-US')} kB/s`;
  if (x === null) return rate;
  const times = kBps / x;
  const shown = times >= 10 ? Math.round(times) : Math.round(times * 10) / 10;
  return `${shown}× (${rate})`;
}

/**
 * A speed as a person types it (cdrecord's `speed=16`, "16x", "max", or
 * "11080kB/s"), in kB/s for the medium; undefined for the drive's fastest.
 */
export function parseSpeed(text: string, physicalType: string): number | undefined | Error {
  const t = text.trim().toLowerCase();
  if (t === 'max' || t === 'maximum' || t === '0') return undefined;
  const kb = /^(\d+(?:\.\d+)?)\s*kb\/s$/.exec(t);
  if (kb) return Number(kb[1]);
  const m = /^(\d+(?:\.\d+)?)\s*(x|×)?$/.exec(t);
  if (!m) return new Error(`"${text}" is not a speed: use 16x, max, or 11080kB/s`);
  const factor = Number(m[1]);
  if (!(factor > 0)) return new Error(`"${text}" is not a speed above 0`);
  const x = oneXKBps(physicalType);
  if (x === null)
    return new Error(`the disc's 1× is unknown; give the speed in kB/s (e.g. 11080kB/s)`);
  return Math.round(factor * x);
}
