/**
 * Status data: GET EVENT STATUS NOTIFICATION (MMC-6 §6.7), READ BUFFER
 * CAPACITY (MMC-6 §6.21), MECHANISM STATUS (MMC-6 §6.11) and READ FORMAT
 * CAPACITIES (MMC-6 §6.24).
 */
import { put16, put24, put32 } from './fields.ts';

// ---- GET EVENT STATUS NOTIFICATION (MMC-6 §6.7) ------------------------------------------

/** Notification class bit for media events in the request mask and SUPPORTED EVENT CLASSES. */
export const MEDIA_CLASS_MASK = 0x10;

/**
 *  0-1 EVENT DESCRIPTOR LENGTH (n - 2)  2 NEA(7) | NOTIFICATION CLASS(2:0) (4 = media)
 *  3 SUPPORTED EVENT CLASSES (10h)
 *  media event descriptor: 4 MEDIA EVENT CODE(3:0)  5 MEDIA PRESENT(1) DOOR/TRAY OPEN(0)
 *  6 START SLOT  7 END SLOT
 * A request without the media class gets NEA = 1 and no descriptor.
 */
export function eventStatus(
  media: { event: number; present: boolean; trayOpen: boolean } | undefined,
): Uint8Array<ArrayBuffer> {
  if (!media) return Uint8Array.of(0x00, 0x02, 0x80, MEDIA_CLASS_MASK);
  return Uint8Array.of(
    0x00,
    0x06,
    0x04,
    MEDIA_CLASS_MASK,
    media.event & 0x0f,
    (media.present ? 0x02 : 0) | (media.trayOpen ? 0x01 : 0),
    0,
    0,
  );
}

// ---- READ BUFFER CAPACITY (MMC-6 §6.21) ---------------------------------------------------

/**
 * BLOCK = 0: 0-1 DATA LENGTH = 10, 4-7 LENGTH OF THE BUFFER, 8-11 BLANK LENGTH OF BUFFER (bytes).
 * BLOCK = 1: 3 BLOCK(0) = 1, 8-11 AVAILABLE LENGTH OF BUFFER (blocks).
 */
export function bufferCapacity(
  block: boolean,
  size: number,
  free: number,
): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12);
  put16(b, 0, 10);
  if (block) {
    b[3] = 0x01;
    put32(b, 8, Math.floor(free / 2048));
  } else {
    put32(b, 4, size);
    put32(b, 8, free);
  }
  return b;
}

// ---- MECHANISM STATUS (MMC-6 §6.11) ---------------------------------------------------------

/**
 * Header only (no changer), 8 bytes: 0 FAULT(7) CHANGER STATE(6:5) CURRENT SLOT(4:0)
 * 1 MECHANISM STATE(7:5) DOOR OPEN(4)  2-4 CURRENT LBA  5 NUMBER OF SLOTS AVAILABLE
 * 6-7 LENGTH OF SLOT TABLES.
 */
export function mechanismStatus(trayOpen: boolean, busy: boolean): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(8);
  b[1] = (busy ? 0x20 : 0x00) | (trayOpen ? 0x10 : 0x00);
  return b;
}

// ---- READ FORMAT CAPACITIES (MMC-6 §6.24) ---------------------------------------------------

/**
 * 0-2 reserved, 3 CAPACITY LIST LENGTH (8 per descriptor); then the current/maximum
 * capacity descriptor (0-3 NUMBER OF BLOCKS, 4 DESCRIPTOR TYPE(1:0): 1 unformatted,
 * 2 formatted, 3 no media, 5-7 BLOCK LENGTH), then formattable descriptors (0-3 NUMBER OF
 * BLOCKS, 4 FORMAT TYPE(7:2) | SUBTYPE(1:0), 5-7 TYPE DEPENDENT PARAMETER).
 */
export function formatCapacities(
  current: { blocks: number; type: 1 | 2 | 3 },
  formattable: readonly { blocks: number; type: number; param: number }[],
): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12 + 8 * formattable.length);
  b[3] = 8 * (formattable.length + 1);
  put32(b, 4, current.blocks);
  b[8] = current.type;
  put24(b, 9, 2048);
  formattable.forEach((f, i) => {
    put32(b, 12 + 8 * i, f.blocks);
    b[16 + 8 * i] = f.type << 2;
    put24(b, 17 + 8 * i, f.param);
  });
  return b;
}
