/**
 * The CLI's recorder service: the drives the command line names (its own
 * virtual recorder, the virtual bus's shared drive, real USB drives) and the
 * lock record it shares with every other process.
 */
import { WebdiscError } from '../usb-mass-storage/src/errors.ts';
import { VIRTUAL_ID } from '../contract/virtual.ts';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import {
  WebdiscService,
  type RecorderSource,
  type ServiceOptions,
  type VirtualControl,
} from '../engine/service.ts';
import type { Options } from './cli.ts';
import { loadNodeUsb } from './node-usb.ts';
import { ProcessCoordinator } from './process-coordinator.ts';
import { busSource } from './virtual-bus/client.ts';
import { DEFAULT_MEDIA, VirtualDrive, createVirtualSource } from './virtual.ts';
import { virtualDir } from './virtual-dir.ts';

/** The service with the virtual drive it keeps in the virtual folder, saved and let go on dispose. */
class CliService extends WebdiscService {
  readonly virtualDrive: VirtualDrive | undefined;

  constructor(options: ServiceOptions, drive: VirtualDrive | undefined) {
    super(options);
    this.virtualDrive = drive;
  }

  override dispose(): void {
    try {
      super.dispose();
    } finally {
      this.virtualDrive?.close();
    }
  }
}

/** The virtual drive a service of `createService` keeps between commands, if it has one. */
export function virtualDriveOf(service: WebdiscService): VirtualDrive | undefined {
  return service instanceof CliService ? service.virtualDrive : undefined;
}

export async function createService(options: Options): Promise<WebdiscService> {
  const sources: RecorderSource[] = [];
  let virtual: VirtualControl | undefined;
  let drive: VirtualDrive | undefined;
  try {
    if (options.device === undefined || options.virtual !== undefined) {
      if (options.command === 'list') {
        // Listing names the drive and nothing more: it neither waits for nor touches the kept disc.
        const v = createVirtualSource(options.virtual || DEFAULT_MEDIA);
        sources.push(v.source);
        virtual = v.control;
      } else {
        // `--virtual=MEDIA` inserts a new blank disc; plain `--virtual` (or no --device) the kept one.
        drive = await VirtualDrive.open({
          dir: virtualDir(options.virtualDir),
          media: options.virtual || undefined,
        });
        sources.push(drive.source);
        virtual = drive.control;
      }
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
        // `list` says why no USB drive can be listed, as for any source that fails.
        const why = usb.unavailable;
        sources.push({ list: () => Promise.reject(new Error(why)) });
      } else {
        sources.push(usb.source);
      }
    }
  } catch (error) {
    drive?.close();
    throw error;
  }
  return new CliService(
    {
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
    },
    drive,
  );
}
