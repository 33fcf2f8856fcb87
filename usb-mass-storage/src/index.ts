export * from './struct.ts';
export * from './hresult.ts';
export * from './errors.ts';
export * from './bot/wrappers.ts';
export * from './scsi/sense.ts';
export * from './usb.ts';
