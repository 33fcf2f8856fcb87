/**
 * MMC commands (MMC-6, T10/1836-D): the multimedia command set of CD/DVD/BD
 * recorders. READ TOC/PMA/ATIP, GET CONFIGURATION (its response is in
 * features.ts), GET EVENT STATUS NOTIFICATION, READ DISC INFORMATION, READ
 * TRACK INFORMATION, RESERVE TRACK, CLOSE TRACK/SESSION, READ BUFFER CAPACITY,
 * SEND CUE SHEET, BLANK, FORMAT UNIT, SET CD SPEED, MECHANISM STATUS.
 *
 * Same shape as spc.ts: a `struct` CDB layout, a validating builder returning
 * a ScsiRequest (the tests decode its exported layout back), and
 * parse/encode pairs for the data. Parsers
 * follow the length rules in bytes.ts.
 */
export * from './mmc-toc.ts';
export * from './mmc-events.ts';
export * from './mmc-disc.ts';
export * from './mmc-track.ts';
export * from './mmc-cue-sheet.ts';
export * from './mmc-media.ts';
