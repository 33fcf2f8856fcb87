/** The CLI's shared argument handling and result shapes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ErrorValue, Result } from '../contract/errors.ts';

export class UsageError extends Error {}

/** A service call that resolved to a failure: its error value, printed as it came. */
export class CallFailed extends Error {
  readonly value: ErrorValue;
  constructor(value: ErrorValue) {
    super(value.message);
    this.name = 'CallFailed';
    this.value = value;
  }
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * A command's words through node:util parseArgs: its `options`, and between
 * `min` and `max` positional words. Anything else is a usage error.
 */
export function commandArgs<const O extends OptionsConfig>(
  args: readonly string[],
  usage: string,
  options: O,
  [min, max]: readonly [min: number, max: number] = [0, 0],
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node's words for an unknown option go on about `--`: name the option plainly.
    const { tokens } = parseArgs({ args: [...args], options, strict: false, tokens: true });
    const unknown = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name));
    const message =
      unknown?.kind === 'option' ? `unknown option ${unknown.rawName}` : (error as Error).message;
    throw new UsageError(`${usage.split(' ')[0]}: ${message}`);
  }
  const n = parsed.positionals.length;
  if (n < min || n > max) throw new UsageError(`usage: ${usage}`);
  return parsed;
}

export type Outcome =
  { ok: true; text: string; json: Record<string, unknown> } | { ok: false; error: ErrorValue };

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CallFailed(r.error);
  return r.value;
}
