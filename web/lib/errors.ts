import type { ErrorValue, OperationFailure, OperationResult, Result } from '../../contract/api.ts';
import { isErrorValue } from '../../contract/errors.ts';
import { HRESULT } from '../../contract/hresult.ts';

export type { OperationResult };

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
      ...(error.problem ? { problem: error.problem } : {}),
    };
  }
  if (error instanceof Error || error instanceof DOMException) {
    return {
      hresult: HRESULT.E_FAIL,
      name: error.name || 'Error',
      message: firstLine(error.message),
      sense: null,
    };
  }
  return {
    hresult: HRESULT.E_FAIL,
    name: 'E_FAIL',
    message: firstLine(String(error)),
    sense: null,
  };
}

/** Only the first line: a message that carries a stack trace loses it here. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.trim() || 'Unknown error';
}

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
          hresult: HRESULT.E_NOTIMPL,
          name: 'E_NOTIMPL',
          message: 'The recorder service does not offer this operation yet.',
          sense: null,
        },
      };
    }
    return { ok: false, error: value };
  }
}

/**
 * A call that got no answer (the worker is gone, the method is missing) as
 * an OperationFailure: nothing is known to be written, and the disc is unknown.
 */
export function toOperationFailure(error: unknown): OperationFailure {
  return { ...toErrorValue(error), lastWrittenLba: null, firstBadLba: null, disc: null };
}

/**
 * `settle` for eraseMedia and burnImage. The service's own failure is already
 * an OperationFailure (where it stopped, the disc's state) and comes back as
 * it is; a rejected call becomes one through toOperationFailure.
 */
export async function settleOperation<T>(
  call: () => Promise<OperationResult<T>>,
): Promise<OperationResult<T>> {
  let answer: OperationResult<T> | undefined;
  const result = await settle<T>(async () => (answer = await call()));
  if (result.ok) return result;
  if (answer?.ok === false) return answer;
  return { ok: false, error: toOperationFailure(result.error) };
}
