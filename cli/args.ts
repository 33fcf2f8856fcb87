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
 * The global options, anywhere on the line (cli.ts parses them; help.ts
 * describes each). `--virtual` is a boolean so that it never takes the next
 * word: non-strict parsing hands `--virtual=MEDIA` over as a string, and
 * leaves every other option to the command.
 */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  virtual: { type: 'boolean' },
  'virtual-dir': { type: 'string' },
  device: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig;

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
  // The synopsis first (scripts match it), then what was wrong, on the same line.
  if (n > max) {
    const extra = parsed.positionals.slice(max).map((w) => `"${w}"`);
    throw new UsageError(
      `usage: ${usage} (unexpected ${extra.length === 1 ? 'argument' : 'arguments'} ${extra.join(' ')})`,
    );
  }
  if (n < min) {
    const need = max === min ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    const noun = min === 1 && (max === 1 || max === Infinity) ? 'argument' : 'arguments';
    throw new UsageError(`usage: ${usage} (${need} ${noun} needed, ${n} given)`);
  }
  return parsed;
}

export type Outcome =
  { ok: true; text: string; json: Record<string, unknown> } | { ok: false; error: ErrorValue };

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CallFailed(r.error);
  return r.value;
}

/**
 * A whole number as typed on the command line: decimal digits only, from
 * `min` to `max`. `Number()` alone would take "" and " " as 0, "1e3" as
 * 1000, "0x10" as 16 and 1e20 as a whole number; each of those is a usage
 * error naming `what` (e.g. "--session", "LBA").
 */
export function wholeNumber(
  text: string,
  what: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new UsageError(`${what} must be a whole number ${range}, not "${text}"`);
  }
  return n;
}
