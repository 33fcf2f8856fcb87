/** SHA-256 and MD5 through node:crypto (OpenSSL): the CLI's hashes, faster than WebAssembly in Node. */
import { createHash } from 'node:crypto';
import type { Digests } from '../engine/reading/digests.ts';

export function nodeDigests(): Digests {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  return {
    update(bytes) {
      sha.update(bytes);
      md5.update(bytes);
    },
    digest: () => ({ sha256: sha.digest('hex'), md5: md5.digest('hex') }),
  };
}
