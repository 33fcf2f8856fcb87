/**
 * The burn's first step, validate: the options, the medium (present,
 * writable) and test write.
 */
import { writeFamilyOf } from '../../contract/profiles.ts';
import { fail, type BurnRun } from './burn-run.ts';

export async function validate(run: BurnRun): Promise<void> {
  const { chunkSectors } = run;
  run.report('validating', 0, true);
  if (!Number.isInteger(chunkSectors) || chunkSectors < 1 || chunkSectors > 0xffff) {
    throw fail('E_INVALIDARG', `chunkSectors must be 1..65535, not ${chunkSectors}`);
  }
  const media = await run.ctx.media();
  if (!media.present)
    throw fail('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'There is no disc in the drive.');
  run.media = media;
  run.profile = media.profile?.code ?? 0;
  const family = writeFamilyOf(run.profile);
  if (!family) {
    throw fail(
      'E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED',
      `${media.profile?.name ?? 'This medium'} cannot be written (${media.physicalType}).`,
    );
  }
  run.family = family;
  run.info = await run.ctx.info();
  if (
    run.simulate &&
    (family === 'plus-r' || family === 'random' || !run.info.capabilities.testWrite)
  ) {
    throw fail(
      'E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED',
      `${media.profile?.name ?? 'This medium'} has no test write (simulation) on this drive.`,
    );
  }
}
