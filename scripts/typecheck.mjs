// Type-checks every realm with the native TypeScript 7 compiler. Each realm
// has its own lib set, so a DOM global in usb-mass-storage fails here.
import { spawnSync } from 'node:child_process';

const tsc = 'node_modules/typescript-7/bin/tsc';
const projects = [
  'contract/tsconfig.json',
  'usb-mass-storage/tsconfig.json',
  'virtual-recorder/tsconfig.json',
  'engine/tsconfig.json',
  'worker/tsconfig.json',
  'web/tsconfig.json',
  'tsconfig.node.json',
  'e2e/tsconfig.json',
  'iwa/tsconfig.json',
  'disc-fs/tsconfig.json',
  'disc-fs/tsconfig.node.json',
  'worker/tsconfig.browser-test.json',
];
let failed = 0;
for (const p of projects) {
  const r = spawnSync(tsc, ['-p', p, '--pretty'], { stdio: 'inherit' });
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} tsc -p ${p}`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
