import { expect } from '@open-wc/testing';
import type { FileTreeEntry } from '../../contract/api.ts';
import { addEntries, nameProblem, removeEntry, renameEntry, uniqueName } from './file-project.ts';
import {
  entriesFromDataTransfer,
  entriesFromFileList,
  entryFromFsEntry,
  entryFromHandle,
  treeTotals,
  type DataTransferItemLike,
  type FsEntryLike,
  type HandleLike,
} from './file-tree.ts';

const T = Date.UTC(2024, 5, 1, 12);
const file = (name: string, text = name, lastModified = T) =>
  new File([text], name, { lastModified });

/** A File as a webkitdirectory input lists it: its path below the chosen folder. */
function inFolder(path: string, text = path): File {
  const f = file(path.split('/').pop() ?? path, text);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
}

/** The tree's shape: names, with "/" after folders, children nested. */
function shape(entries: readonly FileTreeEntry[]): unknown[] {
  return entries.map((e) => (e.kind === 'dir' ? { [`${e.name}/`]: shape(e.children) } : e.name));
}

function dirHandle(name: string, children: HandleLike[]): HandleLike {
  return {
    kind: 'directory',
    name,
    async *values() {
      yield* children;
    },
  };
}
const fileHandle = (f: File): HandleLike => ({
  kind: 'file',
  name: f.name,
  getFile: async () => f,
});

/** FileSystemEntry fakes; a directory reader answers in batches of `batch`, then []. */
function fsDir(name: string, children: FsEntryLike[], batch = 2): FsEntryLike {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader() {
      let at = 0;
      return {
        readEntries(ok) {
          const next = children.slice(at, at + batch);
          at += next.length;
          setTimeout(() => ok(next));
        },
      };
    },
  };
}
const fsFile = (f: File): FsEntryLike => ({
  isFile: true,
  isDirectory: false,
  name: f.name,
  file: (ok) => setTimeout(() => ok(f)),
});

describe('file-tree: browser files as FileTreeEntry trees', () => {
  it('rebuilds folders from a webkitdirectory FileList, with mtime from lastModified', () => {
    const entries = entriesFromFileList([
      inFolder('Fotos/2024/b.jpg'),
      inFolder('Fotos/readme.txt'),
      inFolder('Fotos/2024/a.jpg'),
    ]);
    expect(shape(entries)).to.deep.equal([
      { 'Fotos/': [{ '2024/': ['a.jpg', 'b.jpg'] }, 'readme.txt'] },
    ]);
    const top = entries[0];
    if (top?.kind !== 'dir') throw new Error('no folder');
    const readme = top.children[1];
    expect(readme?.kind).to.equal('file');
    expect(readme && 'mtime' in readme ? readme.mtime : null).to.equal(T);
    expect(readme?.kind === 'file' && readme.blob).to.be.instanceOf(File);
  });

  it('puts the files of a plain multiple FileList at the top, in name order', () => {
    expect(shape(entriesFromFileList([file('b.txt'), file('a.txt')]))).to.deep.equal([
      'a.txt',
      'b.txt',
    ]);
  });

  it('walks a directory handle (showDirectoryPicker), keeping empty folders', async () => {
    const root = await entryFromHandle(
      dirHandle('Projekt', [
        fileHandle(file('z.txt')),
        dirHandle('leer', []),
        dirHandle('src', [fileHandle(file('main.c', 'int main;'))]),
      ]),
    );
    expect(shape([root])).to.deep.equal([
      { 'Projekt/': [{ 'leer/': [] }, { 'src/': ['main.c'] }, 'z.txt'] },
    ]);
    expect(treeTotals([root])).to.deep.equal({ files: 2, folders: 3, bytes: 14 });
  });

  it('walks a dropped FileSystemEntry tree, reading directories in batches', async () => {
    const five = ['1', '2', '3', '4', '5'].map((n) => fsFile(file(`${n}.txt`)));
    const root = await entryFromFsEntry(fsDir('drop', [...five, fsDir('empty', [])]));
    expect(shape([root])).to.deep.equal([
      { 'drop/': ['1.txt', '2.txt', '3.txt', '4.txt', '5.txt', { 'empty/': [] }] },
    ]);
  });

  it('takes a drop: entries, handles and plain files, all grabbed before the first await', async () => {
    let grabbed = 0;
    const item = (over: Partial<DataTransferItemLike>): DataTransferItemLike => ({
      kind: 'file',
      getAsFile: () => null,
      ...over,
    });
    const items: DataTransferItemLike[] = [
      item({
        webkitGetAsEntry: () => (grabbed++, fsDir('Ordner', [fsFile(file('x.txt'))])),
      }),
      item({
        webkitGetAsEntry: () => null,
        getAsFileSystemHandle: () => (grabbed++, Promise.resolve(fileHandle(file('h.txt')))),
      }),
      item({ getAsFile: () => (grabbed++, file('plain.txt')) }),
      { kind: 'string', getAsFile: () => null },
    ];
    const pending = entriesFromDataTransfer(items);
    expect(grabbed).to.equal(3);
    expect(shape(await pending)).to.deep.equal([{ 'Ordner/': ['x.txt'] }, 'h.txt', 'plain.txt']);
  });
});

describe('file-project: adding, renaming and removing by path', () => {
  const project = (): readonly FileTreeEntry[] =>
    entriesFromFileList([inFolder('docs/a.txt'), inFolder('docs/b.txt'), file('notes.txt')]);

  it('adds with " (2)" before the extension when a name is taken', () => {
    const { entries, renamed } = addEntries(
      project(),
      [file('notes.txt'), inFolder('docs/c.txt')].flatMap((f) => entriesFromFileList([f])),
    );
    expect(renamed).to.deep.equal([
      { from: 'notes.txt', to: 'notes (2).txt' },
      { from: 'docs', to: 'docs (2)' },
    ]);
    expect(shape(entries)).to.deep.equal([
      { 'docs/': ['a.txt', 'b.txt'] },
      { 'docs (2)/': ['c.txt'] },
      'notes (2).txt',
      'notes.txt',
    ]);
    expect(uniqueName('.bashrc', new Set(['.bashrc']))).to.equal('.bashrc (2)');
  });

  it('renames at the root and inside folders; refuses empty, "/", and duplicates', () => {
    const p = project();
    const inner = renameEntry(p, ['docs', 'a.txt'], 'Übersicht.txt');
    if (!inner.ok) throw new Error(inner.problem);
    expect(shape(inner.entries)).to.deep.equal([
      { 'docs/': ['b.txt', 'Übersicht.txt'] },
      'notes.txt',
    ]);
    const top = renameEntry(p, ['docs'], 'Dokumente');
    expect(top.ok && shape(top.entries)).to.deep.equal([
      { 'Dokumente/': ['a.txt', 'b.txt'] },
      'notes.txt',
    ]);
    const problem = (path: string[], name: string) => {
      const r = renameEntry(p, path, name);
      return r.ok ? null : r.problem;
    };
    expect(problem(['docs', 'a.txt'], '')).to.equal('A name cannot be empty.');
    expect(problem(['docs', 'a.txt'], '   ')).to.equal('A name cannot be empty.');
    expect(problem(['docs', 'a.txt'], 'x/y')).to.equal('A name cannot contain “/”.');
    expect(problem(['docs', 'a.txt'], 'b.txt')).to.equal(
      'There is already “b.txt” in this folder.',
    );
    expect(problem(['notes.txt'], 'docs')).to.equal('There is already “docs” in this folder.');
    expect(problem(['notes.txt'], '..')).to.equal('“..” is not a name.');
    // The same name in another folder is fine, and so is keeping one's own name.
    expect(problem(['notes.txt'], 'a.txt')).to.equal(null);
    expect(problem(['docs', 'a.txt'], 'a.txt')).to.equal(null);
    expect(nameProblem('x', [])).to.equal(null);
  });

  it('removes at the root and inside folders', () => {
    const p = removeEntry(removeEntry(project(), ['docs', 'a.txt']), ['notes.txt']);
    expect(shape(p)).to.deep.equal([{ 'docs/': ['b.txt'] }]);
  });
});
