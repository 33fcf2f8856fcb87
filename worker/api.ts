/**
 * The recorder service's public surface. The UI imports this file with
 * `import type` only (eslint enforces it), so nothing here may touch worker
 * globals: it is compiled in both the webworker and the dom realm.
 */
export interface SelfTestResult {
  /** The 31-byte CBW of a TEST UNIT READY, in hex. */
  readonly cbwHex: string;
  /** The tag read back by decoding those bytes again. */
  readonly decodedTag: number;
  /** Whether encode -> decode -> encode gave identical bytes. */
  readonly roundTrip: boolean;
}

export interface WebdiscWorkerApi {
  /** Proves the UI -> worker -> usb-mass-storage path by running the CBW codec. */
  selfTest(tag: number): Promise<SelfTestResult>;
}
