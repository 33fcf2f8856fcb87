/** The CLI's virtual recorder: in this process, with the media `--virtual=NAME` names. */
import { MEDIA_NAMES, createVirtualRecorder, isMediaName } from '../virtual-recorder/src/index.ts';
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import type { RecorderSource, VirtualControl } from '../engine/service.ts';
import { virtualControl, virtualSource } from '../engine/virtual-source.ts';

export function createVirtualSource(media: string): {
  source: RecorderSource;
  control: VirtualControl;
} {
  if (!isMediaName(media)) {
    throw new WebdiscError(
      'E_INVALIDARG',
      `Unknown medium "${media}". Choose one of: ${MEDIA_NAMES.join(', ')}.`,
    );
  }
  const recorder = createVirtualRecorder({ media });
  return { source: virtualSource(recorder), control: virtualControl(recorder) };
}
