/**
 * SPC commands of the MMC target: TEST UNIT READY, REQUEST SENSE, INQUIRY,
 * RESERVE(6)/RELEASE(6), MODE SENSE(10) and MODE SELECT(10) (pages 05h and
 * 2Ah), and the answers of a LUN that does not exist.
 */
import { encodeFixedSense, type Sense } from '../../../usb-mass-storage/src/scsi/sense.ts';
import { MEDIA } from '../media.ts';
import { get16 } from '../responses/fields.ts';
import { standardInquiry, vpdPage } from '../responses/inquiry.ts';
import {
  CAPABILITIES_PAGE,
  WRITE_PARAMETERS_PAGE,
  capabilitiesPage,
  defaultWriteParameters,
  modeSense10,
  writeParametersChangeable,
} from '../responses/mode-pages.ts';
import { SENSE, check } from '../sense-codes.ts';
import { Opcode, bytesIn, parameterList, type CommandPlan } from './command.ts';
import type { TargetContext } from './context.ts';

/** TEST UNIT READY (SPC-4 §6.47): the medium checks of the command table are all it does. */
export function testUnitReady(t: TargetContext): CommandPlan {
  return t.plans.good(Opcode.TestUnitReady);
}

/** REQUEST SENSE (SPC-4 §6.29): b1 DESC(0), b4 ALLOCATION LENGTH. Fixed format only. */
export function requestSense(t: TargetContext, cdb: Uint8Array): CommandPlan {
  if ((cdb[1] ?? 0) & 0x01) throw check(SENSE.InvalidFieldInCdb);
  let sense: Sense | undefined = t.sense.takePending();
  if (!sense) {
    const ua = t.sense.takeUnitAttention();
    if (ua) sense = ua;
  }
  const busy = t.operations.busy;
  if (!sense && busy) sense = { ...busy.sense, progress: t.operations.progress(busy) };
  sense ??= t.mechanics.notReadySense() ?? SENSE.NoSense;
  return t.plans.dataIn(Opcode.RequestSense, encodeFixedSense(sense), cdb[4] ?? 0);
}

/** INQUIRY (SPC-4 §6.4): b1 EVPD(0), b2 PAGE CODE, b3-4 ALLOCATION LENGTH. */
export function inquiry(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const evpd = ((cdb[1] ?? 0) & 0x01) !== 0;
  const page = cdb[2] ?? 0;
  const allocation = get16(cdb, 3);
  if (!evpd) {
    if (page !== 0) throw check(SENSE.InvalidFieldInCdb);
    return t.plans.dataIn(Opcode.Inquiry, standardInquiry(t.options.identity, true), allocation);
  }
  const vpd = vpdPage(page, t.options.identity);
  if (!vpd) throw check(SENSE.InvalidFieldInCdb);
  return t.plans.dataIn(Opcode.Inquiry, vpd, allocation);
}

/** SPC-4 §6.4.2: INQUIRY to an absent LUN answers qualifier 011b; others 5/25/00. */
export function otherLun(
  t: TargetContext,
  opcode: number,
  name: string,
  cdb: Uint8Array,
): CommandPlan {
  if (opcode === Opcode.Inquiry) {
    return t.plans.plan(
      opcode,
      name,
      bytesIn(standardInquiry(t.options.identity, false), get16(cdb, 3)),
    );
  }
  if (opcode === Opcode.RequestSense) {
    return t.plans.plan(
      opcode,
      name,
      bytesIn(encodeFixedSense(SENSE.LunNotSupported), cdb[4] ?? 0),
    );
  }
  throw check(SENSE.LunNotSupported);
}

/** RESERVE(6)/RELEASE(6) (SPC-2 §7.21, §7.17): b1 3RDPTY/extent bits must be zero. */
export function reserve(t: TargetContext, cdb: Uint8Array, reserve: boolean): CommandPlan {
  if (((cdb[1] ?? 0) & 0x1f) !== 0) throw check(SENSE.InvalidFieldInCdb);
  t.mechanics.reserved = reserve;
  return t.plans.good(reserve ? Opcode.Reserve6 : Opcode.Release6);
}

// ---- mode pages --------------------------------------------------------------------------

/** Page 2Ah as it stands (MMC-3 §5.5.10), or its changeable bits (none). */
function capabilities(t: TargetContext, changeable: boolean): Uint8Array {
  const media = t.mechanics.disc?.media;
  return capabilitiesPage(
    {
      locked: t.mechanics.locked,
      bufferBytes: t.options.bufferBytes,
      maxReadSpeed: media?.readSpeed ?? MEDIA['cd-rom'].readSpeed,
      readSpeed: t.buffer.readSpeed,
      maxWriteSpeed: media?.writeSpeeds[0] ?? 0,
      writeSpeed: t.buffer.writeSpeed,
      writeSpeeds: media?.writeSpeeds ?? [],
    },
    changeable,
  );
}

/** TEST WRITE is changeable with the medium now loaded (write-parameters.ts). */
function testWriteAllowed(t: TargetContext): boolean {
  return t.writing.testWriteAllowed(t.mechanics.present?.media);
}

/**
 * MODE SENSE(10) (SPC-4 §6.14): b1 DBD(3), b2 PC(7:6) PAGE CODE(5:0), b3
 * SUBPAGE, b7-8 ALLOCATION LENGTH. Pages 05h, 2Ah and 3Fh (all); PC 11b
 * (saved) is 5/39/00.
 */
export function modeSense(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const pc = (cdb[2] ?? 0) >> 6;
  const page = (cdb[2] ?? 0) & 0x3f;
  const subpage = cdb[3] ?? 0;
  if (pc === 3) throw check(SENSE.SavingParametersNotSupported);
  if (subpage !== 0 && !(page === 0x3f && subpage === 0xff)) throw check(SENSE.InvalidFieldInCdb);
  if (t.options.unsupportedModePages.includes(page)) throw check(SENSE.InvalidFieldInCdb);
  const page05 =
    pc === 1
      ? writeParametersChangeable(testWriteAllowed(t))
      : pc === 2
        ? defaultWriteParameters()
        : t.writing.page05;
  let pages: Uint8Array[];
  if (page === WRITE_PARAMETERS_PAGE) pages = [page05];
  else if (page === CAPABILITIES_PAGE) pages = [capabilities(t, pc === 1)];
  else if (page === 0x3f)
    pages = [page05, capabilities(t, pc === 1)].filter(
      (p) => !t.options.unsupportedModePages.includes(p[0]! & 0x3f),
    );
  else throw check(SENSE.InvalidFieldInCdb);
  return t.plans.dataIn(Opcode.ModeSense10, modeSense10(pages), get16(cdb, 7));
}

/**
 * MODE SELECT(10) (SPC-4 §6.12): b1 PF(4) must be 1, SP(0) must be 0 (no saved
 * pages), b7-8 PARAMETER LIST LENGTH. The list: an 8-byte header with BLOCK
 * DESCRIPTOR LENGTH 0, then pages. Only changeable bits may differ from the
 * current values (5/26/00 otherwise); a list cut inside a page is 5/1A/00.
 */
export function modeSelect(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const b1 = cdb[1] ?? 0;
  if ((b1 & 0x10) === 0 || (b1 & 0x01) !== 0) throw check(SENSE.InvalidFieldInCdb);
  const length = get16(cdb, 7);
  if (length === 0) return t.plans.good(Opcode.ModeSelect10);
  const list = parameterList(length);
  return t.plans.run(Opcode.ModeSelect10, list.data, () => {
    if (!list.complete()) return; // the transport reports the short data phase
    applyModeParameters(t, list.bytes);
  });
}

function applyModeParameters(t: TargetContext, list: Uint8Array): void {
  if (list.length < 8) throw check(SENSE.ParameterListLengthError);
  if (get16(list, 6) !== 0) throw check(SENSE.InvalidFieldInParameterList);
  let next05: Uint8Array | undefined;
  for (let at = 8; at < list.length;) {
    if (at + 2 > list.length) throw check(SENSE.ParameterListLengthError);
    const code = (list[at] ?? 0) & 0x3f;
    const pageLength = list[at + 1] ?? 0;
    if (at + 2 + pageLength > list.length) throw check(SENSE.ParameterListLengthError);
    const page = list.subarray(at, at + 2 + pageLength);
    if (code === WRITE_PARAMETERS_PAGE) {
      next05 = t.writing.validatePage05(page, testWriteAllowed(t), t.mechanics.present?.media);
    } else if (code === CAPABILITIES_PAGE) {
      const current = capabilities(t, false);
      if (page.length !== current.length) throw check(SENSE.InvalidFieldInParameterList);
      for (let i = 2; i < page.length; i++) {
        if (page[i] !== current[i]) throw check(SENSE.InvalidFieldInParameterList);
      }
    } else {
      throw check(SENSE.InvalidFieldInParameterList);
    }
    at += 2 + pageLength;
  }
  if (next05) t.writing.select(next05);
}
