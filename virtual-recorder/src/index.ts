/**
 * The virtual recorder: a simulated USB optical drive (USB Mass Storage
 * Bulk-Only Transport + SCSI/MMC) that runs in the page, in a worker and in
 * Node. Start with `createVirtualRecorder({ media: 'dvd+r' })` and hand
 * `recorder.device` to the host as if it were a WebUSB USBDevice.
 */
export {
  VIRTUAL_RECORDER_NAME,
  VIRTUAL_VENDOR_ID,
  VIRTUAL_PRODUCT_ID,
  VirtualRecorder,
  createVirtualRecorder,
  type VirtualRecorderOptions,
  type VirtualRecorderState,
  type ImageSource,
  type InsertImageOptions,
} from './virtual-recorder.ts';
export * from './media.ts';
export * from './clock.ts';
export * from './store.ts';
export * from './faults.ts';
export * from './observer.ts';
export * from './errors.ts';
export { VirtualUsbDevice, DEFAULT_MAX_TRANSFER_BYTES } from './device/virtual-usb-device.ts';
export {
  BULK_IN_ENDPOINT,
  BULK_OUT_ENDPOINT,
  PACKET_SIZE,
  INTERFACE_NUMBER,
  CONFIGURATION_VALUE,
  type DeviceIdentity,
} from './device/descriptors.ts';
export type { BotBehaviour } from './device/bot-context.ts';
export { TIMING } from './mmc-target/long-operations.ts';
export { DEFAULT_BUFFER_BYTES } from './mmc-target/buffer-model.ts';
export { Opcode } from './mmc-target/command.ts';
export {
  MediaEvent,
  type EjectButtonResult,
  type EjectRequestPolicy,
} from './mmc-target/mechanics.ts';
export { DRIVE_STATE_VERSION, parseDriveState, type DriveState } from './drive-state.ts';
export type { BackgroundFormatState } from './background-format.ts';
export {
  Disc,
  DiscStatus,
  SessionState,
  type DiscState,
  type TrackState,
  type DiscSnapshot,
  type SessionInfo,
  type Track,
} from './disc.ts';
export { SENSE, type SenseCode } from './sense-codes.ts';
export { CueDataForm, MIN_TRACK_BLOCKS, type CuePlan, type CueTrack } from './sao.ts';
export { romSector, romDataByte, ROM_README } from './rom-content.ts';
export {
  RawBot,
  Cdb,
  readyBot,
  within,
  stillPending,
  type RawCommand,
  type RawResult,
} from './raw-bot.ts';
export { PERSONALITIES, PERSONALITY_NAMES, type PersonalityName } from './personalities.ts';
