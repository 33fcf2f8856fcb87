// Node 20's `node --test` takes no globs, so find the files here and run them
// with the tsx loader: `node scripts/node-test.mjs DIR... [-- node-test-flags]`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const dirs = split === -1 ? args : args.slice(0, split);
const flags = split === -1 ? [] : args.slice(split + 1);

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(find(path));
    else if (name.endsWith('.test.ts') && !name.endsWith('.browser.test.ts')) out.push(path);
  }
  return out;
}

const files = dirs.flatMap(find).sort();
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
// The CLI keeps its virtual disc in the user's data folder (cli/virtual-dir.ts): never
// in tests. Test files that run the CLI set a folder of their own; this one is the net.
const virtualDir = mkdtempSync(join(tmpdir(), 'webdisc-test-virtual-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...flags, ...files], {
  stdio: 'inherit',
  env: { ...process.env, WEBDISC_VIRTUAL_DIR: virtualDir },
});
rmSync(virtualDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
