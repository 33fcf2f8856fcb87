/**
 * A rescue map in GNU ddrescue's mapfile format, so a save can be resumed by
 * webdisc or continued with `ddrescue -i POS -o 0 /dev/sr0 IMAGE MAP`, and
 * read with `ddrescuelog`:
 *
 *   # Mapfile. Created by webdisc
 *   # current_pos  current_status  current_pass
 *   0x00000000     +               1
 *   #      pos        size  status
 *   0x00000000  0x00100000  +
 *
 * Positions are byte offsets on the disc (LBA × 2048), as ddrescue records
 * input positions; the image holds the range from `start` at offset 0.
 * Statuses: '?' not tried, '+' read, '-' unreadable (ddrescue's bad sector).
 * The map covers the range exactly, in order, with adjacent blocks of the
 * same status merged.
 */
import { WebdiscError } from '../../usb-mass-storage/src/errors.ts';
import type { SectorRange } from '../../contract/api.ts';

const SECTOR = 2048;

export type BlockStatus = '?' | '+' | '-';

interface Block {
  start: number; // LBA
  count: number;
  status: BlockStatus;
}

export class RescueMap {
  #blocks: Block[];
  readonly start: number;
  readonly count: number;

  private constructor(start: number, count: number, blocks: Block[]) {
    this.start = start;
    this.count = count;
    this.#blocks = blocks;
  }

  /** A map of `count` sectors from `start`, none tried yet. */
  static fresh(start: number, count: number): RescueMap {
    return new RescueMap(start, count, count > 0 ? [{ start, count, status: '?' }] : []);
  }

  /** Sets the status of `count` sectors from `lba` (within the map's range). */
  mark(lba: number, count: number, status: BlockStatus): void {
    if (count <= 0) return;
    if (lba < this.start || lba + count > this.start + this.count) {
      throw new RangeError(`LBAs ${lba}..${lba + count - 1} are outside the map`);
    }
    const end = lba + count;
    const out: Block[] = [];
    for (const b of this.#blocks) {
      const bEnd = b.start + b.count;
      if (bEnd <= lba || b.start >= end) {
        out.push(b);
        continue;
      }
      if (b.start < lba) out.push({ start: b.start, count: lba - b.start, status: b.status });
      if (bEnd > end) out.push({ start: end, count: bEnd - end, status: b.status });
    }
    out.push({ start: lba, count, status });
    out.sort((a, b) => a.start - b.start);
    const merged: Block[] = [];
    for (const b of out) {
      const last = merged[merged.length - 1];
      if (last && last.status === b.status && last.start + last.count === b.start)
        last.count += b.count;
      else merged.push({ ...b });
    }
    this.#blocks = merged;
  }

  /** Blocks with `status`, in order. */
  ranges(status: BlockStatus): SectorRange[] {
    return this.#blocks
      .filter((b) => b.status === status)
      .map(({ start, count }) => ({ start, count }));
  }

  sectors(status: BlockStatus): number {
    return this.#blocks.reduce((n, b) => n + (b.status === status ? b.count : 0), 0);
  }

  /** Every block, in order (a copy). */
  blocks(): readonly Readonly<Block>[] {
    return this.#blocks.map((b) => ({ ...b }));
  }

  get finished(): boolean {
    return this.sectors('?') === 0;
  }

  /** The mapfile text. `position` is where reading stands (ddrescue's current_pos). */
  encode(position = this.start): string {
    const hex = (sectors: number) =>
      `0x${(sectors * SECTOR).toString(16).toUpperCase().padStart(8, '0')}`;
    const current = this.#blocks.find((b) => b.start <= position && position < b.start + b.count);
    return [
      '# Mapfile. Created by webdisc',
      `# Rescue domain: LBAs ${this.start}..${this.start + this.count - 1} (image offset 0 is LBA ${this.start})`,
      '# current_pos  current_status  current_pass',
      `${hex(position)}     ${current?.status ?? '+'}               1`,
      '#      pos        size  status',
      ...this.#blocks.map((b) => `${hex(b.start)}  ${hex(b.count)}  ${b.status}`),
      '',
    ].join('\n');
  }

  /**
   * Reads a mapfile for the range `start`, `count`. ddrescue's other
   * statuses ('*' non-trimmed, '/' non-scraped) are read as not finished
   * ('?'): they will be read again. A map for another range, or one that
   * does not cover its range in order, is refused (it is not this save's).
   */
  static parse(text: string, start: number, count: number): RescueMap {
    const bad = (why: string) =>
      new WebdiscError('E_INVALIDARG', `The rescue map cannot be used: ${why}.`);
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    if (lines.length === 0) throw bad('it is empty');
    const blocks: Block[] = [];
    for (const line of lines.slice(1)) {
      const m = /^(0x[0-9a-f]+|\d+)\s+(0x[0-9a-f]+|\d+)\s+([?*/+-])$/i.exec(line);
      if (!m) throw bad(`"${line}" is not a block line`);
      const pos = Number(m[1]);
      const size = Number(m[2]);
      if (pos % SECTOR || size % SECTOR || size === 0)
        throw bad(`block ${m[1]} ${m[2]} is not whole 2048-byte sectors`);
      const status: BlockStatus = m[3] === '+' ? '+' : m[3] === '-' ? '-' : '?';
      blocks.push({ start: pos / SECTOR, count: size / SECTOR, status });
    }
    let at = start;
    for (const b of blocks) {
      if (b.start !== at) throw bad(`it does not cover LBA ${at} in order`);
      at += b.count;
    }
    if (at !== start + count)
      throw bad(`it covers LBAs ${start}..${at - 1}, not ${start}..${start + count - 1}`);
    const map = RescueMap.fresh(start, count);
    for (const b of blocks) map.mark(b.start, b.count, b.status);
    return map;
  }
}
