/**
 * Sessions for tests: several WebdiscService instances (one per "session")
 * sharing one virtual recorder and one in-memory lock record, as tabs share a
 * drive and the Web Locks registry.
 */
import {
  createVirtualRecorder,
  type VirtualRecorderOptions,
  type VirtualRecorder,
} from '../virtual-recorder/src/index.ts';
import type { RecorderEvent, Result } from '../contract/api.ts';
import { MemoryCoordinator } from './coordinator.ts';
import { DISC_CHANGING_OPCODES } from './recorder/write-guard.ts';
import { WebdiscService } from './service.ts';
import { VIRTUAL_ID, virtualControl, virtualSource } from './virtual-source.ts';

export interface Session {
  readonly id: string;
  readonly service: WebdiscService;
  readonly events: RecorderEvent[];
}

export interface Bench {
  readonly drive: VirtualRecorder;
  readonly coordinator: MemoryCoordinator;
  session(name: string, options?: { timeoutMs?: number }): Session;
}

export function bench(options: VirtualRecorderOptions = { media: 'dvd+r' }): Bench {
  const drive = createVirtualRecorder(options);
  const coordinator = new MemoryCoordinator();
  return {
    drive,
    coordinator,
    session(name, o = {}) {
      const service = new WebdiscService({
        sessionId: name,
        coordinator,
        sources: [virtualSource(drive)],
        virtual: virtualControl(drive),
        mcnIntervalMs: 0,
        transport: o.timeoutMs ? { defaultTimeoutMs: () => o.timeoutMs! } : undefined,
      });
      const events: RecorderEvent[] = [];
      void service.subscribe((e) => events.push(e));
      return { id: name, service, events };
    },
  };
}

export const V = VIRTUAL_ID;

/** The value of an ok Result; throws with the error's name otherwise. */
export function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.value;
}

/** The error name of a failed Result; throws if it succeeded. */
export function failed<T>(r: Result<T>): string {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error.name;
}

/** A deterministic pseudo-random disc image of `sectors` 2048-byte sectors. */
export function image(sectors: number, seed: number): Uint8Array {
  const out = new Uint8Array(sectors * 2048);
  let x = seed * 2654435761;
  for (let i = 0; i < out.length; i += 4) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    out[i] = x & 0xff;
    out[i + 1] = (x >>> 8) & 0xff;
    out[i + 2] = (x >>> 16) & 0xff;
    out[i + 3] = (x >>> 24) & 0xff;
  }
  return out;
}

/**
 * Runs `arm` the moment a command block whose CDB satisfies `match` reaches
 * the drive, so a one-shot fault hits exactly that command (e.g. "no answer"
 * on PREVENT, a phase error on BLANK). Returns whether it fired.
 */
export function armAtCommand(
  drive: VirtualRecorder,
  match: (cdb: Uint8Array) => boolean,
  arm: () => void,
): { readonly fired: boolean } {
  const device = drive.device;
  const transferOut = device.transferOut.bind(device);
  const state = { fired: false };
  device.transferOut = (ep: number, data: Parameters<typeof transferOut>[1]) => {
    const bytes = data as Uint8Array;
    // A CBW is 31 bytes; its CDB starts at byte 15 (BOT 1.0 §5.1).
    if (!state.fired && bytes.length === 31 && match(bytes.subarray(15))) {
      state.fired = true;
      arm();
    }
    return transferOut(ep, data);
  };
  return state;
}

/**
 * Records every write-class command block that reaches the drive while the
 * lock record has no holder (read at the moment the CBW goes out).
 */
export function watchWrites(b: ReturnType<typeof bench>): () => Promise<number[]> {
  const device = b.drive.device;
  const transferOut = device.transferOut.bind(device);
  const seen: Promise<number | undefined>[] = [];
  device.transferOut = (ep: number, data: Parameters<typeof transferOut>[1]) => {
    const bytes = data as Uint8Array;
    // A CBW is 31 bytes; its CDB starts at byte 15 (BOT 1.0 §5.1).
    const opcode = bytes.length === 31 ? bytes[15]! : -1;
    if (opcode in DISC_CHANGING_OPCODES) {
      // MemoryCoordinator.holder() reads its map now, not when awaited.
      seen.push(b.coordinator.holder(V).then((h) => (h ? undefined : opcode)));
    }
    return transferOut(ep, data);
  };
  return async () => (await Promise.all(seen)).filter((o): o is number => o !== undefined);
}
