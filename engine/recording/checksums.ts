/**
 * Checksums that travel with the disc: each session built with checksums
 * carries `/.webdisc/SHA256SUMS`, one line per file of the session's tree
 * in `sha256sum` format (`<64 hex>  ./path`), so the disc can be checked
 * file by file with no copy of the source — by `webdisc verify --checksums`,
 * or by `sha256sum -c` run in the disc's root. The hashes are taken from
 * the bytes as they stream onto the disc (one pass: no file is read twice);
 * the list's size is known when the image is planned (64 hex digits a
 * line), and its data is placed after every file's (FileEntry.dataLast), so
 * it is produced once all of them have streamed. Files carried over from an
 * earlier session keep the hash that session's list recorded.
 *
 * xorriso's own checksums (-md5 on: MD5s in AAIP attributes and session
 * tags) are a libisofs format; webdisc does not write it, so
 * `xorriso -check_md5` has nothing to check on our discs.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import {
  utf8Encode,
  utf8Length,
  type ByteSource,
  type DirEntry,
  type Entry,
  type FileEntry,
} from '../../disc-fs/src/index.ts';

export const CHECKSUM_DIR = '.webdisc';
export const CHECKSUM_FILE = 'SHA256SUMS';
export const CHECKSUM_PATH = `/${CHECKSUM_DIR}/${CHECKSUM_FILE}`;

/** Parses a SHA256SUMS list: path (from the root, "/a/b") -> hex. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *]\.(\/.*)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** Hashers for files that stream one after another: a few instances, reused. */
class HasherPool {
  #free: IHasher[] = [];
  async take(): Promise<IHasher> {
    const h = this.#free.pop() ?? (await createSHA256());
    h.init();
    return h;
  }
  give(h: IHasher): void {
    this.#free.push(h);
  }
}

export interface ChecksummedTree {
  /** The tree with every new file's bytes hashed as they stream, and the list added. */
  readonly root: DirEntry;
  /** Files carried over whose hash no earlier list recorded (they are not in this list). */
  readonly unlisted: readonly string[];
}

/**
 * Adds the checksum list to `root`. `carried`: hashes from the session the
 * tree builds on (its list), for files whose data is already on the disc.
 */
export function withChecksums(
  root: DirEntry,
  carried: ReadonlyMap<string, string> = new Map(),
): ChecksummedTree {
  const hashes = new Map<string, string>();
  const pool = new HasherPool();
  const listed: string[] = [];
  const unlisted: string[] = [];

  const hashing = (f: FileEntry, path: string): ByteSource => {
    let hasher: IHasher | undefined;
    let at = 0;
    const inner = f.content;
    const take = async (offset: number, b: Uint8Array) => {
      // Only the bytes in order, once: the stream's reads. A check's read elsewhere is not hashed.
      if (offset !== at || at >= f.size) return;
      hasher ??= await pool.take();
      const n = Math.min(b.length, f.size - at);
      hasher.update(b.subarray(0, n));
      at += n;
      if (at === f.size) {
        hashes.set(path, hasher.digest('hex'));
        pool.give(hasher);
        hasher = undefined;
      }
    };
    return {
      async read(offset, length) {
        const b = await inner.read(offset, length);
        await take(offset, b);
        return b;
      },
      close: () => inner.close?.(),
    };
  };

  const walk = (d: DirEntry, path: string): DirEntry => ({
    ...d,
    children: d.children
      .filter((c) => !(path === '' && c.name === CHECKSUM_DIR)) // an earlier list is replaced
      .map((c): Entry => {
        const p = `${path}/${c.name}`;
        if (c.kind === 'dir') return walk(c, p);
        if (c.kind !== 'file') return c;
        if (c.location !== undefined) {
          if (carried.has(p)) {
            hashes.set(p, carried.get(p)!);
            listed.push(p);
          } else unlisted.push(p);
          return c;
        }
        listed.push(p);
        if (c.size === 0) {
          hashes.set(p, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
          return c;
        }
        return { ...c, content: hashing(c, p) };
      }),
  });
  const tree = walk(root, '');
  listed.sort();
  const lines = listed.map((p) => ({ p, bytes: 64 + 3 + utf8Length(p) + 1 }));
  const size = lines.reduce((n, l) => n + l.bytes, 0);
  let text: Uint8Array | undefined;
  const list: FileEntry = {
    kind: 'file',
    name: CHECKSUM_FILE,
    size,
    dataLast: true,
    content: {
      async read(offset, length) {
        if (text === undefined) {
          const missing = listed.find((p) => !hashes.has(p));
          if (missing !== undefined)
            throw new WebdiscError(
              'E_FAIL',
              `internal: ${missing} was not hashed before the checksum list`,
            );
          text = utf8Encode(listed.map((p) => `${hashes.get(p)}  .${p}\n`).join(''));
          if (text.length !== size)
            throw new WebdiscError('E_FAIL', 'internal: the checksum list changed size');
        }
        const all: Uint8Array = text;
        return all.slice(offset, Math.min(size, offset + length));
      },
    },
  };
  const dir: DirEntry = { kind: 'dir', name: CHECKSUM_DIR, children: [list] };
  return { root: { ...tree, children: [...tree.children, dir] }, unlisted };
}
