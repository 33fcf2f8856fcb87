/**
 * The CLI's recorder service: the drives the command line names (its own
 * virtual recorder, the virtual bus's shared drive, real USB drives) and the
 * lock record it shares with every other process.
 */
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import { VIRTUAL_ID } from '../contract/virtual.ts';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import { WebdiscService, type RecorderSource, type VirtualControl } from '../engine/service.ts';
import type { Options } from './cli.ts';
import { loadNodeUsb } from './node-usb.ts';
import { ProcessCoordinator } from './process-coordinator.ts';
import { busSource } from './virtual-bus/client.ts';
import { createVirtualSource } from './virtual.ts';

export async function createService(options: Options): Promise<WebdiscService> {
  const sources: RecorderSource[] = [];
  let virtual: VirtualControl | undefined;
  if (options.device === undefined || options.virtual !== undefined) {
    const v = createVirtualSource(options.virtual ?? 'cd-r');
    sources.push(v.source);
    virtual = v.control;
  }
  // A simulated drive shared by several processes (tests, demos): see cli/virtual-bus/.
  const bus = process.env.WEBDISC_VIRTUAL_BUS;
  if (bus && (options.device !== undefined || options.command === 'list')) {
    sources.push(busSource(bus));
  }
  if ((options.device !== undefined && !bus) || options.command === 'list') {
    const usb = await loadNodeUsb();
    if ('unavailable' in usb) {
      if (options.device !== undefined) {
        throw new WebdiscError(
          'E_IMAPI_RECORDER_REQUIRED',
          `Cannot reach USB drives: ${usb.unavailable}.`,
        );
      }
    } else {
      sources.push(usb.source);
    }
  }
  return new WebdiscService({
    sessionId: `cli-${process.pid}`,
    // Real drives are shared with every other process on the machine; the
    // virtual recorder lives in this process alone.
    coordinator: new ProcessCoordinator({
      shared: (id) => id !== VIRTUAL_ID,
      local: new MemoryCoordinator(),
    }),
    sources,
    virtual,
    mcnIntervalMs: 0,
  });
}
