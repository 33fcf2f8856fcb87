/**
 * What the command handlers of the MMC target share: the options the
 * recorder gives it, and the parts of its state (the handlers are plain
 * functions of a `TargetContext` and the CDB).
 */
import type { VirtualClock } from '../clock.ts';
import type { FaultState } from '../faults.ts';
import type { Observer } from '../observer.ts';
import type { Identity } from '../responses/inquiry.ts';
import type { SectorStoreFactory } from '../store.ts';
import type { BufferModel, SpeedBehaviour } from './buffer-model.ts';
import type { CommandPlan, Planner } from './command.ts';
import type { LongOperations, Slowness } from './long-operations.ts';
import type { EjectRequestPolicy, Mechanics } from './mechanics.ts';
import type { SenseState } from './sense-state.ts';
import type { WriteParameters } from './write-parameters.ts';

export interface MmcTargetOptions {
  readonly clock: VirtualClock;
  readonly faults: FaultState;
  readonly observer: Observer;
  readonly identity: Identity;
  readonly reserveSupported: boolean;
  readonly persistentPreventSupported: boolean;
  /** Opcodes this drive lacks: answered 5/20/00 INVALID COMMAND OPERATION CODE. */
  readonly unsupportedCommands: readonly number[];
  /** Mode pages MODE SENSE refuses with 5/24/00 (a bridge without page 2Ah, say). */
  readonly unsupportedModePages: readonly number[];
  readonly ejectRequestOn: EjectRequestPolicy;
  readonly resetClearsPrevent: boolean;
  /** BD-RE format certification the drive offers: feature 0023h CERT (full) and QCERT (quick). */
  readonly certification: { readonly full: boolean; readonly quick: boolean };
  /** SEND CUE SHEET takes a pre-gap the drive generates (data form 14h), not only one the host sends. */
  readonly saoGeneratesPregap: boolean;
  /** READ TRACK INFORMATION reports no NWA on CD and DVD-R/-RW until page 05h is selected (LG GSA-4082B). */
  readonly nwaNeedsWriteParameters: boolean;
  /** A DVD-RW keeps feature 0021h (incremental writing) after BLANK 001b (real drives do not). */
  readonly minimalBlankKeepsIncremental: boolean;
  readonly resetUnitAttention: boolean;
  readonly powerOnUnitAttention: boolean;
  readonly bufferBytes: number;
  /** Long operations scaled and IMMED ones held (long-operations.ts); the first WRITE's calibration. */
  readonly slowness: Slowness;
  /** Drive time the first WRITE on a disc takes before it answers (optimum power calibration). */
  readonly powerCalibrationMs: number;
  /** How the drive chooses its write speed (buffer-model.ts). */
  readonly speed: SpeedBehaviour;
  /** DVD+R DL finalizes only with CLOSE function 101b (minimal radius), not 110b (HP dvd520n, growisofs). */
  readonly dlFinalizeMinimalRadiusOnly: boolean;
  readonly storeFactory: SectorStoreFactory;
}

export interface TargetContext {
  readonly options: MmcTargetOptions;
  readonly sense: SenseState;
  readonly mechanics: Mechanics;
  readonly operations: LongOperations;
  readonly buffer: BufferModel;
  readonly writing: WriteParameters;
  readonly plans: Planner;
}

/** A command handler: validates `cdb` (throwing `check(...)` to refuse it) and plans the rest. */
export type Handler = (t: TargetContext, cdb: Uint8Array) => CommandPlan;

/**
 * The sector store failed (an OPFS store out of quota, say). A drive whose
 * medium cannot take or give back data reports MEDIUM ERROR with the
 * failing LBA in INFORMATION (MMC-6 annex F: 3/0C/00 WRITE ERROR, 3/11/00
 * UNRECOVERED READ ERROR); the store's own error goes to the observer
 * (`store-error` event) for whoever can say more (a UI: "storage full").
 */
export function storeFailed(
  observer: Observer,
  operation: 'read' | 'write',
  lba: number,
  error: unknown,
): void {
  const e = error instanceof Error ? error : new Error(String(error));
  const hresultName = (e as { hresultName?: unknown }).hresultName;
  observer.emit({
    type: 'store-error',
    operation,
    lba,
    name: e.name,
    message: e.message,
    ...(typeof hresultName === 'string' ? { hresultName } : {}),
  });
}
