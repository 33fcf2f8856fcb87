#!/usr/bin/env node
// The `webdisc` CLI. It runs dist-cli/webdisc.mjs, the CLI built once into
// one JavaScript file (scripts/build-cli.mjs), so a command starts in about
// 0.1 s instead of compiling TypeScript at every run (issue 19).
//
// Installed from the package there are no sources: the build is all there
// is. In a checkout (cli/cli.ts is beside it) a build older than any of its
// sources is never run: it is rebuilt first, so `node bin/webdisc.mjs`
// always runs the code as it is. WEBDISC_CLI_SOURCE=1 runs the TypeScript
// sources through tsx instead, with no build at all.

import { existsSync } from 'node:fs';

// Stack traces name the TypeScript sources (dist-cli/webdisc.mjs.map).
process.setSourceMapsEnabled(true);

const sources = new URL('../cli/cli.ts', import.meta.url);

async function fromSources() {
  if (!existsSync(sources)) {
    process.stderr.write(
      'webdisc: WEBDISC_CLI_SOURCE=1 runs the sources of a checkout; this is an installed package\n',
    );
    process.exit(2);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(sources.href);
}

async function load() {
  if (process.env.WEBDISC_CLI_SOURCE === '1') return fromSources();
  if (existsSync(sources)) {
    const { isBuildCurrent, buildCli } = await import('../scripts/build-cli.mjs');
    if (!isBuildCurrent()) {
      try {
        await buildCli();
      } catch (error) {
        // No esbuild (or a build error): the sources as they are, and say so.
        process.stderr.write(
          `webdisc: could not build dist-cli (${error.message.split('\n')[0]}); running the sources through tsx\n`,
        );
        return fromSources();
      }
    }
  }
  return import('../dist-cli/webdisc.mjs');
}

const { main } = await load();
const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  stdin: process.stdin,
  tty: process.stderr.isTTY === true,
  progress: (line) => process.stderr.write('\r\x1b[2K' + line),
});
process.exitCode = code;
