/**
 * The IMAPI v1 facade (IDiscRecorder): OpenExclusive and Close around the
 * same exclusive access as IMAPI2's, with a fixed client name and no count,
 * and the v1 queries and commands, each of which needs the recorder open.
 */
import type { MediaInfoV1, MediaTypeV1 } from '../../contract/api.ts';
import { eraseMedium } from '../recording/erase.ts';
import { err, type RecorderContext } from './context.ts';
import type { ExclusiveAccess } from './exclusive-access.ts';
import type { MediaTracker } from './media-state.ts';
import type { Operations } from './operations.ts';
import type { Tray } from './tray.ts';

/** The parts the facade stands in front of. */
export interface ImapiV1Parts {
  readonly access: ExclusiveAccess;
  readonly media: MediaTracker;
  readonly tray: Tray;
  readonly operations: Operations;
}

export class ImapiV1 {
  readonly #ctx: RecorderContext;
  readonly #p: ImapiV1Parts;

  constructor(ctx: RecorderContext, parts: ImapiV1Parts) {
    this.#ctx = ctx;
    this.#p = parts;
  }

  /** IDiscRecorder::OpenExclusive: acquire with a fixed name and no count. */
  openExclusive(): Promise<void> {
    return this.#ctx.serial(async () => {
      const { access } = this.#p;
      if (access.v1Open)
        throw err('IMAPI_E_ALREADYOPEN', 'The recorder is already open (OpenExclusive).');
      if (access.count > 0) {
        throw err(
          'IMAPI_E_DEVICE_NOTACCESSIBLE',
          'This session holds IMAPI2 exclusive access; a recorder is committed to one API at a time.',
        );
      }
      await access.openV1();
    });
  }

  /** IDiscRecorder::Close. */
  close(): Promise<void> {
    return this.#ctx.serial(async () => {
      this.#requireV1();
      await this.#p.access.closeV1();
    });
  }

  #requireV1(): void {
    if (!this.#p.access.v1Open) throw err('IMAPI_E_NOTOPENED', 'Call OpenExclusive() first.');
  }

  async queryMediaType(): Promise<MediaTypeV1> {
    this.#requireV1();
    const m = await this.#p.media.media();
    const rewritable =
      m.erasable || ['random-access'].includes(m.status) || /RW|RE|RAM/.test(m.physicalType);
    const writable = m.present && m.status !== 'complete' && !/ROM/.test(m.physicalType);
    return { type: m.physicalType, blank: m.status === 'blank', rewritable, writable };
  }

  async queryMediaInfo(): Promise<MediaInfoV1> {
    this.#requireV1();
    const m = await this.#p.media.media();
    const lastTrack = m.tracks.at(-1);
    return {
      sessions: m.sessions,
      lastTrack: lastTrack?.number ?? 0,
      startAddress: lastTrack?.start ?? 0,
      nextWritable: m.nextWritableAddress ?? 0,
      freeBlocks: m.freeBlocks,
    };
  }

  async eject(): Promise<void> {
    this.#requireV1();
    await this.#p.tray.eject();
  }

  /** IDiscRecorder::Erase (v1): needs OpenExclusive; the tray stays locked throughout. */
  async erase(full: boolean, onProgress?: (fraction: number) => void): Promise<void> {
    this.#requireV1();
    await this.#p.operations.onDrive((work) =>
      eraseMedium({ ...work, progress: (f) => f !== null && onProgress?.(f) }, full),
    );
  }
}
