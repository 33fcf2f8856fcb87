/** Trees for the tests: the ordinary cases the builder must handle, generated, never on disk. */
import {
  bytesSource,
  generatedSource,
  type DirEntry,
  type Entry,
  type FileEntry,
} from '../src/tree.ts';

/** Deterministic bytes for a file: a cheap hash of (seed, offset). */
export function pattern(seed: number): (offset: number) => number {
  return (o) => (Math.imul(o ^ seed, 2654435761) >>> 24) & 0xff;
}

export function file(
  name: string,
  size: number,
  seed = size,
  extra: Partial<FileEntry> = {},
): FileEntry {
  return { kind: 'file', name, size, content: generatedSource(size, pattern(seed)), ...extra };
}

export function text(name: string, s: string): FileEntry {
  const b = new TextEncoder().encode(s);
  return { kind: 'file', name, size: b.length, content: bytesSource(b) };
}

export function dir(name: string, children: Entry[], extra: Partial<DirEntry> = {}): DirEntry {
  return { kind: 'dir', name, children, ...extra };
}

/** Names in many scripts, as users have them. */
export const SCRIPT_NAMES = [
  'Übersicht.txt',
  'café crème.md',
  'Ελληνικά.txt',
  'Русский текст.doc',
  'עברית.txt',
  'العربية.pdf',
  'हिन्दी.txt',
  '日本語のファイル.txt',
  '中文文件名.txt',
  '한국어.hwp',
  'ไทย.txt',
  'emoji 🎉 party.png',
  'mixed Ωμέγα-日本-Ž.tar.gz',
];

/** The ordinary cases in one tree: sizes at sector edges, collisions, deep paths, links. */
export function ordinaryTree(): DirEntry {
  let deep = dir('level12', [text('bottom.txt', 'the bottom of a deep tree\n')]);
  for (let i = 11; i >= 1; i--)
    deep = dir(`level${i}`, [deep, file(`file-at-${i}.bin`, i * 100 + 1, i)]);
  const longName = 'a'.repeat(120) + '.' + 'é'.repeat(60) + '.txt'; // 249 bytes of UTF-8
  return dir('', [
    file('empty.bin', 0),
    file('one.bin', 1),
    file('s2047.bin', 2047),
    file('s2048.bin', 2048),
    file('s2049.bin', 2049),
    file('megabyte-and-three.bin', (1 << 20) + 3),
    dir('empty dir', []),
    dir(
      'scripts',
      SCRIPT_NAMES.map((n, i) => text(n, `${n} #${i}\n`)),
    ),
    dir('collisions', [
      text('a b.txt', '1'),
      text('a_b.txt', '2'),
      text('A B.TXT', '3'),
      text('A_B.txt', '4'),
      text('same prefix for thirty characters and more, one.txt', '5'),
      text('same prefix for thirty characters and more, two.txt', '6'),
      text('Same Prefix For Thirty Characters And More, three.txt', '7'),
      text('x'.repeat(70) + '-one.txt', '8'),
      text('x'.repeat(70) + '-two.txt', '9'),
      text('readme', 'file without extension'),
      dir('README', [text('inside', 'dir whose ISO name is the file above')]),
      text('.hidden', 'leading dot'),
      text('many.dots.in.name.txt', 'dots'),
      text('semi;colon:star*?.txt', 'Joliet forbids these'),
      text(longName, 'a 249-byte name'),
    ]),
    dir('links', [
      text('target.txt', 'linked to'),
      { kind: 'symlink', name: 'relative', target: 'target.txt' },
      { kind: 'symlink', name: 'up', target: '../scripts/Übersicht.txt' },
      { kind: 'symlink', name: 'absolute', target: '/etc/hostname' },
      { kind: 'symlink', name: 'dangling', target: 'nowhere/at/all' },
      {
        kind: 'symlink',
        name: 'long',
        target: ('segment-' + 'z'.repeat(90) + '/').repeat(5) + 'end',
      },
      file('hard-1.bin', 5000, 77, { inode: 'h' }),
      file('hard-2.bin', 5000, 77, { inode: 'h' }),
    ]),
    deep,
  ]);
}

/**
 * Paths past each standard's limit: seven levels of 40-character directory
 * names (31-character ISO 9660 names, so a 33-character file identifier at
 * the bottom passes ECMA-119's 255), and a chain of 70-character names
 * (64 in Joliet) that runs out of Joliet's 240 characters at the fourth level.
 */
export function longPathTree(): DirEntry {
  const isoName = (i: number): string => `iso-level-${i}-`.padEnd(40, 'd');
  let iso = dir(isoName(7), [
    text('a file name thirty characters.txt', 'past 255 in ISO 9660'),
    dir('under', [text('inside.txt', 'below a relocated directory')]),
  ]);
  for (let i = 6; i >= 1; i--) iso = dir(isoName(i), [iso, text(`at-${i}.txt`, `iso ${i}`)]);

  const jolietName = (i: number, what: string): string => `joliet ${i} ${what} `.padEnd(70, 'j');
  let joliet = dir(jolietName(6, 'dir'), [text('deepest.txt', 'far below 240')]);
  for (let i = 5; i >= 1; i--) {
    joliet = dir(jolietName(i, 'dir'), [
      joliet,
      text(`${jolietName(i, 'file')}.txt`, `joliet file ${i}`),
      text(`${jolietName(i, 'file')} twin.txt`, `joliet twin ${i}`),
    ]);
  }
  return dir('', [iso, joliet, text('top.txt', 'at the top')]);
}
