/**
 * Erasing (the model is IMAPI2's IDiscFormat2Erase): BLANK for CD-RW and
 * DVD-RW (quick = minimal, full = whole disc), FORMAT UNIT for DVD+RW (26h)
 * and BD-RE (30h) with the drive's own descriptor (format.ts). Both are sent
 * with IMMED; progress then comes from the progress indicator in the NOT
 * READY sense while TEST UNIT READY is polled.
 */
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { BlankType, blank } from '../../usb-mass-storage/src/scsi/mmc.ts';
import type { AbortSignalLike } from '../../usb-mass-storage/src/timers.ts';
import type { EraseReport, MediaState } from '../../contract/api.ts';
import { ERASABLE_MEDIA_WORDS, PROFILE, eraseMethodOf } from '../../contract/profiles.ts';
import { closeDvdPlusRw, formatRequestFor } from './format.ts';

export interface EraseContext {
  readonly drive: ScsiDrive;
  readonly signal: AbortSignalLike;
  media(): Promise<MediaState>;
  progress(fraction: number | null, elapsedMs: number): void;
}

/** A full blank of a CD-RW at 1x can take over an hour; a BD-RE certification longer. */
const ERASE_BUDGET_MS = 3 * 60 * 60_000;

export async function eraseMedium(ctx: EraseContext, full: boolean): Promise<EraseReport> {
  const started = Date.now();
  const media = await ctx.media();
  if (!media.present)
    throw new WebdiscError('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'There is no disc in the drive.');
  const code = media.profile?.code ?? 0;
  const how = eraseMethodOf(code);
  let method: EraseReport['method'];
  ctx.progress(0, 0);
  if (how === 'blank') {
    method = full ? 'blank-full' : 'blank-minimal';
    await ctx.drive.run(blank({ type: full ? BlankType.Full : BlankType.Minimal, immed: true }), {
      signal: ctx.signal,
    });
  } else if (how === 'format') {
    method = 'format';
    const request = await formatRequestFor(ctx.drive, ctx.signal, code, full ? 'full' : 'quick');
    await ctx.drive.run(request, { signal: ctx.signal });
  } else {
    throw new WebdiscError(
      'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
      `${media.profile?.name ?? 'This medium'} cannot be erased: ${ERASABLE_MEDIA_WORDS}.`,
    );
  }
  const onProgress = (f: number) => ctx.progress(f, Date.now() - started);
  await ctx.drive.waitReady({ signal: ctx.signal, notReadyBudgetMs: ERASE_BUDGET_MS, onProgress });
  // A DVD+RW formats on in the background: stop it and write the lead-out (dvd+rw-format).
  if (code === PROFILE.DVD_PLUS_RW) await closeDvdPlusRw(ctx.drive, ctx.signal, onProgress);
  ctx.progress(1, Date.now() - started);
  return { method, durationMs: Date.now() - started, disc: await ctx.media() };
}
