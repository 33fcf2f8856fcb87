/**
 * CDB decoders: each turns a command's CDB back into its builder's
 * parameters, through the same declarative layout the builder encodes with
 * (scsi/spc.ts, sbc.ts, mmc.ts), so the byte-exact round-trip tests can prove
 * the two agree. Only tests use them: the host never decodes its own CDBs and
 * the virtual recorder parses CDBs itself, independently of the host.
 */
import {
  inquiryLayout,
  modeSelect10Layout,
  modeSense10Layout,
  preventAllowLayout,
  requestSenseLayout,
  reserveReleaseLayout,
  testUnitReadyLayout,
  type InquiryParams,
  type ModeSelect10Cdb,
  type ModeSense10Params,
  type PreventAllowParams,
  type RequestSenseParams,
} from '../scsi/spc.ts';
import {
  readCapacityLayout,
  readWrite10Layout,
  startStopUnitLayout,
  syncCacheLayout,
  type ReadWrite10Cdb,
  type StartStopUnitParams,
  type SynchronizeCacheParams,
} from '../scsi/sbc.ts';
import {
  blankLayout,
  closeLayout,
  formatUnitLayout,
  gesnLayout,
  getConfigurationLayout,
  mechanismStatusLayout,
  readBufferCapacityLayout,
  readDiscInfoLayout,
  readTocLayout,
  readTrackInfoLayout,
  reserveTrackLayout,
  sendCueSheetLayout,
  setCdSpeedLayout,
  type BlankParams,
  type CloseTrackSessionParams,
  type FormatUnitCdb,
  type GetConfigurationParams,
  type GetEventStatusParams,
  type MechanismStatusParams,
  type ReadBufferCapacityParams,
  type ReadDiscInformationParams,
  type ReadTocParams,
  type ReadTrackInformationParams,
  type ReserveTrackParams,
  type SendCueSheetParams,
  type SetCdSpeedParams,
} from '../scsi/mmc.ts';
import { DecodeError } from '../errors.ts';
import { bit } from '../scsi/bytes.ts';
import { OPCODE } from '../scsi/opcodes.ts';

function decodeReadWrite10(name: string, opcode: number, cdb: Uint8Array): ReadWrite10Cdb {
  checkCdb(name, cdb, opcode, readWrite10Layout.size);
  const raw = readWrite10Layout.decode(cdb);
  return { lba: raw.lba, blocks: raw.blocks, fua: bit(raw.flags, 3), dpo: bit(raw.flags, 4) };
}

export function decodeTestUnitReadyCdb(cdb: Uint8Array): Record<string, never> {
  checkCdb('TEST UNIT READY', cdb, OPCODE.TEST_UNIT_READY, testUnitReadyLayout.size);
  testUnitReadyLayout.decode(cdb);
  return {};
}

export function decodeRequestSenseCdb(cdb: Uint8Array): RequestSenseParams {
  checkCdb('REQUEST SENSE', cdb, OPCODE.REQUEST_SENSE, requestSenseLayout.size);
  const raw = requestSenseLayout.decode(cdb);
  return { allocationLength: raw.allocationLength, descriptorFormat: bit(raw.flags, 0) };
}

export function decodeInquiryCdb(cdb: Uint8Array): InquiryParams {
  checkCdb('INQUIRY', cdb, OPCODE.INQUIRY, inquiryLayout.size);
  const raw = inquiryLayout.decode(cdb);
  return {
    evpd: bit(raw.flags, 0),
    pageCode: raw.pageCode,
    allocationLength: raw.allocationLength,
  };
}

export function decodePreventAllowCdb(cdb: Uint8Array): PreventAllowParams {
  checkCdb('PREVENT ALLOW MEDIUM REMOVAL', cdb, OPCODE.PREVENT_ALLOW_MEDIUM_REMOVAL, 6);
  const raw = preventAllowLayout.decode(cdb);
  return { prevent: bit(raw.prevent, 0), persistent: bit(raw.prevent, 1) };
}

export function decodeReserve6Cdb(cdb: Uint8Array): Record<string, never> {
  checkCdb('RESERVE(6)', cdb, OPCODE.RESERVE_6, reserveReleaseLayout.size);
  return {};
}

export function decodeRelease6Cdb(cdb: Uint8Array): Record<string, never> {
  checkCdb('RELEASE(6)', cdb, OPCODE.RELEASE_6, reserveReleaseLayout.size);
  return {};
}

export function decodeModeSense10Cdb(cdb: Uint8Array): ModeSense10Params {
  checkCdb('MODE SENSE(10)', cdb, OPCODE.MODE_SENSE_10, modeSense10Layout.size);
  const raw = modeSense10Layout.decode(cdb);
  return {
    pageCode: raw.page & 0x3f,
    subpageCode: raw.subpage,
    pageControl: raw.page >>> 6,
    disableBlockDescriptors: bit(raw.flags, 3),
    allocationLength: raw.allocationLength,
  };
}

export function decodeModeSelect10Cdb(cdb: Uint8Array): ModeSelect10Cdb {
  checkCdb('MODE SELECT(10)', cdb, OPCODE.MODE_SELECT_10, modeSelect10Layout.size);
  const raw = modeSelect10Layout.decode(cdb);
  return {
    pageFormat: bit(raw.flags, 4),
    savePages: bit(raw.flags, 0),
    parameterListLength: raw.parameterListLength,
  };
}

export function decodeStartStopUnitCdb(cdb: Uint8Array): StartStopUnitParams {
  checkCdb('START STOP UNIT', cdb, OPCODE.START_STOP_UNIT, startStopUnitLayout.size);
  const raw = startStopUnitLayout.decode(cdb);
  return {
    immed: bit(raw.flags, 0),
    loadEject: bit(raw.action, 1),
    start: bit(raw.action, 0),
    powerCondition: raw.action >>> 4,
  };
}

export function decodeReadCapacity10Cdb(cdb: Uint8Array): Record<string, never> {
  checkCdb('READ CAPACITY(10)', cdb, OPCODE.READ_CAPACITY_10, readCapacityLayout.size);
  return {};
}

export function decodeRead10Cdb(cdb: Uint8Array): ReadWrite10Cdb {
  return decodeReadWrite10('READ(10)', OPCODE.READ_10, cdb);
}

export function decodeWrite10Cdb(cdb: Uint8Array): ReadWrite10Cdb {
  return decodeReadWrite10('WRITE(10)', OPCODE.WRITE_10, cdb);
}

export function decodeSynchronizeCacheCdb(cdb: Uint8Array): SynchronizeCacheParams {
  checkCdb('SYNCHRONIZE CACHE(10)', cdb, OPCODE.SYNCHRONIZE_CACHE_10, syncCacheLayout.size);
  const raw = syncCacheLayout.decode(cdb);
  return { immed: bit(raw.flags, 1), lba: raw.lba, blocks: raw.blocks };
}

export function decodeReadTocCdb(cdb: Uint8Array): ReadTocParams {
  checkCdb('READ TOC/PMA/ATIP', cdb, OPCODE.READ_TOC_PMA_ATIP, readTocLayout.size);
  const raw = readTocLayout.decode(cdb);
  return {
    format: raw.format & 0x0f,
    msf: bit(raw.flags, 1),
    trackSessionNumber: raw.number,
    allocationLength: raw.allocationLength,
  };
}

export function decodeGetConfigurationCdb(cdb: Uint8Array): GetConfigurationParams {
  checkCdb('GET CONFIGURATION', cdb, OPCODE.GET_CONFIGURATION, getConfigurationLayout.size);
  const raw = getConfigurationLayout.decode(cdb);
  return {
    requestType: raw.rt & 0x03,
    startingFeature: raw.startingFeature,
    allocationLength: raw.allocationLength,
  };
}

export function decodeGetEventStatusCdb(cdb: Uint8Array): GetEventStatusParams {
  checkCdb('GET EVENT STATUS NOTIFICATION', cdb, OPCODE.GET_EVENT_STATUS_NOTIFICATION, 10);
  const raw = gesnLayout.decode(cdb);
  return {
    polled: bit(raw.flags, 0),
    classMask: raw.classRequest,
    allocationLength: raw.allocationLength,
  };
}

export function decodeReadDiscInformationCdb(cdb: Uint8Array): ReadDiscInformationParams {
  checkCdb('READ DISC INFORMATION', cdb, OPCODE.READ_DISC_INFORMATION, 10);
  const raw = readDiscInfoLayout.decode(cdb);
  return { dataType: raw.dataType & 0x07, allocationLength: raw.allocationLength };
}

export function decodeReadTrackInformationCdb(cdb: Uint8Array): ReadTrackInformationParams {
  checkCdb('READ TRACK INFORMATION', cdb, OPCODE.READ_TRACK_INFORMATION, 10);
  const raw = readTrackInfoLayout.decode(cdb);
  return {
    addressType: raw.flags & 0x03,
    address: raw.address,
    open: bit(raw.flags, 2),
    allocationLength: raw.allocationLength,
  };
}

export function decodeReserveTrackCdb(cdb: Uint8Array): ReserveTrackParams {
  checkCdb('RESERVE TRACK', cdb, OPCODE.RESERVE_TRACK, reserveTrackLayout.size);
  return { size: reserveTrackLayout.decode(cdb).size };
}

export function decodeCloseTrackSessionCdb(cdb: Uint8Array): CloseTrackSessionParams {
  checkCdb('CLOSE TRACK/SESSION', cdb, OPCODE.CLOSE_TRACK_SESSION, closeLayout.size);
  const raw = closeLayout.decode(cdb);
  return { immed: bit(raw.flags, 0), closeFunction: raw.function & 0x07, number: raw.number };
}

export function decodeReadBufferCapacityCdb(cdb: Uint8Array): ReadBufferCapacityParams {
  checkCdb('READ BUFFER CAPACITY', cdb, OPCODE.READ_BUFFER_CAPACITY, 10);
  const raw = readBufferCapacityLayout.decode(cdb);
  return { block: bit(raw.flags, 0), allocationLength: raw.allocationLength };
}

export function decodeSendCueSheetCdb(cdb: Uint8Array): SendCueSheetParams {
  checkCdb('SEND CUE SHEET', cdb, OPCODE.SEND_CUE_SHEET, sendCueSheetLayout.size);
  return { cueSheetSize: sendCueSheetLayout.decode(cdb).size };
}

export function decodeBlankCdb(cdb: Uint8Array): BlankParams {
  checkCdb('BLANK', cdb, OPCODE.BLANK, blankLayout.size);
  const raw = blankLayout.decode(cdb);
  return { immed: bit(raw.flags, 4), type: raw.flags & 0x07, address: raw.address };
}

export function decodeFormatUnitCdb(cdb: Uint8Array): FormatUnitCdb {
  checkCdb('FORMAT UNIT', cdb, OPCODE.FORMAT_UNIT, formatUnitLayout.size);
  const raw = formatUnitLayout.decode(cdb);
  return { fmtData: bit(raw.flags, 4), cmpList: bit(raw.flags, 3), formatCode: raw.flags & 0x07 };
}

export function decodeSetCdSpeedCdb(cdb: Uint8Array): SetCdSpeedParams {
  checkCdb('SET CD SPEED', cdb, OPCODE.SET_CD_SPEED, setCdSpeedLayout.size);
  const raw = setCdSpeedLayout.decode(cdb);
  return {
    readSpeed: raw.readSpeed,
    writeSpeed: raw.writeSpeed,
    rotationControl: raw.rotation & 0x03,
  };
}

export function decodeMechanismStatusCdb(cdb: Uint8Array): MechanismStatusParams {
  checkCdb('MECHANISM STATUS', cdb, OPCODE.MECHANISM_STATUS, mechanismStatusLayout.size);
  return { allocationLength: mechanismStatusLayout.decode(cdb).allocationLength };
}

/**
 * Checks a CDB's opcode and length before a layout decodes it. A CDB may be
 * longer than its command's layout (ATAPI-style hosts pad every CDB to 12
 * bytes), so only a shorter one is an error.
 */
export function checkCdb(name: string, cdb: Uint8Array, opcode: number, length: number): void {
  if (cdb.length < length) {
    throw new DecodeError(`${name} CDB: need ${length} bytes, got ${cdb.length}`);
  }
  if (cdb[0] !== opcode) {
    throw new DecodeError(
      `${name} CDB: opcode 0x${(cdb[0] ?? 0).toString(16)} is not 0x${opcode.toString(16)}`,
    );
  }
}
