import { Direction, decodeCbw, encodeCbw, toHex } from '../usb-mass-storage/src/index.ts';
import type { SelfTestResult, WebdiscWorkerApi } from './api.ts';

/** The recorder service; realm-neutral so Node (the CLI) can run it too. */
export class WebdiscService implements WebdiscWorkerApi {
  selfTest(tag: number): Promise<SelfTestResult> {
    // TEST UNIT READY: opcode 00h, 6-byte CDB, no data phase (SPC-4 §6.47).
    const bytes = encodeCbw({
      tag,
      dataTransferLength: 0,
      direction: Direction.None,
      lun: 0,
      cdb: new Uint8Array(6),
    });
    const decoded = decodeCbw(bytes);
    const again = encodeCbw(decoded);
    return Promise.resolve({
      cbwHex: toHex(bytes),
      decodedTag: decoded.tag,
      roundTrip: toHex(again) === toHex(bytes),
    });
  }
}
