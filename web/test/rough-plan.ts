/** The fake API's plan of a files image (web/test/fake-api.ts). */
import type { FileImagePlan, FileTreeEntry } from '../../contract/api.ts';
import { sectorsFor } from '../../contract/profiles.ts';

export type Root = Extract<FileTreeEntry, { kind: 'dir' }>;

/** A rough plan of a files image: 20 sectors of volume structures, one per folder, the files' data. */
export function roughPlan(root: Root): FileImagePlan {
  let files = 0;
  let directories = 0;
  let dataBytes = 0;
  let sectors = 20;
  const walk = (list: readonly FileTreeEntry[]) => {
    for (const e of list) {
      if (e.kind === 'file') {
        files++;
        dataBytes += e.blob.size;
        sectors += sectorsFor(e.blob.size);
      } else if (e.kind === 'dir') {
        directories++;
        sectors++;
        walk(e.children);
      }
    }
  };
  walk(root.children);
  return {
    sectors,
    bytes: sectors * 2048,
    files,
    directories,
    dataBytes,
    renamed: [],
    relocated: [],
    omitted: [],
  };
}
