// In the guest: one `webdisc --json --device ID shell` kept running, fed one
// line at a time, so that the session holding exclusive access stays alive
// while the driver does something outside it (ejects from the device side,
// stalls the device). The shell prints one JSON line per command line.
import { spawn } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';

const now = () => Number(process.hrtime.bigint()) / 1e6;

export class Shell {
  #child;
  #lines = [];
  #waiter = null;
  #closed = null;
  stdout = '';
  stderr = '';
  /** Every line sent, what came back and how long it took. */
  transcript = [];
  argv;

  constructor(webdisc, args) {
    this.argv = ['webdisc', ...args];
    this.#child = spawn(process.execPath, [webdisc, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let buffered = '';
    this.#child.stdout.on('data', (chunk) => {
      const text = chunk.toString('utf8');
      this.stdout += text;
      buffered += text;
      let i;
      while ((i = buffered.indexOf('\n')) >= 0) {
        this.#lines.push(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
      }
      this.#wake();
    });
    this.#child.stderr.on('data', (chunk) => (this.stderr += chunk.toString('utf8')));
    this.closed = new Promise((resolve) =>
      this.#child.on('close', (code, signal) => {
        this.#closed = { code, signal };
        this.#wake();
        resolve(this.#closed);
      }),
    );
  }

  #wake() {
    const w = this.#waiter;
    if (w && (this.#lines.length || this.#closed)) {
      this.#waiter = null;
      w();
    }
  }

  async #nextLine(timeoutMs) {
    if (!this.#lines.length && !this.#closed) {
      let timer;
      await new Promise((resolve) => {
        this.#waiter = resolve;
        timer = setTimeout(() => {
          this.#waiter = null;
          resolve();
        }, timeoutMs);
      });
      clearTimeout(timer);
    }
    return this.#lines.shift() ?? null;
  }

  /**
   * Sends one command line; resolves with {send, line, json, ms} once its
   * result line comes (line null when none came within timeoutMs or the
   * shell ended). `onSent` runs right after the line is written.
   */
  async send(text, { timeoutMs = 420_000, onSent } = {}) {
    const started = now();
    if (!this.#closed) this.#child.stdin.write(`${text}\n`);
    onSent?.();
    const line = await this.#nextLine(timeoutMs);
    let json;
    try {
      json = line === null ? null : JSON.parse(line);
    } catch {
      json = null;
    }
    const entry = { send: text, line, json, ms: Math.round(now() - started) };
    this.transcript.push(entry);
    return entry;
  }

  /** Kills the shell's process (SIGKILL: it dies without a word, as a crash would). */
  async kill() {
    if (!this.#closed) this.#child.kill('SIGKILL');
    await this.closed;
    return this.report();
  }

  /** Ends the shell (EOF); what it printed, its exit and the transcript, as a step report. */
  async end(timeoutMs = 60_000) {
    if (!this.#closed) this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), timeoutMs);
    await this.closed;
    clearTimeout(timer);
    return this.report();
  }

  /** The session so far, in the shape run.mjs prints for a failure. */
  report() {
    return {
      argv: this.argv,
      code: this.#closed?.code ?? null,
      signal: this.#closed?.signal ?? null,
      stdout: this.stdout,
      stderr: this.stderr,
      transcript: this.transcript,
    };
  }
}
