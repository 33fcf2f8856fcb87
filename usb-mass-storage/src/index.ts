export * from './struct.ts';
export * from '../../contract/hresult.ts';
export * from './errors.ts';
export * from './timers.ts';
export * from './usb.ts';
export * from './bot/wrappers.ts';
export * from './bot/transport.ts';
export * from './scsi/index.ts';
