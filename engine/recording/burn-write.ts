/**
 * The burn's third step, write: stream WRITE(10) at the start LBA with the
 * next chunk read ahead, watching READ BUFFER CAPACITY; pad a CD SAO track to
 * the cue sheet's length.
 */
import { parseBufferCapacity, readBufferCapacity } from '../../usb-mass-storage/src/scsi/mmc.ts';
import { write10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import { fail, fnv1a, type BurnRun } from './burn-run.ts';
import { Sha256 } from './sha256.ts';
import { SECTOR, sectorChunks } from './source.ts';

export async function write(run: BurnRun): Promise<void> {
  const { drive, signal, source, startLba } = run;
  run.imageHash = run.verifyMode === 'full' ? new Sha256() : undefined;
  let lba = startLba;
  let writes = 0;
  run.report('calibrating', 0, true);
  const chunks = sectorChunks(source.stream(), run.chunkSectors * SECTOR)[Symbol.asyncIterator]();
  let next = chunks.next();
  for (;;) {
    run.checkCancel();
    const item = await next;
    if (item.done) break;
    next = chunks.next(); // read ahead while the drive writes
    const chunk = item.value;
    const sectors = chunk.length / SECTOR;
    if (source.size === undefined && lba + sectors - startLba > run.free) {
      throw fail(
        'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
        `The image outgrew the disc's ${run.free} free sectors at LBA ${lba}.`,
      );
    }
    run.imageHash?.update(chunk);
    if (run.verifyMode !== 'none' && !source.readAt) run.fingerprints.push(fnv1a(chunk));
    await drive.run(write10({ lba, data: chunk }), { signal });
    lba += sectors;
    run.lastWritten = lba - 1;
    writes++;
    if (writes % 32 === 0) {
      const cap = await drive.run(readBufferCapacity(), { signal, allowCheckCondition: true });
      if (cap.status === 'good') {
        const b = parseBufferCapacity(cap.data);
        run.bufferFill = b.bufferLength > 0 ? 1 - b.availableLength / b.bufferLength : null;
      }
    }
    if (source.size === undefined) run.sectorCount = lba - startLba;
    run.report('writing', run.sectorCount ? (lba - startLba) / run.sectorCount : null);
  }
  run.sectorCount = lba - startLba;
  if (run.writeType === 'sao' && lba - startLba < run.saoSectors) {
    // The cue sheet promised a 300-block minimum track: fill it with zeros.
    const pad = new Uint8Array((run.saoSectors - (lba - startLba)) * SECTOR);
    await drive.run(write10({ lba, data: pad }), { signal });
    lba += pad.length / SECTOR;
    run.lastWritten = lba - 1;
  }
}
