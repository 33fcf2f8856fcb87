/**
 * Reading a drive's identity and capabilities into the API's display types:
 * INQUIRY, GET CONFIGURATION (profiles and features), MODE SENSE pages 2Ah and
 * 05h. Simple bridges reject some of these with 5/20/00 or 5/24/00: that is
 * "unsupported", not a failure (protocol-notes.md, "Quirks").
 */
import type { ScsiDrive } from '../usb-mass-storage/src/scsi/scsi-drive.ts';
import { ScsiCommandError } from '../usb-mass-storage/src/errors.ts';
import type { ScsiRequest } from '../usb-mass-storage/src/scsi/command.ts';
import {
  FeatureCode,
  parseConfiguration,
  profileName,
  type Feature,
} from '../usb-mass-storage/src/scsi/features.ts';
import { ConfigurationRequestType, getConfiguration } from '../usb-mass-storage/src/scsi/mmc.ts';
import {
  LoadingMechanism,
  ModePageCode,
  findModePage,
  parseCapabilities,
  parseModeParameterList,
  parseWriteParameters,
  type Capabilities as Page2A,
} from '../usb-mass-storage/src/scsi/mode-pages.ts';
import { commandName } from '../usb-mass-storage/src/scsi/opcodes.ts';
import { isCommandRefused } from '../usb-mass-storage/src/scsi/sense-table.ts';
import { inquiry, modeSense10, parseInquiry } from '../usb-mass-storage/src/scsi/spc.ts';
import { toHex } from '../usb-mass-storage/src/struct.ts';
import type {
  Capabilities,
  FeatureInfo,
  FieldValue,
  ModePageInfo,
  ProfileInfo,
  RecorderInfo,
  RecorderSummary,
} from '../contract/api.ts';

export function profileInfo(code: number, current: boolean): ProfileInfo {
  return { code, name: profileName(code), current };
}

const FEATURE_NAMES: Readonly<Record<number, string>> = {
  [FeatureCode.ProfileList]: 'Profile List',
  [FeatureCode.Core]: 'Core',
  [FeatureCode.Morphing]: 'Morphing',
  [FeatureCode.RemovableMedium]: 'Removable Medium',
  [FeatureCode.RandomReadable]: 'Random Readable',
  [FeatureCode.MultiRead]: 'Multi-Read',
  [FeatureCode.CdRead]: 'CD Read',
  [FeatureCode.DvdRead]: 'DVD Read',
  [FeatureCode.RandomWritable]: 'Random Writable',
  [FeatureCode.IncrementalStreamingWritable]: 'Incremental Streaming Writable',
  [FeatureCode.Formattable]: 'Formattable',
  [FeatureCode.DefectManagement]: 'Hardware Defect Management',
  [FeatureCode.RestrictedOverwrite]: 'Restricted Overwrite',
  [FeatureCode.DvdPlusRw]: 'DVD+RW',
  [FeatureCode.DvdPlusR]: 'DVD+R',
  [FeatureCode.RigidRestrictedOverwrite]: 'Rigid Restricted Overwrite',
  [FeatureCode.CdTrackAtOnce]: 'CD Track at Once',
  [FeatureCode.CdMastering]: 'CD Mastering (SAO)',
  [FeatureCode.DvdRWrite]: 'DVD-R/-RW Write',
  [FeatureCode.BdRead]: 'BD Read',
  [FeatureCode.BdWrite]: 'BD Write',
  [FeatureCode.PowerManagement]: 'Power Management',
  [FeatureCode.RealTimeStreaming]: 'Real Time Streaming',
  [FeatureCode.DriveSerialNumber]: 'Drive Serial Number',
};

const MECHANISMS: Readonly<Record<number, string>> = {
  [LoadingMechanism.Caddy]: 'caddy',
  [LoadingMechanism.Tray]: 'tray',
  [LoadingMechanism.PopUp]: 'pop-up',
  [LoadingMechanism.Changer]: 'changer',
  [LoadingMechanism.CartridgeChanger]: 'cartridge changer',
};

/** Flattens a decoded feature's own fields for display. */
function featureFields(feature: Feature): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(feature)) {
    if (['code', 'version', 'persistent', 'current', 'kind'].includes(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      fields[key] = value;
    } else if (value instanceof Uint8Array) {
      fields[key] = toHex(value, ' ');
    } else if (Array.isArray(value) && key !== 'profiles') {
      fields[key] = value
        .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
        .join(', ');
    }
  }
  return fields;
}

export function featureInfo(feature: Feature): FeatureInfo {
  return {
    code: feature.code,
    name: FEATURE_NAMES[feature.code] ?? `Feature 0x${feature.code.toString(16).padStart(4, '0')}`,
    current: feature.current,
    persistent: feature.persistent,
    version: feature.version,
    fields: featureFields(feature),
  };
}

/** Runs a read that a simple drive may not have: 5/20 or 5/24 means "unsupported". */
async function optional(
  drive: ScsiDrive,
  request: ScsiRequest,
  unsupported: string[],
  what = commandName(request.cdb),
): Promise<Uint8Array | undefined> {
  try {
    return (await drive.run(request)).data;
  } catch (error) {
    const s = error instanceof ScsiCommandError ? error.sense : undefined;
    if (isCommandRefused(s)) {
      if (!unsupported.includes(what)) unsupported.push(what);
      return undefined;
    }
    throw error;
  }
}

function capabilitiesOf(page: Page2A | undefined, features: readonly Feature[]): Capabilities {
  const removable = features.find((f) => f.kind === 'removableMedium');
  const reads: string[] = [];
  const writes: string[] = [];
  if (page) {
    reads.push('CD-ROM');
    if (page.read.cdR) reads.push('CD-R');
    if (page.read.cdRw) reads.push('CD-RW');
    if (page.read.dvdRom) reads.push('DVD-ROM');
    if (page.read.dvdR) reads.push('DVD-R');
    if (page.read.dvdRam) reads.push('DVD-RAM');
    if (page.write.cdR) writes.push('CD-R');
    if (page.write.cdRw) writes.push('CD-RW');
    if (page.write.dvdR) writes.push('DVD-R');
    if (page.write.dvdRam) writes.push('DVD-RAM');
  }
  for (const f of features) {
    if (f.kind === 'dvdPlusRw' && f.write) writes.push('DVD+RW');
    if (f.kind === 'dvdPlusR' && f.write) writes.push('DVD+R');
    if (f.kind === 'bdRead') reads.push('BD');
    if (f.kind === 'bdWrite') writes.push('BD-R', 'BD-RE');
  }
  const mechanism = removable?.loadingMechanism ?? page?.loadingMechanism;
  const testWrite =
    (page?.write.testWrite ?? false) ||
    features.some((f) => (f.kind === 'cdTrackAtOnce' || f.kind === 'dvdRWrite') && f.testWrite);
  const bufe =
    (page?.buf ?? false) ||
    features.some(
      (f) =>
        (f.kind === 'cdTrackAtOnce' ||
          f.kind === 'dvdRWrite' ||
          f.kind === 'incrementalStreaming') &&
        f.buf,
    );
  return {
    // The tray/caddy mechanisms can load; a caddy cannot close itself.
    // Unknown stays unknown (issue 13, item 17): a bare bridge says nothing.
    canLoadMedia: removable
      ? removable.load
      : mechanism === undefined
        ? null
        : mechanism !== LoadingMechanism.Caddy,
    canEject: removable?.eject ?? page?.eject ?? null,
    canLock: removable?.lock ?? page?.lock ?? null,
    loadingMechanism:
      mechanism === undefined ? 'unknown' : (MECHANISMS[mechanism] ?? `type ${mechanism}`),
    reads: [...new Set(reads)],
    writes: [...new Set(writes)],
    testWrite,
    bufferUnderrunProtection: bufe,
    bufferSizeKiB: page ? page.bufferSize : null,
    maxReadSpeedKBps: page ? page.maxReadSpeed : null,
    writeSpeedsKBps: page ? page.writeSpeeds.map((w) => w.speed) : [],
    reserveSupported: null,
  };
}

function pageFields(value: object): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'raw') continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[key] = v;
    else if (Array.isArray(v)) fields[key] = v.map((x) => JSON.stringify(x)).join(', ');
    else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      for (const [k2, v2] of Object.entries(v)) {
        if (typeof v2 === 'boolean' || typeof v2 === 'number') fields[`${key}.${k2}`] = v2;
      }
    }
  }
  return fields;
}

/** INQUIRY, GET CONFIGURATION, MODE SENSE 2Ah and 05h, into RecorderInfo. */
export async function readRecorderInfo(
  summary: RecorderSummary,
  drive: ScsiDrive,
): Promise<RecorderInfo> {
  const unsupported: string[] = [];
  const inq = parseInquiry((await drive.run(inquiry())).data);
  let features: Feature[] = [];
  let currentProfile = 0;
  const head = await optional(
    drive,
    getConfiguration({
      requestType: ConfigurationRequestType.All,
      startingFeature: 0,
      allocationLength: 8,
    }),
    unsupported,
  );
  if (head) {
    // Ask again for exactly what the drive has (its header says how much).
    const total = Math.min(
      0xfff8,
      ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) + 4,
    );
    const all = await drive.run(
      getConfiguration({
        requestType: ConfigurationRequestType.All,
        startingFeature: 0,
        allocationLength: Math.max(8, total),
      }),
    );
    const config = parseConfiguration(all.data);
    features = [...config.features];
    currentProfile = config.currentProfile;
  }
  const profileList = features.find((f) => f.kind === 'profileList');
  const profiles: ProfileInfo[] = profileList
    ? profileList.profiles.map((p) => profileInfo(p.profile, p.profile === currentProfile))
    : [];
  const modePages: ModePageInfo[] = [];
  let page2a: Page2A | undefined;
  const caps = await optional(
    drive,
    modeSense10({ pageCode: ModePageCode.Capabilities, allocationLength: 256 }),
    unsupported,
    'MODE SENSE(10) page 2Ah',
  );
  if (caps) {
    const raw = findModePage(parseModeParameterList(caps), ModePageCode.Capabilities);
    if (raw) {
      page2a = parseCapabilities(raw);
      modePages.push({
        code: 0x2a,
        name: 'CD/DVD Capabilities and Mechanical Status',
        fields: pageFields(page2a),
        rawHex: toHex(raw, ' '),
      });
    }
  }
  const wp = await optional(
    drive,
    modeSense10({ pageCode: ModePageCode.WriteParameters, allocationLength: 256 }),
    unsupported,
    'MODE SENSE(10) page 05h',
  );
  if (wp) {
    const raw = findModePage(parseModeParameterList(wp), ModePageCode.WriteParameters);
    if (raw) {
      modePages.push({
        code: 0x05,
        name: 'Write Parameters',
        fields: pageFields(parseWriteParameters(raw)),
        rawHex: toHex(raw, ' '),
      });
    }
  }
  const serialFeature = features.find((f) => f.kind === 'serialNumber');
  return {
    summary,
    identity: {
      vendor: inq.vendor,
      product: inq.product,
      revision: inq.revision,
      serial:
        summary.serial ??
        (serialFeature?.kind === 'serialNumber' ? serialFeature.serialNumber : null),
      vendorId: summary.vendorId,
      productId: summary.productId,
    },
    profiles,
    currentProfile: currentProfile ? profileInfo(currentProfile, true) : null,
    features: features.map(featureInfo),
    modePages,
    capabilities: capabilitiesOf(page2a, features),
    unsupported,
  };
}

/** Mode page 2Ah byte 6 bit 1, "Lock State": is the medium locked (PREVENT) now? */
export async function readCapabilitiesLockState(drive: ScsiDrive): Promise<boolean | null> {
  const r = await drive.run(
    modeSense10({ pageCode: ModePageCode.Capabilities, allocationLength: 256 }),
    {
      allowCheckCondition: true,
    },
  );
  if (r.status !== 'good') {
    // A drive without page 2Ah does not report the lock (null); any other
    // failure is no answer at all, and the caller asks again (issue 14, item 4).
    if (isCommandRefused(r.sense)) return null;
    throw new ScsiCommandError(
      'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE',
      'MODE SENSE of the capabilities page failed: the lock state is unknown.',
      0x5a,
      r.sense,
    );
  }
  const raw = findModePage(parseModeParameterList(r.data), ModePageCode.Capabilities);
  return raw ? parseCapabilities(raw).lockState : null;
}
