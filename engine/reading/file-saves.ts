/**
 * "Save disc as image…" into a file the page picked, resumable within the
 * session. The image is written through the file's writable stream, which
 * the browser keeps in a temporary swap file until close(): a failed save
 * never leaves a partial image under the chosen name. Instead of aborting
 * that stream when a save fails part way (a scratched sector, the drive
 * gone, a cancel), it is kept open with the rescue map and the hashes so
 * far, under a token the failure carries (`resumable`): resuming reads only
 * what the map says is missing into the same stream and closes it whole;
 * discarding aborts it (the file is left as it was). The CLI resumes from
 * IMAGE.part and IMAGE.map on disk instead (cli/read-commands.ts); a page
 * cannot keep a swap file over a reload, so neither is a pending save.
 */
import type {
  MediaState,
  OperationResult,
  SaveOptions,
  SaveReport,
  SavedImage,
  WritableFileLike,
} from '../../contract/api.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { operationFailureOf as failure, writableSink, type FileImageSink } from './disc-access.ts';
import { wasmDigests, type Digests } from './digests.ts';
import type { RescueMap } from './rescue-map.ts';
import type { ImageSink, SaveHooks } from './save-image.ts';

const SECTOR = 2048;

/** One save run: the service's saveDisc into `sink` with `options` and `hooks`. */
export type SaveRun = (
  sink: ImageSink,
  options: SaveOptions,
  hooks: SaveHooks,
) => Promise<OperationResult<SaveReport>>;

/** SHA-256 + MD5 that count what they were fed, so a resume knows how far they reach. */
interface CountedDigests extends Digests {
  readonly sectors: number;
}

function counted(inner: Digests): CountedDigests {
  let bytes = 0;
  return {
    update(b) {
      bytes += b.length;
      inner.update(b);
    },
    digest: () => inner.digest(),
    get sectors() {
      return Math.floor(bytes / SECTOR);
    },
  };
}

interface Pending {
  readonly recorderId: string;
  readonly sink: FileImageSink;
  readonly digests: CountedDigests;
  readonly map: RescueMap;
  /** The first run's options: the range stays; errors and retries may change. */
  readonly options: SaveOptions;
  /** The disc it was reading (media facts), so another disc is not resumed into it. */
  readonly disc: string;
}

export class FileSaves {
  readonly #pending = new Map<string, Pending>();
  /** Tokens only tell this session's pending saves apart (one worker per tab holds them). */
  #next = 0;

  /**
   * A new save into `file`. An earlier failed save on the same drive that
   * was never resumed is discarded first (its file left as it was).
   */
  async start(
    recorderId: string,
    file: WritableFileLike,
    disc: string,
    options: SaveOptions,
    run: SaveRun,
  ): Promise<OperationResult<SavedImage>> {
    for (const [t, p] of this.#pending) if (p.recorderId === recorderId) await this.discard(t);
    let sink: FileImageSink;
    let digests: CountedDigests;
    try {
      digests = counted(await wasmDigests());
      sink = await writableSink(file);
    } catch (error) {
      return { ok: false, error: failure(error) };
    }
    return this.#run({ recorderId, sink, digests, options, disc }, run, undefined);
  }

  /**
   * Goes on with a failed save: only what its map lacks is read, into the
   * same file. `disc` must be the disc it was reading; `changes` may turn on
   * continuing past unreadable sectors or set the retries.
   */
  async resume(
    resumeToken: string,
    disc: string,
    changes: Pick<SaveOptions, 'continuePastErrors' | 'retries'>,
    run: SaveRun,
  ): Promise<OperationResult<SavedImage>> {
    const p = this.#pending.get(resumeToken);
    if (!p) {
      return {
        ok: false,
        error: failure(
          new WebdiscError(
            'E_INVALIDARG',
            'This save can no longer be resumed (it was discarded, or the page was reloaded): start it again.',
          ),
        ),
      };
    }
    if (p.disc !== disc) {
      // Kept: the person may put the right disc back.
      return {
        ok: false,
        error: {
          ...failure(
            new WebdiscError(
              'E_INVALIDARG',
              'The disc in the drive is not the one this save was reading: put that disc back to resume, or start a new save.',
            ),
          ),
          resumable: resumableOf(resumeToken, p.map),
        },
      };
    }
    this.#pending.delete(resumeToken);
    const options: SaveOptions = {
      ...p.options,
      ...(changes.continuePastErrors !== undefined
        ? { continuePastErrors: changes.continuePastErrors }
        : {}),
      ...(changes.retries !== undefined ? { retries: changes.retries } : {}),
    };
    return this.#run({ ...p, options }, run, p.map);
  }

  /** Gives a failed save up: its file is left as it was before the save. */
  async discard(resumeToken: string): Promise<void> {
    const p = this.#pending.get(resumeToken);
    if (!p) return;
    this.#pending.delete(resumeToken);
    await p.sink.abort('discarded');
  }

  async #run(
    p: Omit<Pending, 'map'>,
    run: SaveRun,
    resume: RescueMap | undefined,
  ): Promise<OperationResult<SavedImage>> {
    // A resumed run that fails before it reads (the drive taken by another
    // session, say) still has what the earlier run read.
    let map: RescueMap | undefined = resume;
    let mapAt = 0;
    const saved = await run(p.sink, p.options, {
      digests: p.digests,
      ...(resume ? { resume, hashedSectors: p.digests.sectors } : {}),
      onMap: (m, position) => {
        map = m;
        mapAt = position;
      },
    });
    try {
      if (!saved.ok) {
        const m = map;
        if (m && m.sectors('+') > 0) {
          const t = `save-${++this.#next}`;
          this.#pending.set(t, { ...p, map: m });
          return { ok: false, error: { ...saved.error, resumable: resumableOf(t, m) } };
        }
        await p.sink.abort(saved.error.message);
        return saved;
      }
      await p.sink.finish(saved.value.bytes);
    } catch (error) {
      return { ok: false, error: failure(error) };
    }
    const text = saved.value.badSectors && map ? (map as RescueMap).encode(mapAt) : null;
    return { ok: true, value: { ...saved.value, map: text } };
  }
}

function resumableOf(t: string, map: RescueMap) {
  return { token: t, readSectors: map.sectors('+'), totalSectors: map.count };
}

/**
 * What tells one disc from another for a resumed save: the drive and the
 * medium's profile, size and layout.
 */
export function discFacts(recorderId: string, m: MediaState): string {
  const tracks = m.tracks.map((t) => [t.session, t.number, t.start, t.size]);
  return JSON.stringify([
    recorderId,
    m.profile?.code ?? null,
    m.capacityBlocks,
    m.sessions,
    tracks,
  ]);
}
