/**
 * The burn's last step: read the written sectors back. Full: every chunk,
 * compared with the source byte for byte when it can be re-read, else by
 * fingerprint; the SHA-256 of what the disc holds must equal the image's.
 * Quick: a sample of chunks (first, last and evenly spaced). The first bad
 * LBA is exact when the source can be re-read, else the first sector of the
 * first bad chunk.
 */
import { CancelledError } from '../../usb-mass-storage/src/errors.ts';
import { read10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import { VerificationError, fnv1a, imageHasher, type BurnRun } from './burn-run.ts';
import { chunkSectorsFor } from './alignment.ts';
import { SECTOR } from './source.ts';

/** Returns the image's SHA-256 when a full verification proved the disc holds exactly it. */
export async function verify(run: BurnRun): Promise<string | null> {
  const { ctx, source, startLba, sectorCount: sectors } = run;
  // The chunks the write step wrote (and fingerprinted): see alignment.ts.
  const chunkSectors = chunkSectorsFor(run.chunkSectors, run.profile);
  const mode = run.verifyMode;
  const progress = (f: number) => run.report('verifying', f);
  const chunks = Math.ceil(sectors / chunkSectors);
  const sample =
    mode === 'full'
      ? undefined
      : new Set([
          0,
          chunks - 1,
          ...Array.from({ length: 16 }, (_, i) => Math.floor((i * chunks) / 16)),
        ]);
  const discHash = mode === 'full' ? await imageHasher() : undefined;
  // The image's exact length: the disc's zero padding after it is compared
  // (byte by byte or by fingerprint) but not hashed, so the SHA-256 is the file's.
  const size = run.imageBytes || source.size || sectors * SECTOR;
  let done = 0;
  for (let c = 0; c < chunks; c++) {
    if (ctx.signal.aborted) throw new CancelledError('Verification was cancelled.');
    if (sample && !sample.has(c)) continue;
    const lba = startLba + c * chunkSectors;
    const n = Math.min(chunkSectors, sectors - c * chunkSectors);
    const r = await ctx.drive.run(read10({ lba, blocks: n }), { signal: ctx.signal });
    const disc = r.data;
    discHash?.update(disc.subarray(0, Math.min(disc.length, size - c * chunkSectors * SECTOR)));
    if (source.readAt) {
      const offset = c * chunkSectors * SECTOR;
      const expected = await source.readAt(offset, n * SECTOR);
      for (let i = 0; i < n * SECTOR; i++) {
        const want = i < expected.length ? expected[i]! : 0;
        if (disc[i] !== want) {
          throw new VerificationError(
            lba + Math.floor(i / SECTOR),
            'the sector read back differs from the image',
          );
        }
      }
    } else if (run.fingerprints[c] !== undefined && fnv1a(disc) !== run.fingerprints[c]) {
      throw new VerificationError(
        lba,
        `a sector in LBAs ${lba}..${lba + n - 1} differs from the image`,
      );
    }
    done++;
    progress(sample ? done / sample.size : (c + 1) / chunks);
  }
  if (run.imageHash && discHash) {
    const want = run.imageHash.digest();
    const got = discHash.digest();
    if (want !== got)
      throw new VerificationError(startLba, `the disc's SHA-256 ${got} is not the image's ${want}`);
    return want;
  }
  return null;
}
