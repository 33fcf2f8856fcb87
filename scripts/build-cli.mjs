#!/usr/bin/env node
// Builds the `webdisc` CLI once: cli/cli.ts and everything it imports (the
// engine, disc-fs, hash-wasm...) bundled by esbuild into one ES module,
// dist-cli/webdisc.mjs, with a linked source map, so a command starts in
// about twice Node's own start-up instead of compiling TypeScript at every
// run (issue 19). `usb` stays outside: it is an optional native package,
// loaded only when a real drive is asked for.
//
// Run by `npm start` and `npm test` (scripts/setup.sh), by `npm pack`
// (prepack), and by bin/webdisc.mjs itself in a checkout when a source is
// newer than the build (dist-cli/build.json lists what went into it).
//
// usage: node scripts/build-cli.mjs [--if-stale]
import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Buffer } from 'node:buffer';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUT_DIR = join(ROOT, 'dist-cli');
export const OUT_FILE = join(OUT_DIR, 'webdisc.mjs');
/** What the build was made from: `{ startedMs, inputs: [paths relative to ROOT] }`. */
export const BUILD_INFO = join(OUT_DIR, 'build.json');
const SELF = fileURLToPath(import.meta.url);

/** The bundle's first line names when its build read the sources (see `banner` below). */
const STAMP = /^\/\/ webdisc CLI built from the sources as of (\d+) ms/;

/**
 * Whether dist-cli/webdisc.mjs was built from the sources as they are: every
 * input (and this script) unchanged since that build started. A file added
 * to the import graph is caught too, since the file that imports it changed.
 * The time is read from the bundle itself, not from build.json, so that two
 * builds racing (two commands started after an edit) can never pair one
 * build's bundle with the other's time.
 */
export function isBuildCurrent() {
  let startedMs;
  let inputs;
  try {
    const fd = openSync(OUT_FILE, 'r');
    try {
      const head = Buffer.alloc(128);
      const n = readSync(fd, head, 0, head.length, 0);
      startedMs = Number(STAMP.exec(head.subarray(0, n).toString('latin1'))?.[1]);
    } finally {
      closeSync(fd);
    }
    inputs = JSON.parse(readFileSync(BUILD_INFO, 'utf8')).inputs;
  } catch {
    return false;
  }
  if (!Number.isFinite(startedMs) || !Array.isArray(inputs)) return false;
  return [...inputs, relative(ROOT, SELF)].every((input) => {
    const st = statSync(join(ROOT, input), { throwIfNoEntry: false });
    return st !== undefined && st.mtimeMs <= startedMs;
  });
}

/** Writes `path` whole or not at all: concurrent builds and readers never see half a file. */
function writeAtomically(path, contents) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** Builds dist-cli/; returns the bundle's size and how long the build took. */
export async function buildCli() {
  // esbuild is a dev dependency: imported here, not at the top, so that
  // bin/webdisc.mjs can ask isBuildCurrent() without loading it.
  const { build } = await import('esbuild');
  // A millisecond early: an edit in the very millisecond the build starts counts as newer.
  const startedMs = Date.now() - 1;
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['cli/cli.ts'],
    outfile: OUT_FILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ES modules first: hash-wasm's module build lets esbuild keep only the hashes the CLI uses.
    mainFields: ['module', 'main'],
    external: ['usb'],
    sourcemap: 'linked',
    // Stack traces need the mappings, not the sources: the package stays small.
    sourcesContent: false,
    // Less to parse at every start (about a tenth of the module's compile
    // time); names are kept, so stack traces read the same.
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    write: false,
    logLevel: 'warning',
    banner: {
      // The stamp isBuildCurrent() reads; then: a generated file, which linters
      // leave to its sources (eslint.config.js should ignore dist-cli/ too).
      js: [
        `// webdisc CLI built from the sources as of ${startedMs} ms`,
        '// by scripts/build-cli.mjs from cli/cli.ts: edit the sources, not this file.',
        '/* eslint-disable */',
      ].join('\n'),
    },
  });
  mkdirSync(OUT_DIR, { recursive: true });
  // Temporary files of a build killed between write and rename (a CLI killed
  // while it rebuilt): a minute is far longer than any build's write takes.
  for (const name of readdirSync(OUT_DIR)) {
    const path = join(OUT_DIR, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (name.endsWith('.tmp') && st && st.mtimeMs < Date.now() - 60_000)
      rmSync(path, { force: true });
  }
  // The map first: a reader that sees the new bundle finds its map.
  const files = [...result.outputFiles].sort((a, b) =>
    a.path.endsWith('.map') === b.path.endsWith('.map') ? 0 : a.path.endsWith('.map') ? -1 : 1,
  );
  for (const file of files) writeAtomically(file.path, file.contents);
  const inputs = Object.keys(result.metafile.inputs).sort();
  writeAtomically(BUILD_INFO, JSON.stringify({ startedMs, inputs }, null, 1) + '\n');
  return {
    bytes: statSync(OUT_FILE).size,
    inputs: inputs.length,
    ms: Math.round(Date.now() - startedMs),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  const ifStale = process.argv.includes('--if-stale');
  const unknown = process.argv.slice(2).filter((a) => a !== '--if-stale');
  if (unknown.length) {
    console.error(
      `build-cli: unknown argument ${unknown[0]}\nusage: node scripts/build-cli.mjs [--if-stale]`,
    );
    process.exit(2);
  }
  if (ifStale && isBuildCurrent()) process.exit(0);
  const built = await buildCli();
  const where = relative(process.cwd(), OUT_FILE) || OUT_FILE;
  // On stderr: `npm pack --json` (prepack) keeps stdout for its JSON.
  console.error(
    `built ${where} (${(built.bytes / 1024).toFixed(0)} KiB from ${built.inputs} files) in ${built.ms} ms`,
  );
}
