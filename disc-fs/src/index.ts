/** disc-fs: everything a caller needs; see README.md. */
export { planImage, checkCapacity, type ImagePlan } from './image.ts';
export type { ImageOptions, BootImage, PlanLayout } from './plan/plan.ts';
export type { PlanReport, NameChange, Relocation, Omission, Namespace } from './plan/report.ts';
export {
  bytesSource,
  generatedSource,
  zeroSource,
  type ByteSource,
  type DirEntry,
  type Entry,
  type FileEntry,
  type SymlinkEntry,
} from './tree.ts';
export { sectorSource, type StreamOptions, type PullController } from './stream.ts';
export * from './errors.ts';
export {
  openIso,
  type IsoVolume,
  type IsoNamespace,
  type ReadEntry,
  type SectorReader,
} from './reader/iso-reader.ts';
export { openUdf, type UdfVolume, type UdfEntry } from './reader/udf-reader.ts';
export { treeFromBlobs, blobByteSource } from './blob-tree.ts';
export { preflight, type PreflightOptions } from './preflight.ts';
export { importSession, overlay, remove, type TreeEdit } from './session.ts';
export { utf8Encode, utf8Decode, utf8Length } from './binary/text.ts';
