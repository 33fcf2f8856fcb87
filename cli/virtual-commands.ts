/**
 * `insert`: a new disc in the virtual drive, one-shot or in the shell. The
 * drive keeps it (cli/virtual.ts) for the commands after.
 *
 *   insert MEDIA                  a new blank disc of MEDIA (or none: an empty drive)
 *   insert --image FILE [--as M]  a finished disc holding FILE from sector 0
 */
import { synopsis } from './help.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { WebdiscService } from '../engine/service.ts';
import { commandArgs, unwrap, UsageError, type Outcome } from './args.ts';
import { virtualDriveOf } from './service.ts';

// The synopsis from the help table (cli/help.ts).
export const INSERT_USAGE = synopsis('insert');

export async function insertCommand(
  service: WebdiscService,
  args: readonly string[],
): Promise<Outcome> {
  const { values, positionals } = commandArgs(
    args,
    INSERT_USAGE,
    { image: { type: 'string' }, as: { type: 'string' } },
    [0, 1],
  );
  const [media] = positionals;
  if (values.image === undefined) {
    if (media === undefined || values.as !== undefined) {
      throw new UsageError(`usage: ${INSERT_USAGE}`);
    }
    const state = unwrap(await service.virtualInsertMedia(media));
    return { ok: true, text: `inserted ${state.media}`, json: { virtual: state } };
  }
  if (media !== undefined || !values.image) throw new UsageError(`usage: ${INSERT_USAGE}`);
  const drive = virtualDriveOf(service);
  if (!drive) {
    throw new WebdiscError(
      'E_IMAPI_RECORDER_REQUIRED',
      'There is no virtual recorder here: insert --image needs the virtual drive (--virtual).',
    );
  }
  await drive.insertImage(values.image, { as: values.as });
  const state = unwrap(await service.virtualState());
  const sectors = drive.recorder.state.disc?.readableBlocks ?? 0;
  return {
    ok: true,
    text: `inserted ${values.image} as ${state.media} (${sectors} sectors)`,
    json: { virtual: state, image: values.image, sectors },
  };
}
