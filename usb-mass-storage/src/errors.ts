/**
 * Typed errors of the protocol core. Each is a small class with `cause` (as in
 * ya-webadb) and the IMAPI HRESULT a Windows caller would have seen, so the
 * worker can send it across Comlink as a plain value (see `toErrorValue`).
 */
import { HRESULT, type HResultName } from '../../contract/hresult.ts';
import { AccessProblem, type ErrorValue, type Sense } from '../../contract/errors.ts';

export class WebdiscError extends Error {
  /** Name of the HRESULT in `HRESULT` (the seed's spelling). */
  readonly hresultName: HResultName;
  readonly sense: Sense | undefined;

  constructor(
    hresultName: HResultName,
    message: string,
    options?: { cause?: unknown; sense?: Sense | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hresultName = hresultName;
    this.sense = options?.sense;
  }

  get hresult(): number {
    return HRESULT[this.hresultName];
  }
}

/** Bytes from a device or a file that do not parse. */
export class DecodeError extends WebdiscError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', message, options);
  }
}

/** The device went away (WebUSB NotFoundError, node-usb LIBUSB_ERROR_NO_DEVICE). */
export class DeviceGoneError extends WebdiscError {
  constructor(message = 'The device is no longer available.', options?: { cause?: unknown }) {
    super('HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST', message, options);
  }
}

/** A command did not complete in its time; the transport has already reset. */
export class CommandTimeoutError extends WebdiscError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_IMAPI_RECORDER_COMMAND_TIMEOUT', message, options);
  }
}

/** The caller's AbortSignal fired. */
export class CancelledError extends WebdiscError {
  constructor(message = 'The request was cancelled.', options?: { cause?: unknown }) {
    super('E_IMAPI_REQUEST_CANCELLED', message, options);
  }
}

/** A BOT protocol violation (bad CSW, phase error) that reset recovery cured. */
export class TransportError extends WebdiscError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', message, options);
  }
}

/** Reset recovery itself failed: the device cannot be used until replugged. */
export class DeviceUnusableError extends WebdiscError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_FAIL', message, options);
  }
}

/** No mass-storage interface, claim refused, and the like. */
export class DeviceAccessError extends WebdiscError {
  /** Set when the cause is one the user can fix; the UI and the CLI say how. */
  readonly problem: AccessProblem | undefined;
  constructor(
    hresultName: HResultName,
    message: string,
    options?: { cause?: unknown; problem?: AccessProblem },
  ) {
    super(hresultName, message, options);
    this.problem = options?.problem;
  }
}

/**
 * The platform refused the mass-storage interface or a control transfer to it
 * (WebUSB SecurityError: Chrome's protected class 08h for ordinary pages).
 * A fact, with no advice: what to do is the UI's and the CLI's to say.
 */
export class ProtectedClassError extends DeviceAccessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_ACCESS_DENIED', message, { ...options, problem: AccessProblem.ProtectedClass });
  }
}

/** Another driver holds the interface (WebUSB NetworkError, libusb LIBUSB_ERROR_BUSY). */
export class DeviceBusyError extends DeviceAccessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_ACCESS_DENIED', message, { ...options, problem: AccessProblem.Busy });
  }
}

/** The device answered CHECK CONDITION; `sense` says why. */
export class ScsiCommandError extends WebdiscError {
  readonly opcode: number;
  constructor(
    hresultName: HResultName,
    message: string,
    opcode: number,
    sense: Sense | undefined,
    options?: { cause?: unknown },
  ) {
    super(hresultName, message, { ...options, sense });
    this.opcode = opcode;
  }
}

/**
 * A command came back GOOD but moved less data than it needed: a READ short
 * of count x block size, or a WRITE the device did not take whole (residue).
 * USB bridges do this (issue 13); the data at `lba` and after is missing.
 */
export class ShortTransferError extends WebdiscError {
  readonly opcode: number;
  /** The first LBA whose data did not move. */
  readonly lba: number;
  constructor(message: string, opcode: number, lba: number) {
    super('E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE', message);
    this.opcode = opcode;
    this.lba = lba;
  }
}

/** What crosses a structured-clone boundary (Comlink, BroadcastChannel, CLI --json). */
export type { ErrorValue };

export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof WebdiscError) {
    return {
      hresult: error.hresult,
      name: error.hresultName,
      message: error.message,
      sense: error.sense ?? null,
      ...(error instanceof DeviceAccessError && error.problem ? { problem: error.problem } : {}),
    };
  }
  if (error instanceof Error && error.name === 'QuotaExceededError') {
    return {
      hresult: HRESULT.E_OUTOFMEMORY,
      name: 'E_OUTOFMEMORY',
      message: error.message,
      sense: null,
    };
  }
  if (error instanceof RangeError && /allocation|memory/i.test(error.message)) {
    return {
      hresult: HRESULT.E_OUTOFMEMORY,
      name: 'E_OUTOFMEMORY',
      message: error.message,
      sense: null,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { hresult: HRESULT.E_FAIL, name: 'E_FAIL', message, sense: null };
}
