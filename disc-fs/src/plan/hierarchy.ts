/**
 * Names in every namespace and the hierarchy each shows, within each
 * standard's limits on depth and path length:
 *
 * - ISO 9660 (ECMA-119 6.8.2.1): at most eight levels, and for every file
 *   the identifiers of its directories, one separator each, and its own
 *   identifier add up to at most 255. A directory deeper than level 8, or
 *   one holding an entry whose path would pass 255, moves under rr_moved
 *   (RRIP 4.1.5: Rock Ridge readers follow CL/PL/RE and never see the move;
 *   plain ISO 9660 shows it, and the report lists it as relocated).
 * - Joliet: paths of at most 240 characters (joliet.ts, `JOLIET_PATH_MAX`).
 *   A directory with less room gives its entries shorter names (listed as
 *   renamed); an entry with no room at all (under 8 characters) is left out
 *   of Joliet with everything under it (listed as omitted).
 * - Rock Ridge and UDF have no path limit of their own: every entry is there.
 */
import { truncateUtf8, utf8Length } from '../binary/text.ts';
import { isoIdentifier, isoNameRule, MAX_DEPTH } from '../iso9660/iso-names.ts';
import { jolietComponentLength, jolietHasRoom, jolietNameRule } from '../iso9660/joliet.ts';
import { type NameRule, resolveNames, splitExtension } from '../names.ts';
import { udfNameRule } from '../udf/names.ts';
import type { DirNode, Node, NodeOptions } from './nodes.ts';

/** ECMA-119 6.8.2.1: the longest path of a file or directory. */
export const ISO_PATH_MAX = 255;

/** Rock Ridge names are POSIX names: at most 255 bytes (NAME_MAX). */
const RR_MAX = 255;

const rrNameRule: NameRule = {
  map: (name) => truncateUtf8(name, RR_MAX),
  withSuffix(mapped, suffix) {
    const [base, ext] = splitExtension(mapped);
    const tail = suffix + (ext === undefined ? '' : `.${ext}`);
    if (utf8Length(tail) >= RR_MAX)
      return truncateUtf8(mapped, RR_MAX - utf8Length(suffix)) + suffix;
    return truncateUtf8(base, RR_MAX - utf8Length(tail)) + tail;
  },
  suffix: (n) => `~${n}`,
  key: (mapped) => mapped,
};

type Info = { name: string; isDir: boolean };
const info = (n: Node): Info => ({ name: n.name, isDir: n.kind === 'dir' });

function apply<T>(
  items: readonly T[],
  toInfo: (t: T) => Info,
  rule: NameRule,
  set: (t: T, name: string) => void,
): void {
  const names = resolveNames(items.map(toInfo), rule);
  items.forEach((t, i) => set(t, names[i] as string));
}

/** Length of an ISO 9660 identifier as recorded (files with ".;1" or ";1"). */
export function isoIdentifierLength(display: string, isDir: boolean): number {
  return isoIdentifier(display, isDir).length;
}

/**
 * Names every node, relocates what ISO 9660 cannot hold where it is, and
 * returns the synthetic rr_moved directory (made by `makeRrMoved`) if any
 * directory moved.
 */
export function placeAll(
  root: DirNode,
  o: NodeOptions,
  makeRrMoved: () => DirNode,
): DirNode | undefined {
  const iso = isoNameRule(o.level);
  nameChildren(root, o);
  // rr_moved is named as the last entry of the root, so it never takes another entry's name.
  const rootInfos = root.children.map(info);
  const rrMovedName = (rule: NameRule): string =>
    resolveNames([...rootInfos, { name: 'rr_moved', isDir: true }], rule).at(-1) as string;
  const movedIsoName = rrMovedName(iso);
  // A moved directory's name is at most as long as the level allows (iso-names.ts).
  const dirMax = iso.map('x'.repeat(64), true).length;
  const movedPrefix = movedIsoName.length + 1 + dirMax + 1;

  let rrMoved: DirNode | undefined;
  const longestEntry = (d: DirNode): number =>
    d.children.reduce((m, c) => Math.max(m, isoIdentifierLength(c.isoName, c.kind === 'dir')), 0);
  /** `prefix`: the length of d's path with its trailing separator ("A/B/"), 0 for the root. */
  const visit = (d: DirNode, depth: number, prefix: number): void => {
    for (const c of d.children) {
      if (c.kind !== 'dir') continue;
      let depthOfC = depth + 1;
      let prefixOfC = prefix + c.isoName.length + 1;
      const why =
        depthOfC > MAX_DEPTH
          ? 'depth'
          : prefixOfC + longestEntry(c) > ISO_PATH_MAX
            ? 'path length'
            : '';
      if (why) {
        rrMoved ??= makeRrMoved();
        rrMoved.isoParent = root;
        c.relocated = true;
        c.relocatedFor = why;
        c.isoParent = rrMoved;
        rrMoved.moved.push(c);
        depthOfC = 3;
        prefixOfC = movedPrefix;
      } else {
        c.isoParent = d;
      }
      visit(c, depthOfC, prefixOfC);
    }
  };
  root.isoParent = root;
  visit(root, 1, 0);

  if (rrMoved) {
    rrMoved.isoName = movedIsoName;
    rrMoved.rrName = rrMovedName(rrNameRule);
    apply(
      rrMoved.moved,
      (n) => ({ name: n.name, isDir: true }),
      iso,
      (n, s) => (n.movedName = s),
    );
  }
  // ISO subdirectory lists (the path table's tree): ordered by identifier later.
  const collect = (d: DirNode): void => {
    for (const c of d.children) {
      if (c.kind !== 'dir') continue;
      c.isoParent?.isoSubdirs.push(c);
      collect(c);
    }
  };
  collect(root);
  if (rrMoved) root.isoSubdirs.push(rrMoved);
  return rrMoved;
}

/** Resolves every name in every namespace, directory by directory. */
function nameChildren(root: DirNode, o: NodeOptions): void {
  const iso = isoNameRule(o.level);
  /** `joliet`: the length of d's Joliet path (see JOLIET_PATH_MAX), or undefined when omitted. */
  const visit = (d: DirNode, joliet: number | undefined): void => {
    apply(d.children, info, iso, (n, s) => (n.isoName = s));
    apply(d.children, info, rrNameRule, (n, s) => (n.rrName = s));
    if (o.joliet && joliet !== undefined) {
      const j = d.children.filter(
        (n) => n.kind !== 'symlink' && jolietHasRoom(joliet, n.kind === 'dir'),
      );
      apply(j, info, jolietNameRule(joliet), (n, s) => (n.jolietName = s));
    }
    apply(d.children, info, udfNameRule, (n, s) => (n.udfName = s));
    for (const c of d.children) {
      if (c.kind !== 'dir') continue;
      const name = c.jolietName;
      visit(
        c,
        joliet === undefined || name === undefined
          ? undefined
          : joliet + jolietComponentLength(name.length, true),
      );
    }
  };
  visit(root, 0);
}
