import type { ErrorValue, MediaState, OperationFailure, Result } from '../../contract/api.ts';

/** E_FAIL: what a call that rejected (rather than resolving to a Result) is shown as. */
export const E_FAIL = 0x80004005;

/** 0xC0AA0210 for -1062600176 or 3232366096: always 8 upper-case hex digits. */
export function formatHresult(hresult: number): string {
  return '0x' + (hresult >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

export function isErrorValue(value: unknown): value is ErrorValue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['hresult'] === 'number' &&
    typeof v['name'] === 'string' &&
    typeof v['message'] === 'string'
  );
}

/**
 * Anything thrown or rejected as an ErrorValue. A DOMException or Error keeps
 * its own name (SecurityError, NetworkError, TypeError) so people and the USB
 * explanation can tell what happened; the stack is never kept.
 */
export function toErrorValue(error: unknown): ErrorValue {
  if (isErrorValue(error)) {
    return {
      hresult: error.hresult,
      name: error.name,
      message: error.message,
      sense: error.sense ?? null,
    };
  }
  if (error instanceof Error || error instanceof DOMException) {
    return {
      hresult: E_FAIL,
      name: error.name || 'Error',
      message: firstLine(error.message),
      sense: null,
    };
  }
  return { hresult: E_FAIL, name: 'E_FAIL', message: firstLine(String(error)), sense: null };
}

/** Only the first line: a message that carries a stack trace loses it here. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.trim() || 'Unknown error';
}

/** E_NOTIMPL: the worker has no such method (a page newer than its worker, or work in progress). */
export const E_NOTIMPL = 0x80004001;

/**
 * What Comlink rejects with when the worker has no such method: the worker
 * evaluates `undefined.apply(...)` and sends the TypeError back.
 */
function isMissingMethod(error: ErrorValue): boolean {
  return /reading 'apply'|is not a function|undefined is not an object/.test(error.message);
}

/** Awaits a Result-returning call; a rejection (worker gone, method missing) becomes an error Result. */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    const result = await call();
    if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
      return { ok: false, error: toErrorValue(new Error('The recorder service gave no result.')) };
    }
    return result.ok ? result : { ok: false, error: toErrorValue(result.error) };
  } catch (error) {
    const value = toErrorValue(error);
    if (isMissingMethod(value)) {
      return {
        ok: false,
        error: {
          hresult: E_NOTIMPL,
          name: 'E_NOTIMPL',
          message: 'The recorder service does not offer this operation yet.',
          sense: null,
        },
      };
    }
    return { ok: false, error: value };
  }
}

/** An erase's or a burn's Result: a failure keeps where it stopped and the disc's state. */
export type OperationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: OperationFailure };

function isMediaState(value: unknown): value is MediaState {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)['present'] === 'boolean' &&
    typeof (value as Record<string, unknown>)['physicalType'] === 'string'
  );
}

const lbaOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

/**
 * A failed burn's or erase's error as an OperationFailure. toErrorValue keeps
 * only the ErrorValue fields (so nothing unexpected reaches the screen); this
 * adds back the three an operation carries, checked, with null when absent
 * (an erase's failure, or a call that never reached the worker).
 */
export function toOperationFailure(error: unknown): OperationFailure {
  const e = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  return {
    ...toErrorValue(error),
    lastWrittenLba: lbaOrNull(e['lastWrittenLba']),
    firstBadLba: lbaOrNull(e['firstBadLba']),
    disc: isMediaState(e['disc']) ? e['disc'] : null,
  };
}

/** `settle` for eraseMedia and burnImage: the same rules, and the failure as an OperationFailure. */
export async function settleOperation<T>(
  call: () => Promise<Result<T>>,
): Promise<OperationResult<T>> {
  let raw: Result<T> | undefined;
  const result = await settle(async () => (raw = await call()));
  if (result.ok) return result;
  const original = raw as Result<T> | undefined;
  return {
    ok: false,
    error: toOperationFailure(
      original && !original.ok ? { ...original.error, ...result.error } : result.error,
    ),
  };
}
