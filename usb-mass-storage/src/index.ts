export * from './struct.ts';
export * from './hresult.ts';
export * from './errors.ts';
export * from './bot/wrappers.ts';
export type { Sense } from './scsi/sense.ts';
