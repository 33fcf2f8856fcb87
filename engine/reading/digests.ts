/**
 * SHA-256 and MD5 of an image, fed in order while it is read. The engine's
 * default is hash-wasm (a maintained WebAssembly build of each algorithm,
 * incremental, the same code in a worker, the page and Node), because
 * WebCrypto's digest() is one-shot and cannot hash a stream. Node callers
 * hand in node:crypto instead (OpenSSL, several times faster where the CPU
 * has SHA extensions): see cli/digests.ts. `npm run bench` compares them.
 */
import { createMD5, createSHA256 } from 'hash-wasm';

export interface Digests {
  update(bytes: Uint8Array): void;
  /** Lower-case hex. Once only. */
  digest(): { sha256: string; md5: string };
}

/** SHA-256 + MD5 through hash-wasm (WebAssembly): for the worker and the page. */
export async function wasmDigests(): Promise<Digests> {
  const [sha, md5] = await Promise.all([createSHA256(), createMD5()]);
  sha.init();
  md5.init();
  return {
    update(bytes) {
      sha.update(bytes);
      md5.update(bytes);
    },
    digest: () => ({ sha256: sha.digest('hex'), md5: md5.digest('hex') }),
  };
}
