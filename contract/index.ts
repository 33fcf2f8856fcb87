/**
 * The contract: realm-neutral types and rules that the UI, the engine, the
 * CLI and the virtual recorder import at run time. It imports nothing of ours.
 */
export * from './api.ts';
export * from './errors.ts';
export * from './hresult.ts';
export * from './progress.ts';
export * from './client-name.ts';
export * from './profiles.ts';
export * from './virtual.ts';
export * from './error-words.ts';
export * from './image-kind.ts';
