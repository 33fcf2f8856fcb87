/**
 * The burn's third step, write: stream WRITE(10) at the start LBA with the
 * next chunk read ahead, watching READ BUFFER CAPACITY (BufferWatch); in CD SAO send track
 * 1's pre-gap from LBA -150 first and pad the track to the cue sheet's length.
 */
import {
  CD_PREGAP_SECTORS,
  parseBufferCapacity,
  readBufferCapacity,
  type BufferCapacity,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import { write10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import { fail, fnv1a, type BurnRun } from './burn-run.ts';
import { chunkSectorsFor, writeAlignment } from './alignment.ts';
import { imageHasher } from './burn-run.ts';
import { SECTOR, sectorChunks } from './source.ts';

export async function write(run: BurnRun): Promise<void> {
  const { drive, signal, source, startLba } = run;
  run.imageHash = run.verifyMode === 'full' ? await imageHasher() : undefined;
  run.imageBytes = 0;
  let lba = startLba;
  const buffer = new BufferWatch();
  run.report('calibrating', 0, true);
  if (run.writeType === 'sao') await writeSaoPregap(run);
  // Whole ECC blocks where the medium needs them (alignment.ts): chunks, and the tail padded.
  const align = writeAlignment(run.profile);
  const chunkSectors = chunkSectorsFor(run.chunkSectors, run.profile);
  // The image's own bytes are hashed as they come, before the last sector is
  // padded: the SHA-256 is the image file's (what sha256sum says of it).
  const hashed = async function* (): AsyncIterable<Uint8Array> {
    for await (const piece of source.stream()) {
      run.imageHash?.update(piece);
      run.imageBytes += piece.length;
      yield piece;
    }
  };
  const chunks = sectorChunks(hashed(), chunkSectors * SECTOR)[Symbol.asyncIterator]();
  let imageSectors = 0;
  let next = chunks.next();
  for (;;) {
    run.checkCancel();
    const item = await next;
    if (item.done) break;
    next = chunks.next(); // read ahead while the drive writes
    const chunk = pad(item.value, align);
    imageSectors += item.value.length / SECTOR;
    const sectors = chunk.length / SECTOR;
    if (source.size === undefined && lba + sectors - startLba > run.free) {
      throw fail(
        'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
        `The image outgrew the disc's ${run.free} free sectors at LBA ${lba}.`,
      );
    }
    if (run.verifyMode !== 'none' && !source.readAt) run.fingerprints.push(fnv1a(item.value));
    await drive.run(write10({ lba, data: chunk }), { signal });
    lba += sectors;
    run.lastWritten = lba - 1;
    await buffer.poll(run);
    if (source.size === undefined) run.sectorCount = imageSectors;
    run.report('writing', run.sectorCount ? Math.min(1, imageSectors / run.sectorCount) : null);
  }
  run.sectorCount = imageSectors;
  if (run.writeType === 'sao' && lba - startLba < run.saoSectors) {
    // The cue sheet promised a 300-block minimum track: fill it with zeros.
    const zeros = new Uint8Array((run.saoSectors - (lba - startLba)) * SECTOR);
    await drive.run(write10({ lba, data: zeros }), { signal });
    lba += zeros.length / SECTOR;
    run.lastWritten = lba - 1;
  }
}

/**
 * How often the write loop asks READ BUFFER CAPACITY: a few times a second,
 * as often as the progress is worth showing (BurnRun emits at most every
 * 100 ms). Asking after every WRITE would add a command per 256 KiB; asking
 * every 32 WRITEs (8 MiB, twice a 4 MiB buffer) left a small burn with no
 * reading at all (issue 19, defect 5).
 */
const BUFFER_POLL_MS = 250;

/**
 * The drive buffer's fill for the progress: READ BUFFER CAPACITY (MMC-6
 * §6.21, BLOCK 0: LENGTH OF THE BUFFER and BLANK LENGTH OF BUFFER in bytes)
 * after the first WRITE and then every BUFFER_POLL_MS. A drive that refuses
 * it, or reports a buffer of 0 bytes, has no fill to show: null (the UI
 * hides the row), and it is not asked again: one refusal in the command
 * trace, not one per poll.
 */
class BufferWatch {
  #reports = true;
  #askedAt = -Infinity;

  async poll(run: BurnRun): Promise<void> {
    const now = Date.now();
    if (!this.#reports || now - this.#askedAt < BUFFER_POLL_MS) return;
    this.#askedAt = now;
    const cap = await run.drive.run(readBufferCapacity(), {
      signal: run.signal,
      allowCheckCondition: true,
    });
    const b = cap.status === 'good' ? decoded(cap.data) : undefined;
    if (!b || !(b.bufferLength > 0)) {
      this.#reports = false;
      run.bufferFill = null;
      return;
    }
    const free = Math.min(b.availableLength, b.bufferLength);
    run.bufferFill = 1 - free / b.bufferLength;
  }
}

/** The response, or undefined when it is too short to hold the two lengths (a burn does not fail over it). */
function decoded(data: Uint8Array): BufferCapacity | undefined {
  try {
    return parseBufferCapacity(data);
  } catch {
    return undefined;
  }
}

/**
 * CD SAO: the 150 zero blocks of track 1's pre-gap, which the cue sheet says
 * the host sends (data form 10h), from LBA -150 (FFFFFF6Ah as the CDB's u32),
 * as libburn does (write.c `burn_disc_write_sync`: "d->nwa = -150";
 * cookbook.txt "The LBA for the first write is negative: -150").
 */
async function writeSaoPregap(run: BurnRun): Promise<void> {
  const first = run.startLba - CD_PREGAP_SECTORS;
  const zeros = new Uint8Array(CD_PREGAP_SECTORS * SECTOR);
  await run.drive.run(write10({ lba: first >>> 0, data: zeros }), { signal: run.signal });
}

/** `chunk` (whole sectors) padded with zero sectors to a multiple of `align` sectors. */
function pad(chunk: Uint8Array, align: number): Uint8Array {
  const sectors = chunk.length / SECTOR;
  if (sectors % align === 0) return chunk;
  const out = new Uint8Array((sectors + align - (sectors % align)) * SECTOR);
  out.set(chunk);
  return out;
}
