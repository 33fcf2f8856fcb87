/**
 * The few globals the engine uses that every realm it runs in has (a
 * dedicated worker, Node 20): HTML timers and AbortController. Declared as
 * narrowly as the engine uses them, so that no DOM, WebWorker or Node type
 * can leak into the engine's own type check (engine/tsconfig.json). The
 * worker and Node realms check the same files against their real lib types.
 */
import type { AbortSignalLike } from '../usb-mass-storage/src/timers.ts';

declare global {
  type EngineTimer = { readonly __engineTimer: unique symbol };
  function setTimeout(callback: (...args: unknown[]) => void, ms?: number): EngineTimer;
  function clearTimeout(timer: EngineTimer | undefined): void;
  function setInterval(callback: () => void, ms?: number): EngineTimer;
  function clearInterval(timer: EngineTimer | undefined): void;
  class AbortController {
    readonly signal: AbortSignalLike;
    abort(reason?: unknown): void;
  }
}
