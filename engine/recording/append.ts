/**
 * Adding files to a disc that has some (multisession), as xorriso -dev and
 * growisofs -M do: the newest session's tree is read from the disc, the
 * caller's files are laid over it and removed paths taken out, and a new
 * session is mastered for the address it will be written at, its
 * carried-over files pointing at the data already on the disc.
 *
 * - Write-once media (CD-R/RW, DVD-R/RW sequential, DVD+R, BD-R): the new
 *   session starts at the next writable address; the drive's TOC then
 *   leads readers to it (MMC-6 §6.26 READ TOC format 1: the last session).
 * - Overwritable media (DVD+RW, DVD-RW restricted overwrite, BD-RE): one
 *   "session" grows in place: the new tree goes after the old volume
 *   (aligned to 32 KiB), then its volume descriptors are copied over those
 *   at sector 16, last, so an interruption before that leaves the old tree
 *   as it was (growisofs's method).
 */
import type {
  BurnOptions,
  BurnReport,
  FileImageOptions,
  LockState,
  MediaState,
  OperationResult,
  Result,
} from '../../contract/api.ts';
import { writeFamilyOf } from '../../contract/profiles.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import {
  importSession,
  openIso,
  overlay,
  planImage,
  remove,
  type DirEntry,
  type ImagePlan,
  type IsoVolume,
  utf8Decode,
  type SectorReader,
  type TreeEdit,
} from '../../disc-fs/src/index.ts';
import { imageOptionsOf } from '../../disc-fs/src/imapi.ts';
import { fromDiscFs, planSource } from './file-image.ts';
import { lastSessionStart } from '../reading/sessions.ts';
import { CHECKSUM_DIR, CHECKSUM_FILE, parseChecksums, withChecksums } from './checksums.ts';
import { bytesSource, type ImageSource } from './source.ts';

/** Where a new session goes, and where the one it builds on starts. */
export interface AppendPlan {
  readonly plan: ImagePlan;
  readonly tree: DirEntry;
  readonly edits: readonly TreeEdit[];
  /** The new session's first sector (its image is mastered for it). */
  readonly startSector: number;
  /** The newest existing session's first sector. */
  readonly previousStart: number;
  /** Overwritable media: the descriptors are copied to sector 16 after the session is written. */
  readonly grow: boolean;
}

const GROW_ALIGN = 16; // 32 KiB: a DVD ECC block, the unit restricted overwrite and DVD+RW write in

export async function planAppend(
  reader: SectorReader,
  media: MediaState,
  add: DirEntry,
  removals: readonly string[],
  image: FileImageOptions,
): Promise<AppendPlan> {
  const name = media.profile?.name ?? 'disc';
  const family = writeFamilyOf(media.profile?.code);
  if (!family) {
    throw new WebdiscError(
      'E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED',
      `Files cannot be added to a ${name}.`,
    );
  }
  const grow = family === 'random';
  if (!grow && media.status === 'complete') {
    throw new WebdiscError(
      'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK',
      `The ${name} is closed (finalized): it cannot take more files.`,
    );
  }
  const previousStart = grow ? 0 : lastSessionStart(media);
  let vol;
  try {
    vol = await openIso(reader, 'rockRidge', previousStart);
  } catch (error) {
    throw new WebdiscError(
      'IMAPI_E_FILE_SYSTEM_NOT_FOUND',
      `The ${name}'s newest session (from sector ${previousStart}) has no ISO 9660 file system to add files to.`,
      { cause: error },
    );
  }
  let startSector: number;
  if (grow) {
    startSector = Math.ceil(vol.sectors / GROW_ALIGN) * GROW_ALIGN;
  } else {
    if (media.nextWritableAddress === null)
      throw new WebdiscError(
        'E_IMAPI_DF2DATA_INVALID_MEDIA_STATE',
        `The ${name} reports no next writable address.`,
      );
    startSector = media.nextWritableAddress;
  }
  try {
    let tree = await importSession(vol);
    const edits: TreeEdit[] = [];
    for (const path of removals) {
      const r = remove(tree, path);
      tree = r.tree;
      edits.push(...r.edits);
    }
    const laid = overlay(tree, add);
    edits.push(...laid.edits);
    const options = imageOptionsOf(image);
    // Checksums: the earlier list's hashes for the files carried over, new ones for the rest.
    const carried = image.checksums ? await previousChecksums(vol) : undefined;
    const source = carried ? withChecksums(laid.tree, carried).root : laid.tree;
    // A later session has no UDF bridge (disc-fs: planImage startSector).
    const plan = planImage(source, { ...options, udf: false, startSector });
    const free = grow ? media.capacityBlocks - startSector : media.freeBlocks;
    if (plan.sectors > free) {
      throw new WebdiscError(
        'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
        `The new session needs ${plan.sectors} sectors and the ${name} has ${free} free.`,
      );
    }
    return { plan, tree: laid.tree, edits, startSector, previousStart, grow };
  } catch (error) {
    throw fromDiscFs(error);
  }
}

/** The SHA256SUMS list of a session, if it has one. */
async function previousChecksums(vol: IsoVolume): Promise<Map<string, string>> {
  const dir = (await vol.list(vol.root)).find((e) => e.name === CHECKSUM_DIR && e.kind === 'dir');
  const list =
    dir && (await vol.list(dir)).find((e) => e.name === CHECKSUM_FILE && e.kind === 'file');
  if (!list) return new Map();
  return parseChecksums(utf8Decode(await vol.readFile(list)));
}

/**
 * Overwritable media, after the session is written: its volume descriptors
 * (from its sector 16 up to and including the terminator) laid over the
 * 32 KiB block at sector 16, the rest of that block kept as it was.
 */
export function descriptorBlock(oldBlock: Uint8Array, session: Uint8Array): Uint8Array {
  const out = oldBlock.slice();
  for (let i = 0; i < GROW_ALIGN; i++) {
    const d = session.subarray(i * 2048, (i + 1) * 2048);
    const id = String.fromCharCode(...d.subarray(1, 6));
    if (id !== 'CD001')
      throw new WebdiscError('E_FAIL', 'internal: the session has no volume descriptor set');
    out.set(d, i * 2048);
    if (d[0] === 255) return out; // the terminator (ECMA-119 8.3)
  }
  throw new WebdiscError('E_FAIL', 'internal: no volume descriptor set terminator in 16 sectors');
}

/** What appendSession needs of the recorder service. */
export interface AppendTarget {
  burn(id: string, source: ImageSource, options: BurnOptions): Promise<OperationResult<BurnReport>>;
  readSectors(id: string, lba: number, count: number): Promise<Result<Uint8Array>>;
  acquireExclusiveAccess(
    id: string,
    force: boolean,
    clientName: string,
  ): Promise<Result<LockState>>;
  releaseExclusiveAccess(id: string): Promise<Result<LockState>>;
}

/** The session's stream, keeping a copy of its sectors 16..31 (its volume descriptors) as they pass. */
function capturing(plan: ImagePlan): { source: ImageSource; descriptors: () => Uint8Array } {
  const first = new Uint8Array(32 * 2048);
  let have = 0;
  const inner = planSource(plan);
  return {
    source: {
      size: inner.size,
      async *stream() {
        for await (const chunk of inner.stream()) {
          if (have < first.length) {
            const n = Math.min(first.length - have, chunk.length);
            first.set(chunk.subarray(0, n), have);
            have += n;
          }
          yield chunk;
        }
      },
    },
    descriptors: () => first.subarray(16 * 2048),
  };
}

/**
 * Writes the planned session. Write-once media: one burn at the next
 * writable address. Overwritable media: under one hold of the drive, the
 * session after the old volume, then the descriptor block at sector 16.
 */
export async function appendSession(
  svc: AppendTarget,
  id: string,
  ap: AppendPlan,
  options: BurnOptions,
): Promise<OperationResult<BurnReport>> {
  const masteredFor = ap.startSector;
  if (!ap.grow) return svc.burn(id, planSource(ap.plan), { ...options, masteredFor });
  const held = await svc.acquireExclusiveAccess(id, false, options.clientName);
  if (!held.ok)
    return {
      ok: false,
      error: { ...held.error, lastWrittenLba: null, firstBadLba: null, disc: null },
    };
  try {
    const session = capturing(ap.plan);
    const written = await svc.burn(id, session.source, {
      ...options,
      startLba: ap.startSector,
      masteredFor,
    });
    if (!written.ok) return written;
    const old = await svc.readSectors(id, 16, 16);
    if (!old.ok)
      return {
        ok: false,
        error: {
          ...old.error,
          lastWrittenLba: written.value.lastWrittenLba,
          firstBadLba: null,
          disc: null,
        },
      };
    // Last: the new tree becomes the disc's; until here the old one is.
    const block = descriptorBlock(old.value, session.descriptors());
    const switched = await svc.burn(id, bytesSource(block), {
      clientName: options.clientName,
      startLba: 16,
      masteredFor: 'any',
      verify: 'full',
    });
    if (!switched.ok) return switched;
    return { ok: true, value: { ...written.value, disc: switched.value.disc } };
  } finally {
    await svc.releaseExclusiveAccess(id);
  }
}
