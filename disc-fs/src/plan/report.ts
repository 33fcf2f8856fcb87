/**
 * What the plan tells its caller about names: every entry whose name differs
 * in some namespace from the name it was given, every directory Rock Ridge
 * relocation moved in the plain ISO 9660 view, and every entry a namespace
 * cannot hold (Joliet has no symbolic links, and no path over 240
 * characters; see hierarchy.ts). Nothing is dropped silently.
 */
import { isoDisplayName } from '../iso9660/iso-names.ts';
import type { Node, NodeTree } from './nodes.ts';

export type Namespace = 'iso9660' | 'joliet' | 'rockRidge' | 'udf';

export interface NameChange {
  /** The path as given, from the root: "/docs/Übersicht.txt". */
  path: string;
  /**
   * Names that differ, per namespace. ISO 9660 counts as changed only when
   * it differs by more than case, the ";1" version and the separator, which
   * every ISO 9660 name has.
   */
  iso9660?: string;
  joliet?: string;
  rockRidge?: string;
  udf?: string;
}

export interface Relocation {
  path: string;
  /** Where the plain ISO 9660 view (without Rock Ridge) shows the directory. */
  isoPath: string;
  /** ECMA-119 6.8.2.1: deeper than eight levels, or a path inside would pass 255 characters. */
  reason: 'depth' | 'path length';
}

export interface Omission {
  path: string;
  namespace: Namespace;
  reason: string;
}

export interface PlanReport {
  renamed: NameChange[];
  relocated: Relocation[];
  omitted: Omission[];
}

function isoUnchanged(n: Node): boolean {
  return isoDisplayName(n.isoName) === n.name.toUpperCase();
}

export function buildReport(
  tree: NodeTree,
  o: { joliet: boolean; udf: boolean; udfSymlinks: boolean },
): PlanReport {
  const renamed: NameChange[] = [];
  const omitted: Omission[] = [];
  const relocated: Relocation[] = [];
  for (const n of tree.all) {
    if (n === tree.root) continue;
    const c: NameChange = { path: n.path };
    let changed = false;
    if (!isoUnchanged(n)) [c.iso9660, changed] = [n.isoName, true];
    if (o.joliet) {
      if (n.jolietName === undefined) {
        const reason =
          n.kind === 'symlink'
            ? 'Joliet has no symbolic links'
            : 'Joliet paths are at most 240 characters';
        omitted.push({ path: n.path, namespace: 'joliet', reason });
      } else if (n.jolietName !== n.name) [c.joliet, changed] = [n.jolietName, true];
    }
    if (n.rrName !== n.name) [c.rockRidge, changed] = [n.rrName, true];
    if (o.udf && n.kind === 'symlink' && !o.udfSymlinks) {
      omitted.push({ path: n.path, namespace: 'udf', reason: 'udfSymlinks is off' });
    } else if (o.udf && n.udfName !== n.name) [c.udf, changed] = [n.udfName, true];
    if (changed) renamed.push(c);
    if (n.kind === 'dir' && n.relocated) {
      relocated.push({
        path: n.path,
        isoPath: `/${tree.rrMoved?.isoName ?? ''}/${n.movedName}`,
        reason: n.relocatedFor || 'depth',
      });
    }
  }
  return { renamed, relocated, omitted };
}
