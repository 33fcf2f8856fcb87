/**
 * Typed errors of the image builder. Each is a small class with a stable
 * `code` (for callers across a worker boundary, where `instanceof` is lost)
 * and the underlying `cause`. The builder never drops or corrupts a file
 * silently: every problem it finds surfaces as one of these.
 */
export type DiscFsErrorCode =
  | 'INVALID_TREE'
  | 'UNREADABLE_FILE'
  | 'FILE_SIZE_CHANGED'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_SECTORS'
  | 'TOO_MANY_DIRECTORIES'
  | 'BOOT_IMAGE_SIZE'
  | 'DECODE';

export class DiscFsError extends Error {
  readonly code: DiscFsErrorCode;

  constructor(code: DiscFsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input tree cannot be recorded as given (bad name, duplicate, missing boot file...). */
export class InvalidTreeError extends DiscFsError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('INVALID_TREE', `${path}: ${message}`);
  }
}

/** A file's bytes could not be read (its source threw). */
export class UnreadableFileError extends DiscFsError {
  constructor(
    readonly path: string,
    options: { cause?: unknown },
  ) {
    super('UNREADABLE_FILE', `${path}: cannot be read`, options);
  }
}

/**
 * A file was shorter or longer when read than when planned. The image would
 * otherwise carry a truncated or padded copy under the planned size, so the
 * stream stops here instead.
 */
export class FileSizeChangedError extends DiscFsError {
  constructor(
    readonly path: string,
    readonly plannedSize: number,
    /** The size seen while reading: exact when it shrank, a lower bound when it grew. */
    readonly seenSize: number,
  ) {
    super(
      'FILE_SIZE_CHANGED',
      `${path}: size changed while being read (planned ${plannedSize} bytes, ` +
        `${seenSize < plannedSize ? 'found' : 'found at least'} ${seenSize})`,
    );
  }
}

/** A file of 4 GiB or more needs ISO 9660 level 3 (multi-extent files, ECMA-119 6.5.1). */
export class FileTooLargeError extends DiscFsError {
  constructor(
    readonly path: string,
    readonly size: number,
  ) {
    super('FILE_TOO_LARGE', `${path}: ${size} bytes need ISO 9660 interchange level 3`);
  }
}

/** The planned image does not fit the medium (see `checkCapacity`). */
export class TooManySectorsError extends DiscFsError {
  constructor(
    readonly sectors: number,
    readonly capacity: number,
  ) {
    super(
      'TOO_MANY_SECTORS',
      `the image needs ${sectors} sectors of 2048 bytes, the medium holds ${capacity}`,
    );
  }
}

/** Path tables number directories with 16 bits (ECMA-119 9.4.6): at most 65535. */
export class TooManyDirectoriesError extends DiscFsError {
  constructor(readonly directories: number) {
    super('TOO_MANY_DIRECTORIES', `${directories} directories; ISO 9660 path tables hold 65535`);
  }
}

/** An El Torito boot image whose size the boot catalog cannot describe. */
export class BootImageSizeError extends DiscFsError {
  constructor(
    readonly path: string,
    readonly size: number,
    reason: string,
  ) {
    super('BOOT_IMAGE_SIZE', `boot image ${path} (${size} bytes): ${reason}`);
  }
}

/** Bytes read from a disc that do not parse as the structure expected. */
export class DecodeError extends DiscFsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DECODE', message, options);
  }
}
