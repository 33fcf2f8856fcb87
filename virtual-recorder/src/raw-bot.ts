/**
 * A tiny, deliberately plain BOT host for the virtual recorder's own tests
 * (and anyone who needs raw traffic): CBW out, data phase in chunks, CSW in,
 * following the host algorithm of protocol-notes.md (clear a data-phase
 * STALL and go on to the CSW; a stalled CSW read is cleared and retried
 * once). It is not the transport of usb-mass-storage, on purpose: the two
 * must not share mistakes.
 */
import type { UsbDeviceLike, UsbInTransferResultLike } from '../../usb-mass-storage/src/usb.ts';
import {
  CSW_LENGTH,
  Direction,
  decodeCsw,
  encodeCbw,
  type Csw,
} from '../../usb-mass-storage/src/bot/wrappers.ts';
import { decodeSense, type Sense } from '../../usb-mass-storage/src/scsi/sense.ts';
import { clearTimer, setTimer } from '../../usb-mass-storage/src/timers.ts';
import { BULK_IN_ENDPOINT, BULK_OUT_ENDPOINT, INTERFACE_NUMBER } from './device/descriptors.ts';
import {
  createVirtualRecorder,
  type VirtualRecorder,
  type VirtualRecorderOptions,
} from './virtual-recorder.ts';

export interface RawResult {
  readonly csw: Csw;
  readonly data: Uint8Array;
  /** The data phase ended in a STALL (cleared by the helper). */
  readonly dataStalled: boolean;
  /** STALLs seen while reading the CSW (each cleared). */
  readonly cswStalls: number;
}

export interface RawCommand {
  readonly cdb: Uint8Array | readonly number[];
  /** Data-in: dCBWDataTransferLength. */
  readonly dataIn?: number;
  /** Data-out bytes. */
  readonly dataOut?: Uint8Array;
  /** Override dCBWDataTransferLength (to build mismatched cases). */
  readonly hostLength?: number;
  /** Largest single transfer (default 64 KiB). */
  readonly chunk?: number;
  readonly lun?: number;
  readonly tag?: number;
}

function bytes(data: UsbInTransferResultLike): Uint8Array {
  const v = data.data;
  return v ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(0);
}

export class RawBot {
  readonly device: UsbDeviceLike;
  #tag = 0x1000;

  constructor(device: UsbDeviceLike) {
    this.device = device;
  }

  async open(): Promise<this> {
    await this.device.open();
    await this.device.claimInterface(INTERFACE_NUMBER);
    return this;
  }

  nextTag(): number {
    this.#tag = (this.#tag + 1) >>> 0;
    return this.#tag;
  }

  /** Sends a CBW and returns the transfer's result. */
  async sendCbw(command: RawCommand, tag: number) {
    const cdb = Uint8Array.from(command.cdb);
    const length = command.hostLength ?? command.dataIn ?? command.dataOut?.length ?? 0;
    const direction =
      length === 0
        ? Direction.None
        : command.dataIn !== undefined
          ? Direction.In
          : command.dataOut !== undefined
            ? Direction.Out
            : Direction.In;
    return this.device.transferOut(
      BULK_OUT_ENDPOINT,
      encodeCbw({ tag, dataTransferLength: length, direction, lun: command.lun ?? 0, cdb }),
    );
  }

  /** Reads the CSW; a STALL is cleared and the read retried, up to `retries` times. */
  async readCsw(retries = 1): Promise<{ csw: Csw; stalls: number }> {
    let stalls = 0;
    for (;;) {
      const r = await this.device.transferIn(BULK_IN_ENDPOINT, CSW_LENGTH);
      if (r.status === 'stall') {
        stalls++;
        await this.device.clearHalt('in', BULK_IN_ENDPOINT);
        if (stalls > retries) throw new Error(`CSW read stalled ${stalls} times`);
        continue;
      }
      return { csw: decodeCsw(bytes(r)), stalls };
    }
  }

  /** One whole command: CBW, data phase (chunked), CSW. */
  async run(command: RawCommand): Promise<RawResult> {
    const tag = command.tag ?? this.nextTag();
    const cbw = await this.sendCbw(command, tag);
    if (cbw.status !== 'ok') throw new Error(`CBW transfer ended in ${cbw.status}`);
    const chunk = command.chunk ?? 64 * 1024;
    let dataStalled = false;
    const received: Uint8Array[] = [];
    const hostLength = command.hostLength ?? command.dataIn ?? command.dataOut?.length ?? 0;
    if (command.dataIn !== undefined && hostLength > 0) {
      let got = 0;
      while (got < hostLength) {
        const want = Math.min(chunk, hostLength - got);
        const r = await this.device.transferIn(BULK_IN_ENDPOINT, want);
        if (r.status === 'stall') {
          dataStalled = true;
          await this.device.clearHalt('in', BULK_IN_ENDPOINT);
          break;
        }
        const b = bytes(r);
        received.push(b.slice());
        got += b.length;
        if (b.length < want) break; // short packet: the device has no more
      }
    } else if (command.dataOut !== undefined && hostLength > 0) {
      let sent = 0;
      const data = command.dataOut;
      while (sent < data.length) {
        const part = data.subarray(sent, Math.min(data.length, sent + chunk));
        const r = await this.device.transferOut(BULK_OUT_ENDPOINT, part);
        sent += r.bytesWritten;
        if (r.status === 'stall') {
          dataStalled = true;
          await this.device.clearHalt('out', BULK_OUT_ENDPOINT);
          break;
        }
      }
    }
    const { csw, stalls } = await this.readCsw();
    if (csw.tag !== tag) throw new Error(`CSW tag ${csw.tag} does not match CBW tag ${tag}`);
    const total = received.reduce((n, b) => n + b.length, 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const b of received) {
      data.set(b, at);
      at += b.length;
    }
    return { csw, data, dataStalled, cswStalls: stalls };
  }

  /** REQUEST SENSE with 18 bytes. */
  async requestSense(): Promise<Sense> {
    const r = await this.run({ cdb: [0x03, 0, 0, 0, 18, 0], dataIn: 18 });
    if (r.csw.status !== 0) throw new Error(`REQUEST SENSE failed with status ${r.csw.status}`);
    return decodeSense(r.data);
  }

  /** Runs `command`; on CHECK CONDITION fetches the sense (auto-sense). */
  async exec(command: RawCommand): Promise<RawResult & { sense: Sense | undefined }> {
    const r = await this.run(command);
    const sense = r.csw.status === 1 ? await this.requestSense() : undefined;
    return { ...r, sense };
  }

  /** Reset recovery (BOT §5.3.4): class reset, then clear both halts. */
  async resetRecovery(): Promise<void> {
    const reset = await this.device.controlTransferOut(
      {
        requestType: 'class',
        recipient: 'interface',
        request: 0xff,
        value: 0,
        index: INTERFACE_NUMBER,
      },
      new Uint8Array(0),
    );
    if (reset.status !== 'ok')
      throw new Error(`Bulk-Only Mass Storage Reset ended in ${reset.status}`);
    await this.device.clearHalt('in', BULK_IN_ENDPOINT);
    await this.device.clearHalt('out', BULK_OUT_ENDPOINT);
  }
}

const be16 = (v: number) => [(v >>> 8) & 0xff, v & 0xff];
const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/** CDB builders, written from SPC-4 / MMC-6 independently of usb-mass-storage/src/scsi. */
export const Cdb = {
  testUnitReady: () => [0x00, 0, 0, 0, 0, 0],
  requestSense: (allocation = 18, desc = false) => [0x03, desc ? 1 : 0, 0, 0, allocation, 0],
  inquiry: (allocation = 36, evpd = false, page = 0) => [
    0x12,
    evpd ? 1 : 0,
    page,
    ...be16(allocation),
    0,
  ],
  startStopUnit: (loej: boolean, start: boolean, immed = false, power = 0) => [
    0x1b,
    immed ? 1 : 0,
    0,
    0,
    (power << 4) | (loej ? 2 : 0) | (start ? 1 : 0),
    0,
  ],
  preventAllow: (prevent: boolean, persistent = false) => [
    0x1e,
    0,
    0,
    0,
    (persistent ? 2 : 0) | (prevent ? 1 : 0),
    0,
  ],
  reserve6: () => [0x16, 0, 0, 0, 0, 0],
  release6: () => [0x17, 0, 0, 0, 0, 0],
  readCapacity: () => [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  read10: (lba: number, blocks: number) => [0x28, 0, ...be32(lba), 0, ...be16(blocks), 0],
  write10: (lba: number, blocks: number) => [0x2a, 0, ...be32(lba), 0, ...be16(blocks), 0],
  synchronizeCache: (immed = false) => [0x35, immed ? 2 : 0, 0, 0, 0, 0, 0, 0, 0, 0],
  readToc: (
    format: number,
    options: { msf?: boolean; number?: number; allocation?: number } = {},
  ) => [
    0x43,
    options.msf ? 2 : 0,
    format,
    0,
    0,
    0,
    options.number ?? 0,
    ...be16(options.allocation ?? 2048),
    0,
  ],
  getConfiguration: (rt: number, start = 0, allocation = 4096) => [
    0x46,
    rt,
    ...be16(start),
    0,
    0,
    0,
    ...be16(allocation),
    0,
  ],
  gesn: (classes = 0x10, allocation = 8, polled = true) => [
    0x4a,
    polled ? 1 : 0,
    0,
    0,
    classes,
    0,
    0,
    ...be16(allocation),
    0,
  ],
  readDiscInformation: (allocation = 34, type = 0) => [
    0x51,
    type,
    0,
    0,
    0,
    0,
    0,
    ...be16(allocation),
    0,
  ],
  readTrackInformation: (type: number, value: number, allocation = 48) => [
    0x52,
    type,
    ...be32(value),
    0,
    ...be16(allocation),
    0,
  ],
  reserveTrack: (size: number, arsv = false) => [0x53, arsv ? 1 : 0, 0, 0, 0, ...be32(size), 0],
  modeSelect10: (length: number, pf = true, sp = false) => [
    0x55,
    (pf ? 0x10 : 0) | (sp ? 1 : 0),
    0,
    0,
    0,
    0,
    0,
    ...be16(length),
    0,
  ],
  modeSense10: (page: number, pc = 0, allocation = 1024, subpage = 0) => [
    0x5a,
    0x08,
    (pc << 6) | page,
    subpage,
    0,
    0,
    0,
    ...be16(allocation),
    0,
  ],
  closeTrackSession: (fn: number, track = 0, immed = false) => [
    0x5b,
    immed ? 1 : 0,
    fn,
    0,
    ...be16(track),
    0,
    0,
    0,
    0,
  ],
  readBufferCapacity: (block = false, allocation = 12) => [
    0x5c,
    block ? 1 : 0,
    0,
    0,
    0,
    0,
    0,
    ...be16(allocation),
    0,
  ],
  blank: (type: number, immed = false) => [
    0xa1,
    (immed ? 0x10 : 0) | type,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ],
  formatUnit: (fmtData = true) => [0x04, fmtData ? 0x11 : 0x00, 0, 0, 0, 0],
  formatList: (
    type: number,
    blocks: number,
    options: { immed?: boolean; subtype?: number; param?: number } = {},
  ) =>
    Uint8Array.from([
      0,
      options.immed ? 0x02 : 0,
      0,
      8,
      ...be32(blocks),
      (type << 2) | (options.subtype ?? 0),
      ((options.param ?? 0) >>> 16) & 0xff,
      ((options.param ?? 0) >>> 8) & 0xff,
      (options.param ?? 0) & 0xff,
    ]),
  setCdSpeed: (read: number, write: number) => [
    0xbb,
    0,
    ...be16(read),
    ...be16(write),
    0,
    0,
    0,
    0,
    0,
    0,
  ],
  sendCueSheet: (size: number) => [
    0x5d,
    0,
    0,
    0,
    0,
    0,
    (size >>> 16) & 0xff,
    ...be16(size & 0xffff),
    0,
  ],
  mechanismStatus: (allocation = 8) => [0xbd, 0, 0, 0, 0, 0, 0, 0, ...be16(allocation), 0, 0],
  readFormatCapacities: (allocation = 252) => [0x23, 0, 0, 0, 0, 0, 0, ...be16(allocation), 0],
} as const;

/** Rejects with "timed out: what" when `promise` takes longer than `ms` (tests must never hang). */
export function within<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimer(() => reject(new Error(`timed out: ${what}`)), ms);
    promise.then(
      (v) => {
        clearTimer(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimer(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Whether `promise` is still pending after the event loop has had `ms` to run. */
export async function stillPending(promise: Promise<unknown>, ms = 20): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise<void>((resolve) => setTimer(resolve, ms));
  return !settled;
}

/** A recorder with an opened, claimed device whose power-on unit attention is consumed. */
export async function readyBot(
  options: VirtualRecorderOptions = {},
): Promise<{ recorder: VirtualRecorder; bot: RawBot }> {
  const recorder = createVirtualRecorder(options);
  const bot = await new RawBot(recorder.device).open();
  for (let i = 0; i < 4; i++) {
    const r = await bot.exec({ cdb: Cdb.testUnitReady() });
    if (r.sense?.key !== 6) break;
  }
  return { recorder, bot };
}
