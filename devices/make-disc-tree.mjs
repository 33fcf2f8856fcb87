// The files of the test disc: MIB MiB of deterministic pseudo-random bytes
// (AES-128-CTR over zeros, fixed key), in 25 MiB files, so every sector of
// the disc differs and a misplaced or repeated sector changes the SHA-256.
// usage: node make-disc-tree.mjs DIR MIB
import { Buffer } from 'node:buffer';
import { createCipheriv } from 'node:crypto';
import { openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, mibText] = process.argv.slice(2);
const mib = Number(mibText);
if (!dir || !Number.isInteger(mib) || mib < 1) {
  console.error('usage: node make-disc-tree.mjs DIR MIB');
  process.exit(2);
}
const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 0x5a), Buffer.alloc(16, 0));
const zeros = Buffer.alloc(1 << 20);
const perFile = 25;
for (let i = 0, left = mib; left > 0; i++, left -= perFile) {
  const fd = openSync(join(dir, `part${String(i).padStart(2, '0')}.bin`), 'w');
  for (let m = 0; m < Math.min(perFile, left); m++) writeSync(fd, cipher.update(zeros));
  closeSync(fd);
}
writeFileSync(
  join(dir, 'README.TXT'),
  'webdisc device test disc: pseudo-random files (AES-128-CTR over zeros).\n',
);
