// In the guest: the control line to devices/run.mjs on the host, the third
// serial port (ttyS2, raw mode). One JSON line per request, {"id", "action",
// ...}, answered by one JSON line with the same id (lib/guest.mjs, `act`):
// what only the host can do, through the QEMU monitor.
import { openSync, writeSync } from 'node:fs';
import tty from 'node:tty';
import { clearTimeout, setTimeout } from 'node:timers';

export class Host {
  #fd;
  #stream;
  #id = 0;
  #pending = new Map();

  constructor(path = '/dev/ttyS2') {
    this.#fd = openSync(path, 'r+');
    this.#stream = new tty.ReadStream(this.#fd);
    this.#stream.setRawMode(true);
    let buffered = '';
    this.#stream.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let i;
      while ((i = buffered.indexOf('\n')) >= 0) {
        const l = buffered.slice(0, i).replace(/\r$/, '');
        buffered = buffered.slice(i + 1);
        let msg;
        try {
          msg = JSON.parse(l);
        } catch {
          continue; // line noise before raw mode took effect
        }
        const p = this.#pending.get(msg.id);
        if (p) {
          this.#pending.delete(msg.id);
          p(msg);
        }
      }
    });
  }

  /** One request; resolves with the host's answer ({error} when none came in time). */
  request(action, extra = {}, timeoutMs = 60_000) {
    const id = ++this.#id;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ error: `no answer from the host within ${timeoutMs} ms` });
      }, timeoutMs);
      this.#pending.set(id, (msg) => {
        clearTimeout(timer);
        const answer = { ...msg };
        delete answer.id;
        resolve(answer);
      });
      writeSync(this.#fd, `${JSON.stringify({ id, action, ...extra })}\n`);
    });
  }

  close() {
    this.#stream.setRawMode(false);
    this.#stream.destroy();
  }
}
