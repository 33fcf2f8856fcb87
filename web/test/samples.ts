/** Plain sample values of the worker API's types, for component tests. */
import type {
  ErrorValue,
  LockState,
  MediaState,
  OperationFailure,
  ProfileInfo,
  RecorderInfo,
  RecorderSummary,
  TraceEntry,
} from '../../contract/api.ts';
import { VIRTUAL_ID, VIRTUAL_RECORDER_NAME } from '../../contract/virtual.ts';

export const virtualSummary: RecorderSummary = {
  id: VIRTUAL_ID,
  name: VIRTUAL_RECORDER_NAME,
  kind: 'virtual',
  vendorId: 0x1d6b,
  productId: 0x0104,
  serial: 'WD0001',
};

export const usbSummary: RecorderSummary = {
  id: '0e8d:1887:K1234',
  name: 'ASUS SDRW-08U9M-U',
  kind: 'usb',
  vendorId: 0x0e8d,
  productId: 0x1887,
  serial: 'K1234',
};

export const dvdPlusR: ProfileInfo = { code: 0x1b, name: 'DVD+R', current: true };

export function sampleInfo(summary: RecorderSummary = virtualSummary): RecorderInfo {
  return {
    summary,
    identity: {
      vendor: 'WEBDISC',
      product: 'Virtual DVD-RW',
      revision: '1.00',
      serial: 'WD0001',
      vendorId: summary.vendorId,
      productId: summary.productId,
    },
    profiles: [
      { code: 0x08, name: 'CD-ROM', current: false },
      { code: 0x09, name: 'CD-R', current: false },
      { code: 0x10, name: 'DVD-ROM', current: false },
      dvdPlusR,
    ],
    currentProfile: dvdPlusR,
    features: [
      {
        code: 0x0000,
        name: 'Profile List',
        current: true,
        persistent: true,
        version: 0,
        fields: { profiles: 4 },
      },
      {
        code: 0x002b,
        name: 'DVD+R',
        current: true,
        persistent: false,
        version: 1,
        fields: { write: true, dvdPlusRDualLayer: false },
      },
      {
        code: 0x0107,
        name: 'Real Time Streaming',
        current: true,
        persistent: false,
        version: 4,
        fields: { raw: '1f000000' },
      },
    ],
    modePages: [
      {
        code: 0x2a,
        name: 'MM Capabilities and Mechanical Status',
        fields: { lockState: false, ejectSupported: true, bufferSizeKiB: 2048 },
        rawHex: '2a1c3f3f',
      },
    ],
    capabilities: {
      canLoadMedia: true,
      canEject: true,
      canLock: true,
      loadingMechanism: 'tray',
      reads: ['CD-ROM', 'DVD-ROM', 'DVD+R'],
      writes: ['CD-R', 'DVD+R'],
      testWrite: true,
      bufferUnderrunProtection: true,
      bufferSizeKiB: 2048,
      maxReadSpeedKBps: 11080,
      writeSpeedsKBps: [11080, 5540],
      reserveSupported: null,
    },
    unsupported: [],
  };
}

export const blankDvd: MediaState = {
  present: true,
  trayOpen: false,
  profile: dvdPlusR,
  physicalType: 'IMAPI_MEDIA_TYPE_DVDPLUSR',
  status: 'blank',
  erasable: false,
  sessions: 0,
  tracks: [{ number: 1, session: 1, start: 0, size: 2_295_104, mode: 'data' }],
  blockSize: 2048,
  capacityBlocks: 2_295_104,
  freeBlocks: 2_295_104,
  nextWritableAddress: 0,
};

export const dataCd: MediaState = {
  present: true,
  trayOpen: false,
  profile: { code: 0x08, name: 'CD-ROM', current: true },
  physicalType: 'IMAPI_MEDIA_TYPE_CDROM',
  status: 'complete',
  erasable: false,
  sessions: 2,
  tracks: [
    { number: 1, session: 1, start: 0, size: 200_000, mode: 'data' },
    { number: 2, session: 2, start: 211_400, size: 50_000, mode: 'data' },
  ],
  blockSize: 2048,
  capacityBlocks: 261_400,
  freeBlocks: 0,
  nextWritableAddress: null,
};

export const noDisc: MediaState = {
  present: false,
  trayOpen: true,
  profile: null,
  physicalType: 'IMAPI_MEDIA_TYPE_UNKNOWN',
  status: 'none',
  erasable: false,
  sessions: 0,
  tracks: [],
  blockSize: 2048,
  capacityBlocks: 0,
  freeBlocks: 0,
  nextWritableAddress: null,
};

export const freeLock: LockState = {
  count: 0,
  owner: '',
  ownedByMe: false,
  busy: false,
  trayLocked: false,
  stale: false,
  openedV1: false,
};

export function lockHeldBy(owner: string, count = 1, mine = true): LockState {
  return {
    count: mine ? count : 0,
    owner,
    ownedByMe: mine,
    busy: !mine,
    trayLocked: true,
    stale: false,
    openedV1: false,
  };
}

/** 0xC0AA0210 as the signed 32-bit number a Windows HRESULT is. */
export const lockedError = (owner: string): ErrorValue => ({
  hresult: 0xc0aa0210 | 0,
  name: 'E_IMAPI_RECORDER_LOCKED',
  message: `The recorder is locked for exclusive access by “${owner}”.`,
  sense: null,
});

export const mediumNotPresent: ErrorValue = {
  hresult: 0xc0aa0202 | 0,
  name: 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA',
  message: 'There is no medium in the drive.',
  sense: { key: 0x2, asc: 0x3a, ascq: 0x00 },
};

export function traceEntry(seq: number, overrides: Partial<TraceEntry> = {}): TraceEntry {
  return {
    seq,
    recorderId: VIRTUAL_ID,
    time: new Date(2025, 0, 2, 3, 4, 5, 678).getTime() + seq,
    name: 'TEST UNIT READY',
    cdbHex: '000000000000',
    direction: 'none',
    length: 0,
    transferred: 0,
    status: 'good',
    sense: null,
    senseText: null,
    error: null,
    durationMs: 0.42,
    ...overrides,
  };
}

export const cdRw: ProfileInfo = { code: 0x0a, name: 'CD-RW', current: true };
export const cdR: ProfileInfo = { code: 0x09, name: 'CD-R', current: true };

/** A CD-RW with one closed session: erasable, nothing more can be written. */
export const usedCdRw: MediaState = {
  present: true,
  trayOpen: false,
  profile: cdRw,
  physicalType: 'IMAPI_MEDIA_TYPE_CDRW',
  status: 'complete',
  erasable: true,
  sessions: 1,
  tracks: [{ number: 1, session: 1, start: 0, size: 5_000, mode: 'data' }],
  blockSize: 2048,
  capacityBlocks: 359_847,
  freeBlocks: 0,
  nextWritableAddress: null,
};

export const blankCdRw: MediaState = {
  ...usedCdRw,
  status: 'blank',
  sessions: 0,
  tracks: [],
  freeBlocks: 359_847,
  nextWritableAddress: 0,
};

export const blankCdR: MediaState = {
  ...blankCdRw,
  profile: cdR,
  physicalType: 'IMAPI_MEDIA_TYPE_CDR',
  erasable: false,
};

/** A formatted DVD+RW holding data: random-writable, overwritten in place from LBA 0. */
export const usedDvdPlusRw: MediaState = {
  present: true,
  trayOpen: false,
  profile: { code: 0x1a, name: 'DVD+RW', current: true },
  physicalType: 'IMAPI_MEDIA_TYPE_DVDPLUSRW',
  status: 'complete',
  erasable: false,
  sessions: 1,
  tracks: [{ number: 1, session: 1, start: 0, size: 2_295_104, mode: 'data' }],
  blockSize: 2048,
  capacityBlocks: 2_295_104,
  freeBlocks: 0,
  nextWritableAddress: null,
};

/** sampleInfo with other capabilities (write speeds, test write). */
export function infoWith(
  capabilities: Partial<RecorderInfo['capabilities']>,
  summary: RecorderSummary = virtualSummary,
): RecorderInfo {
  const info = sampleInfo(summary);
  return { ...info, capabilities: { ...info.capabilities, ...capabilities } };
}

/** A burn that failed verification, as the worker reports it. */
export const verificationFailure: OperationFailure = {
  hresult: 0xc0aa0007 | 0,
  name: 'E_IMAPI_BURN_VERIFICATION_FAILED',
  message: 'Verification failed at LBA 1234: the sector read back differs from the image.',
  sense: null,
  lastWrittenLba: 5_859,
  firstBadLba: 1_234,
  disc: { ...blankDvd, status: 'appendable', sessions: 1, freeBlocks: 2_272_860 },
};
