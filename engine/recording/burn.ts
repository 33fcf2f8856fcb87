/**
 * Burning an image (the model is IMAPI2's IDiscFormat2Data), in named steps
 * sharing one BurnRun (burn-run.ts), one file each: validate the medium and
 * the image (burn-validate.ts); prepare: format (format.ts), write
 * parameters (write-parameters.ts), then the start and the fit, the speed
 * (speed.ts), RESERVE TRACK or the cue sheet (burn-prepare.ts); write:
 * WRITE(10) at the next writable address in the medium's alignment
 * (alignment.ts), watching the drive's buffer (burn-write.ts); close:
 * SYNCHRONIZE CACHE, close the track and session or finalize, a DVD+RW's
 * background format stopped and closed (burn-close.ts); verify
 * (burn-verify.ts). What real drives need of each: docs/real-drives.md §4.
 *
 * The engine runs with the recorder's lock held (the Recorder takes it with
 * the caller's client name, as IDiscFormat2Data::Write does); it talks to the
 * drive through ScsiDrive, so 2/04/08 (buffer full) is retried with backoff
 * and NOT READY is polled, by the one sense table.
 */
import type { BurnOptions, BurnReport } from '../../contract/api.ts';
import { CancelledError } from '../../usb-mass-storage/src/errors.ts';
import { BurnRun, type BurnContext } from './burn-run.ts';
import { close } from './burn-close.ts';
import { prepare } from './burn-prepare.ts';
import { validate } from './burn-validate.ts';
import { verify } from './burn-verify.ts';
import { write } from './burn-write.ts';
import type { ImageSource } from './source.ts';

export {
  DEFAULT_CHUNK_SECTORS,
  OperationError,
  VerificationError,
  type BurnContext,
} from './burn-run.ts';

export async function burnImage(
  ctx: BurnContext,
  source: ImageSource,
  options: BurnOptions,
): Promise<BurnReport> {
  const run = new BurnRun(ctx, source, options);
  await validate(run);
  await prepare(run);
  try {
    await write(run);
    await close(run);
  } catch (error) {
    throw run.failed(error);
  }
  let sha256: string | null = null;
  let verifyCancelled = false;
  if (run.verifyMode !== 'none' && !run.simulate) {
    run.report('verifying', 0, true);
    try {
      sha256 = await verify(run);
    } catch (error) {
      // Cancelled while checking: every sector is written and the disc closed
      // as asked, so the burn succeeded; only the check did not finish.
      if (error instanceof CancelledError) verifyCancelled = true;
      else throw run.failed(error);
    }
  }
  run.report('completed', 1, true);
  return {
    startLba: run.startLba,
    sectorCount: run.sectorCount,
    lastWrittenLba: run.lastWritten,
    durationMs: run.clock.elapsed(),
    verify: run.simulate ? 'none' : run.verifyMode,
    ...(verifyCancelled ? { verifyCancelled } : {}),
    sha256,
    simulated: run.simulate,
    writeType: run.writeType,
    speedKBps: run.speedKBps,
    // Disc-at-once always closes the disc (a minimally blanked DVD-RW is written that way).
    closed: run.close || run.writeType === 'dao',
    disc: await ctx.media(),
  };
}
