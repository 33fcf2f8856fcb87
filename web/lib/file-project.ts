/**
 * A files-and-folders project as plain, immutable data: the entries at the
 * project root (the disc's root folder), edited by path (the names from the
 * root down). Adding never loses an entry: a name already in the folder gets
 * " (2)", " (3)"… before its extension. Renaming follows one rule for every
 * folder: not empty, no "/", not "." or "..", and no other entry of that
 * folder with the same name.
 */
import type { FileTreeEntry } from '../../contract/api.ts';
import { byName, type DirNode } from './file-tree.ts';

/** An entry's place: the names from the project root down to it. */
export type EntryPath = readonly string[];

/** Why `name` cannot be an entry of a folder holding `siblings` (itself excluded); null when it can. */
export function nameProblem(
  name: string,
  siblings: readonly FileTreeEntry[],
  self?: FileTreeEntry,
): string | null {
  if (name.trim() === '') return 'A name cannot be empty.';
  if (name.includes('/')) return 'A name cannot contain “/”.';
  if (name === '.' || name === '..') return `“${name}” is not a name.`;
  if (name.includes('\0')) return 'A name cannot contain a NUL character.';
  if (siblings.some((s) => s !== self && s.name === name))
    return `There is already “${name}” in this folder.`;
  return null;
}

/** "photo.jpg" → "photo (2).jpg" (the first free number); a folder's or dotfile's name has no extension. */
export function uniqueName(name: string, taken: ReadonlySet<string>, isDir = false): string {
  if (!taken.has(name)) return name;
  const dot = isDir ? -1 : name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The entry at `path`, or undefined. */
export function entryAt(
  entries: readonly FileTreeEntry[],
  path: EntryPath,
): FileTreeEntry | undefined {
  let list = entries;
  let found: FileTreeEntry | undefined;
  for (const name of path) {
    found = list.find((e) => e.name === name);
    if (!found) return undefined;
    list = found.kind === 'dir' ? found.children : [];
  }
  return found;
}

/** The entries of the folder at `path` ([] is the project root); undefined when it is not a folder. */
export function folderAt(
  entries: readonly FileTreeEntry[],
  path: EntryPath,
): readonly FileTreeEntry[] | undefined {
  if (path.length === 0) return entries;
  const e = entryAt(entries, path);
  return e?.kind === 'dir' ? e.children : undefined;
}

/** `entries` with the folder at `dir` replaced by what `edit` makes of its children. */
function editFolder(
  entries: readonly FileTreeEntry[],
  dir: EntryPath,
  edit: (children: readonly FileTreeEntry[]) => readonly FileTreeEntry[],
): readonly FileTreeEntry[] {
  if (dir.length === 0) return edit(entries);
  const [head, ...rest] = dir;
  return entries.map((e) =>
    e.name === head && e.kind === 'dir'
      ? ({ ...e, children: editFolder(e.children, rest, edit) } satisfies DirNode)
      : e,
  );
}

/** Entries added to the folder at `dir`, renamed where the name is taken; the names they got. */
export function addEntries(
  entries: readonly FileTreeEntry[],
  added: readonly FileTreeEntry[],
  dir: EntryPath = [],
): { entries: readonly FileTreeEntry[]; renamed: { from: string; to: string }[] } {
  const renamed: { from: string; to: string }[] = [];
  const next = editFolder(entries, dir, (children) => {
    const taken = new Set(children.map((c) => c.name));
    const out = [...children];
    for (const entry of added) {
      const name = uniqueName(entry.name, taken, entry.kind === 'dir');
      taken.add(name);
      if (name !== entry.name) renamed.push({ from: entry.name, to: name });
      out.push(name === entry.name ? entry : { ...entry, name });
    }
    return byName(out);
  });
  return { entries: next, renamed };
}

export function removeEntry(
  entries: readonly FileTreeEntry[],
  path: EntryPath,
): readonly FileTreeEntry[] {
  const name = path.at(-1);
  if (name === undefined) return entries;
  return editFolder(entries, path.slice(0, -1), (children) =>
    children.filter((c) => c.name !== name),
  );
}

/** The project with the entry at `path` renamed, or the reason it cannot be. */
export function renameEntry(
  entries: readonly FileTreeEntry[],
  path: EntryPath,
  newName: string,
): { ok: true; entries: readonly FileTreeEntry[] } | { ok: false; problem: string } {
  const self = entryAt(entries, path);
  const siblings = folderAt(entries, path.slice(0, -1));
  if (!self || !siblings) return { ok: false, problem: 'That entry is no longer in the project.' };
  const problem = nameProblem(newName, siblings, self);
  if (problem) return { ok: false, problem };
  return {
    ok: true,
    entries: editFolder(entries, path.slice(0, -1), (children) =>
      byName(children.map((c) => (c === self ? { ...c, name: newName } : c))),
    ),
  };
}
