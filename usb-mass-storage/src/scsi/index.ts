export * from './command.ts';
export * from './sense.ts';
export { lbaToMsf, type Msf, msfToLba, TruncatedResponseError } from './bytes.ts';
export * from './opcodes.ts';
export * from './spc.ts';
export * from './mmc.ts';
export * from './mode-pages.ts';
export * from './features.ts';
export * from './sense-table.ts';
