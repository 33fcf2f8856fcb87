/**
 * The disc reader on crafted images (issue 20, part 3): where
 * disc-files.fuzz.test.ts overwrites random bytes, this campaign finds the
 * structures of a valid image (ISO 9660 directory records, Rock Ridge NM, SL
 * and CE entries, Joliet names, UDF file entries) and makes each lie in one
 * way: extents on the volume descriptors or past the end, absurd sizes,
 * directories that loop, names with "/", "..", NUL and invalid UTF-16,
 * Rock Ridge entries whose lengths or continuations lie, UDF file entries
 * whose lengths lie under a valid CRC. Each image is opened, walked and
 * every file read: within a bounded number of sector reads, the result is a
 * success (each path one clean component per level, each file exactly its
 * size) or a typed error (WebdiscError); never a crash, a hang or an
 * untyped exception.
 *
 * `npm test` runs 200 images from a fixed seed; `npm run fuzz` runs
 * WEBDISC_FUZZ_RUNS (WEBDISC_FUZZ_SEED replays, the seed is printed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  bytesSource,
  planImage,
  type DirEntry,
  type ImageOptions,
} from '../../disc-fs/src/index.ts';
import { sealTag, TagId } from '../../disc-fs/src/udf/tag.ts';
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import { image } from '../test-kit.ts';
import { openVolume } from './disc-files.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 200);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x20_3c;
const SECTOR = 2048;
/** More sector reads than any walk of these small images needs: beyond it, the reader is looping. */
const READ_BUDGET = 20_000;

const file = (name: string, size: number, seed: number) => ({
  kind: 'file' as const,
  name,
  size,
  content: bytesSource(image(Math.ceil(size / SECTOR), seed).subarray(0, size)),
});
const tree: DirEntry = {
  kind: 'dir',
  name: '',
  children: [
    file('readme.txt', 100, 1),
    {
      kind: 'dir',
      name: 'a',
      children: [
        file('a long name that Rock Ridge and Joliet keep whole.bin', 9000, 2),
        { kind: 'dir', name: 'b', children: [file('c.dat', 5000, 3)] },
        { kind: 'symlink', name: 'up', target: '../../etc/passwd' },
        { kind: 'symlink', name: 'deep', target: 'b/c.dat' },
      ],
    },
  ],
};

async function build(o: ImageOptions): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of planImage(tree, { date: Date.UTC(2024, 0, 1), padding: 0, ...o }).stream())
    parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts));
}

// ---- finding the structures (ECMA-119 9.1, SUSP 4, ECMA-167 4/14.9) ----------------------

interface DirRecord {
  /** Byte offset of the record in the image. */
  at: number;
  isDir: boolean;
  /** Byte offsets of the file identifier and of the system use area. */
  nameAt: number;
  nameLength: number;
  suAt: number;
  suEnd: number;
  joliet: boolean;
}

const u32le = (b: Uint8Array, at: number) =>
  new DataView(b.buffer, b.byteOffset).getUint32(at, true);
function put32both(b: Uint8Array, at: number, v: number): void {
  const view = new DataView(b.buffer, b.byteOffset);
  view.setUint32(at, v >>> 0, true);
  view.setUint32(at + 4, v >>> 0, false);
}

/** Every directory record below the root of the descriptor at `descriptor` (not "." or ".."). */
function records(img: Uint8Array, descriptor: number, joliet: boolean): DirRecord[] {
  const out: DirRecord[] = [];
  const rootAt = descriptor * SECTOR + 156;
  const queue = [{ loc: u32le(img, rootAt + 2), size: u32le(img, rootAt + 10) }];
  const seen = new Set<number>();
  while (queue.length) {
    const { loc, size } = queue.shift()!;
    if (seen.has(loc)) continue;
    seen.add(loc);
    for (let at = loc * SECTOR; at < loc * SECTOR + size;) {
      const len = img[at]!;
      if (len === 0) {
        at = (Math.floor(at / SECTOR) + 1) * SECTOR;
        continue;
      }
      const nameLength = img[at + 32]!;
      const dot = nameLength === 1 && img[at + 33]! <= 1;
      const isDir = (img[at + 25]! & 0x02) !== 0;
      const suAt = at + 33 + nameLength + (nameLength % 2 === 0 ? 1 : 0);
      if (!dot) {
        out.push({ at, isDir, nameAt: at + 33, nameLength, suAt, suEnd: at + len, joliet });
        if (isDir) queue.push({ loc: u32le(img, at + 2), size: u32le(img, at + 10) });
      }
      at += len;
    }
  }
  return out;
}

/** SUSP entries in a record's system use area: [offset, signature]. */
function suspEntries(img: Uint8Array, r: DirRecord): [number, string][] {
  const out: [number, string][] = [];
  for (let p = r.suAt; p + 4 <= r.suEnd;) {
    const len = img[p + 2]!;
    if (len < 4) break;
    out.push([p, String.fromCharCode(img[p]!, img[p + 1]!)]);
    p += len;
  }
  return out;
}

function descriptorOf(img: Uint8Array, type: number): number | undefined {
  for (let n = 16; n < 32; n++) {
    if (img[n * SECTOR] === type) return n;
    if (img[n * SECTOR] === 255) return undefined;
  }
  return undefined;
}

/** Sectors holding a UDF file entry or extended file entry. */
function udfFileEntries(img: Uint8Array): number[] {
  const out: number[] = [];
  for (let n = 257; n < img.length / SECTOR; n++) {
    const id = img[n * SECTOR]! | (img[n * SECTOR + 1]! << 8);
    if (id === TagId.fileEntry || id === TagId.extendedFileEntry) out.push(n);
  }
  return out;
}

// ---- the lies ----------------------------------------------------------------------------

const CRAFTS = [
  'extent-on-descriptors',
  'extent-past-end',
  'absurd-size',
  'directory-loop',
  'joliet-name',
  'rock-ridge-nm',
  'rock-ridge-sl',
  'rock-ridge-ce',
  'udf-lengths',
] as const;
type Craft = (typeof CRAFTS)[number];

/** Names no path component can be, in UTF-16BE (Joliet): "/", "..", ".", NUL, lone surrogates, odd lengths. */
const JOLIET_LIES = [
  [0x00, 0x2f],
  [0x00, 0x2e, 0x00, 0x2e],
  [0x00, 0x2e],
  [0x00, 0x00],
  [0xd8, 0x00],
  [0xdc, 0x00, 0x00, 0x41],
  [0x00, 0x41, 0x00],
  [0x00, 0x61, 0x00, 0x2f, 0x00, 0x62],
];
/** Rock Ridge NM contents that are not one name. */
const NM_LIES = ['..', '.', '/', 'a/b', 'a\0b', ''];

/** Applies `craft` to a copy of `base`, choosing with `r` (random integers); false when it found no target. */
function apply(img: Uint8Array, craft: Craft, r: number[]): boolean {
  const pick = <T>(xs: readonly T[], i: number): T | undefined =>
    xs[r[i]! % Math.max(1, xs.length)];
  const primary = 16;
  const volumeSectors = u32le(img, primary * SECTOR + 80);
  const iso = records(img, primary, false);
  const supplementary = descriptorOf(img, 2);
  const joliet = supplementary === undefined ? [] : records(img, supplementary, true);
  // The records of the tree the reader shows: Rock Ridge's (the primary tree) when the
  // image has it, else Joliet's. A lie in the other tree would never be read.
  const rockRidge = suspEntries(img, iso[0]!).length > 0;
  const all = rockRidge ? iso : joliet;
  switch (craft) {
    case 'extent-on-descriptors':
    case 'extent-past-end': {
      const rec = pick(all, 0);
      if (!rec) return false;
      const loc =
        craft === 'extent-on-descriptors'
          ? (r[1]! % 20) + 0
          : pick([volumeSectors, volumeSectors + (r[1]! % 1000), 0xffff_fff0, 0x7fff_ffff], 2)!;
      put32both(img, rec.at + 2, loc);
      return true;
    }
    case 'absurd-size': {
      const rec = pick(all, 0);
      if (!rec) return false;
      const size = pick(
        [0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 1 << 30, volumeSectors * SECTOR + 1],
        1,
      )!;
      put32both(img, rec.at + 10, size + (r[2]! % 4096));
      return true;
    }
    case 'directory-loop': {
      const dirs = all.filter((d) => d.isDir);
      const rec = pick(dirs, 0);
      if (!rec) return false;
      // Back at the root of its own tree, or at another folder.
      const descriptor = rec.joliet ? supplementary! : primary;
      const root = u32le(img, descriptor * SECTOR + 156 + 2);
      const other = pick(dirs, 1)!;
      put32both(img, rec.at + 2, r[2]! % 2 ? root : u32le(img, other.at + 2));
      return true;
    }
    case 'joliet-name': {
      const rec = pick(joliet, 0);
      if (!rec) return false;
      const lie = pick(JOLIET_LIES, 1)!.slice(0, rec.nameLength);
      img.set(lie, rec.nameAt);
      img[rec.at + 32] = lie.length;
      return true;
    }
    case 'rock-ridge-nm': {
      const nms = iso.flatMap((rec) => suspEntries(img, rec).filter(([, s]) => s === 'NM'));
      const nm = pick(nms, 0);
      if (!nm) return false;
      const [p] = nm;
      const len = img[p + 2]!;
      if (r[1]! % 2) {
        img[p + 2] = r[2]! % 256; // the entry's length lies
      } else {
        const lie = new TextEncoder().encode(pick(NM_LIES, 2)!).subarray(0, len - 5);
        img.set(lie, p + 5);
        img[p + 2] = 5 + lie.length;
        img[p + 4] = 0; // no CONTINUE: this is the whole name
        // What followed the shortened entry is now garbage the walk of SUSP entries meets.
      }
      return true;
    }
    case 'rock-ridge-sl': {
      const sls = iso.flatMap((rec) => suspEntries(img, rec).filter(([, s]) => s === 'SL'));
      const sl = pick(sls, 0);
      if (!sl) return false;
      const [p] = sl;
      const field = r[1]! % 4;
      if (field === 0)
        img[p + 2] = r[2]! % 256; // entry length
      else if (field === 1)
        img[p + 6] = r[2]! % 256; // first component's length
      else if (field === 2)
        img[p + 5] = pick([0x02, 0x04, 0x08, 0x01, 0xff], 2)!; // component flags
      else img.set([0x00, 0x01, 0x2f], p + 5); // a component "/" (not a ROOT flag)
      return true;
    }
    case 'rock-ridge-ce': {
      const roomy = iso.filter((rec) => rec.suEnd - rec.suAt >= 28);
      const rec = pick(roomy, 0);
      if (!rec) return false;
      const p = rec.suAt;
      const here = Math.floor(rec.at / SECTOR);
      img.set([0x43, 0x45, 28, 1], p);
      put32both(img, p + 4, pick([here, volumeSectors + 5, 0, 0xffff_fff0, 16], 1)!);
      put32both(img, p + 12, pick([0, rec.at % SECTOR, 2047, 4096, 0xffff_ffff], 2)!);
      put32both(img, p + 20, pick([0, 28, 2048, 1 << 20, 0xffff_ffff], 3)!);
      return true;
    }
    case 'udf-lengths': {
      const sector = pick(udfFileEntries(img), 0);
      if (sector === undefined) return false;
      const d = img.subarray(sector * SECTOR, (sector + 1) * SECTOR);
      const view = new DataView(d.buffer, d.byteOffset);
      const id = view.getUint16(0, true);
      const crcLength = view.getUint16(10, true);
      const location = view.getUint32(12, true);
      const extended = id === TagId.extendedFileEntry;
      const lengths = extended ? 208 : 168;
      const field = r[1]! % 4;
      const lie = pick([0, 1, 0x7fff_ffff, 0xffff_ffff, 2048, 4096, 1 << 20], 2)!;
      if (field === 0) view.setBigUint64(56, BigInt(lie) * BigInt(1 + (r[3]! % 1000)), true);
      else if (field === 1)
        view.setUint32(lengths, lie, true); // L_EA
      else if (field === 2)
        view.setUint32(lengths + 4, lie, true); // L_AD
      else {
        // The first allocation descriptor's length (short_ad: 30 bits) past the partition.
        const adAt = (extended ? 216 : 176) + view.getUint32(lengths, true);
        if (adAt + 8 <= SECTOR) view.setUint32(adAt, lie & 0x3fff_ffff, true);
      }
      // A valid CRC over a lying entry: the reader must check the lengths, not trust the tag.
      sealTag(d.subarray(0, 16 + crcLength), id, location, view.getUint16(2, true));
      return true;
    }
  }
}

class Runaway extends Error {}

/** READ(10)'s TRANSFER LENGTH is 16 bits: a reader asking a drive for more is refused. */
const MAX_READ_SECTORS = 0xffff;

/** Opens, walks and reads everything; 'ok' or 'typed'; throws on anything else. */
async function exercise(img: Uint8Array): Promise<'ok' | 'typed'> {
  let reads = 0;
  const src = {
    read: async (sector: number, count: number) => {
      if (++reads > READ_BUDGET) throw new Runaway(`more than ${READ_BUDGET} reads`);
      if (count > MAX_READ_SECTORS) throw new Runaway(`a read of ${count} sectors`);
      return img.slice(
        Math.min(img.length, sector * SECTOR),
        Math.min(img.length, (sector + count) * SECTOR),
      );
    },
  };
  try {
    const v = await openVolume(src);
    for await (const e of v.walk('/')) {
      for (const p of e.path === '/' ? [] : e.path.split('/').slice(1)) {
        assert.ok(
          p && p !== '.' && p !== '..' && !p.includes('\0'),
          `clean path: ${JSON.stringify(e.path)}`,
        );
      }
      if (e.kind !== 'file') continue;
      let got = 0;
      for await (const c of v.read(e)) got += c.length;
      assert.equal(got, e.size, `${e.path}: exactly its size`);
    }
    return 'ok';
  } catch (error) {
    if (error instanceof Runaway || error instanceof assert.AssertionError) throw error;
    if (error instanceof WebdiscError) return 'typed';
    throw error;
  }
}

describe('disc reader on crafted images (issue 20, part 3)', () => {
  it(`${RUNS} crafted images end in success or a typed error, in bounded reads`, async () => {
    const bases = {
      // Rock Ridge + Joliet + UDF: the reader takes Rock Ridge.
      full: await build({}),
      // Joliet only: the reader takes Joliet.
      joliet: await build({ rockRidge: false, udf: false }),
      // 8.3 ISO names and UDF: the reader takes UDF.
      udf: await build({ rockRidge: false, joliet: false, level: 1 }),
    };
    const baseFor: Record<Craft, readonly Uint8Array[]> = {
      'extent-on-descriptors': [bases.full, bases.joliet],
      'extent-past-end': [bases.full, bases.joliet],
      'absurd-size': [bases.full, bases.joliet],
      'directory-loop': [bases.full, bases.joliet],
      'joliet-name': [bases.joliet],
      'rock-ridge-nm': [bases.full],
      'rock-ridge-sl': [bases.full],
      'rock-ridge-ce': [bases.full],
      'udf-lengths': [bases.udf],
    };
    const figures = { tried: 0, ok: 0, typed: 0, crashes: 0, hangs: 0, untyped: 0, violations: 0 };
    const byCraft: Record<string, { ok: number; typed: number }> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CRAFTS),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.nat(),
        async (craft, r, b) => {
          const choices = baseFor[craft];
          const img = choices[b % choices.length]!.slice();
          assert.ok(apply(img, craft, r), `${craft} found its target`);
          figures.tried++;
          let outcome: 'ok' | 'typed';
          try {
            outcome = await exercise(img);
          } catch (error) {
            if (error instanceof Runaway) figures.hangs++;
            else if (error instanceof assert.AssertionError) figures.violations++;
            else if (error instanceof Error && error.constructor === Error) figures.untyped++;
            else figures.crashes++;
            throw new Error(`${craft} ${JSON.stringify(r)}: ${String(error)}`, { cause: error });
          }
          figures[outcome]++;
          (byCraft[craft] ??= { ok: 0, typed: 0 })[outcome]++;
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(
      JSON.stringify({ fuzz: 'disc-reader-crafted', runs: RUNS, seed: SEED, ...figures, byCraft }),
    );
    assert.equal(figures.tried, RUNS);
    // Every lie must be told at least once, or the campaign tested less than it says;
    // a short run (npm run fuzz --seconds starts with 20 cases) may draw fewer kinds.
    if (RUNS >= 20 * CRAFTS.length)
      assert.equal(Object.keys(byCraft).length, CRAFTS.length, JSON.stringify(byCraft));
  });

  /** The image with folder "a"'s record (Rock Ridge tree) changed by `edit`, and the largest read. */
  async function withFolderA(edit: (img: Uint8Array, record: DirRecord) => void) {
    const img = await build({});
    const a = records(img, 16, false).find(
      (r) =>
        r.isDir && String.fromCharCode(...img.subarray(r.nameAt, r.nameAt + r.nameLength)) === 'A',
    )!;
    edit(img, a);
    const reads = { largest: 0 };
    const src = {
      read: async (sector: number, count: number) => {
        reads.largest = Math.max(reads.largest, count);
        return img.slice(
          Math.min(img.length, sector * SECTOR),
          Math.min(img.length, (sector + count) * SECTOR),
        );
      },
    };
    return { volume: await openVolume(src), reads };
  }

  const pastTheEnd = (e: unknown) =>
    e instanceof WebdiscError &&
    e.hresultName === 'IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR' &&
    /past the end/.test(e.message);

  it('a folder whose extent is past the end of an image is a typed error, not an empty folder', async () => {
    const { volume } = await withFolderA((img, a) =>
      put32both(img, a.at + 2, img.length / SECTOR + 100),
    );
    await assert.rejects(() => volume.list('/a'), pastTheEnd);
  });

  it('a folder of 4 GB is read in pieces a drive takes, and ends in a typed error', async () => {
    const { volume, reads } = await withFolderA((img, a) => put32both(img, a.at + 10, 0xffff_ffff));
    await assert.rejects(() => volume.list('/a'), pastTheEnd);
    assert.ok(reads.largest <= MAX_READ_SECTORS, `largest read: ${reads.largest} sectors`);
  });
});
