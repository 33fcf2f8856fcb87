/**
 * GET CONFIGURATION (MMC-6 §6.6; its response: features.ts) and GET EVENT STATUS NOTIFICATION (§6.7).
 * Part of the MMC command set (mmc.ts re-exports every part); same shape
 * as spc.ts: CDB layout, validating builder, parse/encode pairs.
 */
import { struct } from '../struct.ts';
import { bit, checkInt, declaredLength, flag, needDeclared, putU16 } from './bytes.ts';
import { dataIn, type ScsiRequest } from './command.ts';
import { OPCODE } from './opcodes.ts';

const u8 = 'u8' as const;

// ===========================================================================
// GET CONFIGURATION, MMC-6 §6.6 (response codec: features.ts)
//  0  OPERATION CODE (46h)
//  1  RT (1:0): 0 all features, 1 current ones, 2 only the starting feature
//  2-3 STARTING FEATURE NUMBER (u16)
//  4-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const getConfigurationLayout = struct('GET CONFIGURATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  rt: { offset: 1, type: u8 },
  startingFeature: { offset: 2, type: 'u16be' },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

export const ConfigurationRequestType = {
  All: 0,
  Current: 1,
  One: 2,
} as const;

export interface GetConfigurationParams {
  readonly requestType: number;
  readonly startingFeature: number;
  readonly allocationLength: number;
}

export function getConfiguration(params: Partial<GetConfigurationParams> = {}): ScsiRequest {
  const requestType = params.requestType ?? ConfigurationRequestType.All;
  const startingFeature = params.startingFeature ?? 0;
  const allocationLength = params.allocationLength ?? 4096;
  checkInt('GET CONFIGURATION RT', requestType, 0, 2);
  checkInt('starting feature', startingFeature, 0, 0xffff);
  checkInt('GET CONFIGURATION allocation length', allocationLength, 8, 0xffff);
  return dataIn(
    getConfigurationLayout.encode({
      opcode: OPCODE.GET_CONFIGURATION,
      rt: requestType,
      startingFeature,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

// ===========================================================================
// GET EVENT STATUS NOTIFICATION, MMC-6 §6.7
//  0  OPERATION CODE (4Ah)
//  1  POLLED (0) = 1 (asynchronous operation is not defined for MMC drives)
//  2-3 reserved
//  4  NOTIFICATION CLASS REQUEST (bit mask, EventClassMask)
//  5-6 reserved
//  7-8 ALLOCATION LENGTH (u16)
//  9  CONTROL
export const gesnLayout = struct('GET EVENT STATUS NOTIFICATION CDB', 10, {
  opcode: { offset: 0, type: u8 },
  flags: { offset: 1, type: u8 },
  classRequest: { offset: 4, type: u8 },
  allocationLength: { offset: 7, type: 'u16be' },
  control: { offset: 9, type: u8 },
});

/** NOTIFICATION CLASS field of the event header (MMC-6 §6.7.2.1). */
export const NotificationClass = {
  None: 0,
  OperationalChange: 1,
  PowerManagement: 2,
  ExternalRequest: 3,
  Media: 4,
  MultiHost: 5,
  DeviceBusy: 6,
} as const;

/** NOTIFICATION CLASS REQUEST bits (the CDB) and SUPPORTED EVENT CLASSES bits (the header). */
export const EventClassMask = {
  OperationalChange: 0x02,
  PowerManagement: 0x04,
  ExternalRequest: 0x08,
  Media: 0x10,
  MultiHost: 0x20,
  DeviceBusy: 0x40,
} as const;

export interface GetEventStatusParams {
  readonly polled: boolean;
  readonly classMask: number;
  readonly allocationLength: number;
}

export function getEventStatusNotification(
  params: Partial<Omit<GetEventStatusParams, 'polled'>> = {},
): ScsiRequest {
  const classMask = params.classMask ?? EventClassMask.Media;
  const allocationLength = params.allocationLength ?? 8;
  checkInt('event class mask', classMask, 0, 0xff);
  checkInt('GESN allocation length', allocationLength, 4, 0xffff);
  return dataIn(
    gesnLayout.encode({
      opcode: OPCODE.GET_EVENT_STATUS_NOTIFICATION,
      flags: 0x01,
      classRequest: classMask,
      allocationLength,
      control: 0,
    }),
    allocationLength,
  );
}

/** Media event codes (MMC-6 §6.7.2.5, table 155). */
export const MediaEventCode = {
  NoChange: 0,
  EjectRequest: 1,
  NewMedia: 2,
  MediaRemoval: 3,
  MediaChanged: 4,
  BgFormatCompleted: 5,
  BgFormatRestarted: 6,
} as const;

/**
 * Media class event descriptor, MMC-6 §6.7.2.5 (4 bytes after the header):
 *  0  MEDIA EVENT CODE (3:0)
 *  1  MEDIA PRESENT (1) | DOOR OR TRAY OPEN (0)
 *  2  START SLOT  3  END SLOT
 */
export interface MediaEvent {
  readonly kind: 'media';
  readonly eventCode: number;
  readonly mediaPresent: boolean;
  readonly doorOpen: boolean;
  readonly startSlot: number;
  readonly endSlot: number;
}

/** Any other class's event data, kept as sent. */
export interface RawEvent {
  readonly kind: 'raw';
  readonly data: Uint8Array;
}

/**
 * Response, MMC-6 §6.7.2.1:
 *  0-1 EVENT DATA LENGTH (n - 2)
 *  2  NEA (7): no event available | NOTIFICATION CLASS (2:0)
 *  3  SUPPORTED EVENT CLASSES (EventClassMask bits)
 *  4.. event data of that class (absent when NEA)
 */
export interface EventStatus {
  readonly noEventAvailable: boolean;
  readonly notificationClass: number;
  readonly supportedClasses: number;
  readonly event: MediaEvent | RawEvent | undefined;
}

export function parseEventStatus(data: Uint8Array): EventStatus {
  const total = declaredLength('event status', data, 2, 4);
  needDeclared('event status', data, total);
  const noEventAvailable = bit(data[2], 7);
  const notificationClass = data[2]! & 0x07;
  let event: MediaEvent | RawEvent | undefined;
  if (!noEventAvailable && total > 4) {
    if (notificationClass === NotificationClass.Media && total >= 8) {
      event = {
        kind: 'media',
        eventCode: data[4]! & 0x0f,
        mediaPresent: bit(data[5], 1),
        doorOpen: bit(data[5], 0),
        startSlot: data[6]!,
        endSlot: data[7]!,
      };
    } else {
      event = { kind: 'raw', data: data.slice(4, total) };
    }
  }
  return { noEventAvailable, notificationClass, supportedClasses: data[3]!, event };
}

export function encodeEventStatus(value: EventStatus): Uint8Array<ArrayBuffer> {
  checkInt('notification class', value.notificationClass, 0, 7);
  checkInt('supported classes', value.supportedClasses, 0, 0xff);
  let body: Uint8Array = new Uint8Array(0);
  if (value.event?.kind === 'media') {
    const e = value.event;
    checkInt('media event code', e.eventCode, 0, 0x0f);
    checkInt('start slot', e.startSlot, 0, 0xff);
    checkInt('end slot', e.endSlot, 0, 0xff);
    body = Uint8Array.of(
      e.eventCode,
      flag(e.mediaPresent, 1) | flag(e.doorOpen, 0),
      e.startSlot,
      e.endSlot,
    );
  } else if (value.event?.kind === 'raw') {
    body = value.event.data;
  }
  const out = new Uint8Array(4 + body.length);
  checkInt('event data length', out.length - 2, 2, 0xffff);
  putU16(out, 0, out.length - 2);
  out[2] = flag(value.noEventAvailable, 7) | value.notificationClass;
  out[3] = value.supportedClasses;
  out.set(body, 4);
  return out;
}
