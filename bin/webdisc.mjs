#!/usr/bin/env node
// The `webdisc` CLI. It runs the TypeScript sources through tsx's loader, so
// the CLI and the app share one core with no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/cli.ts');
const code = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  stdin: process.stdin,
  tty: process.stderr.isTTY === true,
  progress: (line) => process.stderr.write('\r\x1b[2K' + line),
});
process.exitCode = code;
