/**
 * Speed commands: SET CD SPEED (MMC-6 §6.37), GET PERFORMANCE (§6.8) and
 * SET STREAMING (§6.39). The drive picks the speed it writes at
 * (buffer-model.ts); page 2Ah and GET PERFORMANCE report that choice, which
 * is what a host has to tell its user (growisofs reads it back after SET
 * STREAMING: "unit might have provided irrelevant information").
 */
import { MEDIA } from '../media.ts';
import { get16, get32 } from '../responses/fields.ts';
import { performanceData, writeSpeedData } from '../responses/performance.ts';
import { SENSE, check } from '../sense-codes.ts';
import { Opcode, parameterList, type CommandPlan } from './command.ts';
import type { TargetContext } from './context.ts';

/** SET CD SPEED: b2-3 READ SPEED, b4-5 WRITE SPEED in kB/s, FFFFh = maximum. */
export function setCdSpeed(t: TargetContext, cdb: Uint8Array): CommandPlan {
  t.buffer.requestSpeeds(get16(cdb, 2), get16(cdb, 4));
  return t.plans.good(Opcode.SetCdSpeed);
}

/**
 * GET PERFORMANCE: b1 DATA TYPE (TYPE 00h: WRITE bit 2, EXCEPT bits 1:0),
 * b8-9 MAXIMUM NUMBER OF DESCRIPTORS, b10 TYPE. TYPE 00h with EXCEPT 00b
 * gives the nominal performance (one CLV descriptor at the speed in effect,
 * read or write); EXCEPT 01b/10b an empty exception list. TYPE 03h lists the
 * medium's write speeds, fastest first. Other types: 5/24/00.
 */
export function getPerformance(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const dataType = cdb[1] ?? 0;
  const max = get16(cdb, 8);
  const type = cdb[10] ?? 0;
  const disc = t.mechanics.requireDisc();
  const endLba = Math.max(0, disc.capacity - 1);
  let bytes: Uint8Array;
  if (type === 0) {
    const write = (dataType & 0x04) !== 0;
    const except = (dataType & 0x03) !== 0;
    const speed = write ? t.buffer.writeSpeed : t.buffer.readSpeed;
    bytes = performanceData(except || speed === 0 ? [] : [{ endLba, speed }], write, except, max);
  } else if (type === 3) {
    const read = disc.media.readSpeed || MEDIA['cd-rom'].readSpeed;
    bytes = writeSpeedData(disc.media.writeSpeeds, endLba, read, max);
  } else {
    throw check(SENSE.InvalidFieldInCdb);
  }
  return t.plans.dataIn(Opcode.GetPerformance, bytes, 8 + 16 * max);
}

/**
 * SET STREAMING: b8 TYPE (00h performance descriptor; others 5/24/00), b9-10
 * PARAMETER LIST LENGTH (28). Descriptor: 0 RDD (bit 2) restores the
 * defaults; 12-15 READ SIZE / 16-19 READ TIME, 20-23 WRITE SIZE / 24-27
 * WRITE TIME give the speeds in kB/s (a time of 0 is 5/26/00).
 */
export function setStreaming(t: TargetContext, cdb: Uint8Array): CommandPlan {
  if ((cdb[8] ?? 0) !== 0) throw check(SENSE.InvalidFieldInCdb);
  const length = get16(cdb, 9);
  if (length === 0) return t.plans.good(Opcode.SetStreaming);
  if (length < 28) throw check(SENSE.ParameterListLengthError);
  const list = parameterList(length);
  return t.plans.run(Opcode.SetStreaming, list.data, () => {
    if (!list.complete()) return;
    const d = list.bytes;
    if (((d[0] ?? 0) & 0x04) !== 0) {
      t.buffer.requestStreaming(undefined, undefined);
      return;
    }
    const readTime = get32(d, 16);
    const writeTime = get32(d, 24);
    if (readTime === 0 || writeTime === 0) throw check(SENSE.InvalidFieldInParameterList);
    const kbps = (size: number, ms: number) => Math.floor((size * 1000) / ms);
    t.buffer.requestStreaming(kbps(get32(d, 12), readTime), kbps(get32(d, 20), writeTime));
  });
}
