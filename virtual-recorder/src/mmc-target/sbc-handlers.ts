/**
 * Block commands of the MMC target, as MMC-6 defines them for an optical
 * drive: START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL, READ CAPACITY and
 * READ(10). (WRITE(10) and SYNCHRONIZE CACHE are in mmc-write-handlers.ts,
 * FORMAT UNIT in mmc-session-handlers.ts: their rules are the medium's.)
 */
import { get16, get32 } from '../responses/fields.ts';
import { readCapacity as readCapacityData } from '../responses/inquiry.ts';
import { SENSE, check } from '../sense-codes.ts';
import { SECTOR_SIZE } from '../store.ts';
import {
  GOOD,
  Opcode,
  type CommandOutcome,
  type CommandPlan,
  type DataInPhase,
} from './command.ts';
import { storeFailed, type TargetContext } from './context.ts';

/**
 * START STOP UNIT (MMC-6 §6.39): b1 IMMED(0); b4 POWER CONDITIONS(7:4),
 * LOEJ(1), START(0). LoEj+!Start ejects (5/53/02 while Prevent is set;
 * Persistent Prevent alone lets the host eject), LoEj+Start loads.
 */
export function startStop(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const b4 = cdb[4] ?? 0;
  const loej = (b4 & 0x02) !== 0;
  const start = (b4 & 0x01) !== 0;
  const m = t.mechanics;
  if ((b4 & 0xf0) === 0) {
    if (loej && !start) {
      if (m.prevent) throw check(SENSE.MediumRemovalPrevented);
      m.openTray();
    } else if (loej && start) {
      m.closeTray();
    } else if (start) {
      m.checkMediumReady();
    }
  }
  return t.plans.good(Opcode.StartStopUnit);
}

/**
 * PREVENT ALLOW MEDIUM REMOVAL (MMC-6 §6.29): b4 PERSISTENT(1) PREVENT(0).
 * Persistent=0 sets/clears the Prevent state, Persistent=1 the Persistent
 * Prevent state; the two are independent.
 */
export function preventAllow(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const b4 = cdb[4] ?? 0;
  const persistent = (b4 & 0x02) !== 0;
  const prevent = (b4 & 0x01) !== 0;
  const m = t.mechanics;
  if (persistent && !t.options.persistentPreventSupported) throw check(SENSE.InvalidFieldInCdb);
  if (persistent) m.setPrevent(m.prevent, prevent, 'command');
  else m.setPrevent(prevent, m.persistentPrevent, 'command');
  return t.plans.good(Opcode.PreventAllowMediumRemoval);
}

/** READ CAPACITY (MMC-6 §6.23): the last readable block; 0 on blank media. */
export function readCapacity(t: TargetContext): CommandPlan {
  const disc = t.mechanics.requireDisc();
  const last = Math.max(0, disc.readableEnd - 1);
  return t.plans.dataIn(Opcode.ReadCapacity, readCapacityData(last), 8);
}

/** READ(10) (MMC-6 §6.15): b1 RELADR(0) must be 0, b2-5 LBA, b7-8 TRANSFER LENGTH. */
export function read10(t: TargetContext, cdb: Uint8Array): CommandPlan {
  if ((cdb[1] ?? 0) & 0x01) throw check(SENSE.InvalidFieldInCdb);
  const disc = t.mechanics.requireDisc();
  const lba = get32(cdb, 2);
  const count = get16(cdb, 7);
  disc.checkRead(lba, count);
  let blocks = count;
  let outcome: CommandOutcome = GOOD;
  const { faults, observer } = t.options;
  const oneShot = faults.takeErrorAt('readErrorAt', lba, count);
  const damaged = faults.takeDamaged(lba, count);
  const bad =
    oneShot === undefined ? damaged : damaged === undefined ? oneShot : Math.min(oneShot, damaged);
  if (bad !== undefined) {
    blocks = bad - lba;
    outcome = {
      status: 'check-condition',
      sense: check(SENSE.UnrecoveredReadError, { information: bad }).sense,
    };
  }
  observer.counters.sectorsRead += blocks;
  const store = disc.store;
  /** First block the store could not give back (see storeFailed). */
  let failedAt: number | undefined;
  const data: DataInPhase | undefined =
    blocks === 0
      ? undefined
      : {
          direction: 'in',
          length: blocks * SECTOR_SIZE,
          read: async (offset, length) => {
            const first = Math.floor(offset / SECTOR_SIZE);
            const last = Math.ceil((offset + length) / SECTOR_SIZE);
            if (failedAt !== undefined) return new Uint8Array(length);
            let sectors: Uint8Array;
            try {
              sectors = await store.read(lba + first, last - first);
            } catch (error) {
              failedAt = lba + first;
              storeFailed(observer, 'read', failedAt, error);
              return new Uint8Array(length);
            }
            if (faults.corrupted.size > 0) {
              // Silent corruption: the sector comes back wrong with GOOD status (see faults.ts).
              sectors = sectors.slice();
              for (let i = 0; i < last - first; i++) {
                if (faults.corrupted.has(lba + first + i)) sectors[i * SECTOR_SIZE + 100]! ^= 0xff;
              }
            }
            const skip = offset - first * SECTOR_SIZE;
            return sectors.subarray(skip, skip + length);
          },
        };
  return t.plans.run(Opcode.Read10, data, () =>
    failedAt === undefined
      ? outcome
      : {
          status: 'check-condition',
          sense: check(SENSE.UnrecoveredReadError, { information: failedAt }).sense,
        },
  );
}
