/**
 * The `webdisc` command line, on the same recorder service as the app.
 * One-shot commands, `lock` (held until SIGINT/SIGTERM) and `shell` (one
 * command per line from stdin, one result per line).
 */
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { WebdiscError, toErrorValue } from '../usb-mass-storage/src/errors.ts';
import type { ErrorValue, RawData, RecorderEvent, Result } from '../contract/api.ts';
import { fileSource } from './file-source.ts';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import { WebdiscService, type RecorderSource, type VirtualControl } from '../engine/service.ts';
import { errorText, infoText, listText, lockText, mediaText, rawText } from './format.ts';
import { loadNodeUsb } from './node-usb.ts';
import { createVirtualSource } from './virtual.ts';

export const USAGE = `webdisc: control USB optical disc recorders (IMAPI-style exclusive access)

usage: webdisc [--json] [--virtual[=MEDIA]] [--device ID] COMMAND [ARGS]

commands:
  list                          list recorders (the virtual one and USB drives)
  info                          identity, profiles, features, capabilities
  media                         disc type, status, sessions and tracks, free space
  eject | load                  open / close the tray
  raw HEX [--in N | --out FILE] send a CDB: no data, N bytes in, or FILE's bytes out
  erase [--full] [--name NAME]  blank a CD-RW/DVD-RW, format a DVD+RW/BD-RE
  burn IMAGE [--verify=none|quick|full] [--close] [--speed N] [--simulate]
       [--name NAME] [--start LBA] [--sao]
                                write an image; leaves the disc appendable
                                unless --close
  read LBA COUNT FILE           read COUNT sectors from LBA into FILE
  lock --name NAME [--force]    hold exclusive access until Ctrl+C / SIGTERM
  unlock-tray                   clear a PREVENT left by a session that died
  shell                         read commands from stdin, one per line; adds
                                acquire NAME [force], release, owner, state,
                                open, close (IMAPI v1), insert MEDIA, quit

options:
  --json          one JSON object per result: {"ok": true, ...} or
                  {"ok": false, "hresult", "name", "message", "sense"};
                  erase and burn also print {"progress": {...}} lines
  --virtual=MEDIA use the virtual recorder with MEDIA in it (cd-rom, cd-r,
                  cd-rw, dvd-rom, dvd-r, dvd-rw, dvd+r, dvd+rw, dvd+r-dl,
                  bd-r, bd-re, none); the default drive when --device is absent
  --device ID     a real drive from "webdisc list" (needs the npm usb package)
`;

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly stdin?: NodeJS.ReadableStream;
  /** A terminal: progress is drawn as a bar with `progress` (a line that overwrites the last). */
  readonly tty?: boolean;
  readonly progress?: (line: string) => void;
}

interface Options {
  json: boolean;
  virtual: string | undefined;
  device: string | undefined;
  rest: string[];
}

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { json: false, virtual: undefined, device: undefined, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') o.json = true;
    else if (a === '--virtual') o.virtual = 'cd-r';
    else if (a.startsWith('--virtual=')) o.virtual = a.slice('--virtual='.length);
    else if (a === '--device') {
      const v = argv[++i];
      if (!v) throw new UsageError('--device needs an ID');
      o.device = v;
    } else if (a.startsWith('--device=')) o.device = a.slice('--device='.length);
    else o.rest.push(a);
  }
  return o;
}

/** Splits a shell line into words, honouring "double" and 'single' quotes. */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

type Outcome =
  { ok: true; text: string; json: Record<string, unknown> } | { ok: false; error: ErrorValue };

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw Object.assign(new WebdiscError('E_FAIL', r.error.message), { value: r.error });
  return r.value;
}

export class Cli {
  readonly service: WebdiscService;
  readonly recorderId: string;
  #io: CliIo;
  #json: boolean;
  /** In the shell every result, failures included, is one line on stdout, in order. */
  #shell = false;

  private constructor(service: WebdiscService, recorderId: string, io: CliIo, json: boolean) {
    this.service = service;
    this.recorderId = recorderId;
    this.#io = io;
    this.#json = json;
  }

  static async create(options: Options, io: CliIo): Promise<Cli> {
    const sources: RecorderSource[] = [];
    let virtual: VirtualControl | undefined;
    let recorderId = 'virtual';
    if (options.device === undefined || options.virtual !== undefined) {
      const v = createVirtualSource(options.virtual ?? 'cd-r');
      sources.push(v.source);
      virtual = v.control;
    }
    if (options.device !== undefined || options.rest[0] === 'list') {
      const usb = await loadNodeUsb();
      if ('unavailable' in usb) {
        if (options.device !== undefined) {
          throw new WebdiscError(
            'E_IMAPI_RECORDER_REQUIRED',
            `Cannot reach USB drives: ${usb.unavailable}.`,
          );
        }
      } else {
        sources.push(usb.source);
      }
      if (options.device !== undefined) recorderId = options.device;
    }
    const service = new WebdiscService({
      sessionId: `cli-${process.pid}`,
      coordinator: new MemoryCoordinator(),
      sources,
      virtual,
      mcnIntervalMs: 0,
    });
    return new Cli(service, recorderId, io, options.json);
  }

  #print(outcome: Outcome, command: string): void {
    if (this.#json) {
      this.#io.out(
        JSON.stringify(
          outcome.ok
            ? { ok: true, command, ...outcome.json }
            : { ok: false, command, ...outcome.error },
        ),
      );
    } else if (outcome.ok) {
      if (outcome.text) this.#io.out(outcome.text);
    } else {
      (this.#shell ? this.#io.out : this.#io.err)(errorText(outcome.error));
    }
  }

  /** Runs one command; prints its result; returns whether it succeeded. */
  async exec(words: readonly string[], shell = false): Promise<boolean> {
    const [command = '', ...args] = words;
    let outcome: Outcome;
    try {
      outcome = await this.#dispatch(command, args, shell);
    } catch (error) {
      // A one-shot command with bad arguments exits 2 with the usage; the shell reports and goes on.
      if (error instanceof UsageError && !shell) throw error;
      const value = (error as { value?: ErrorValue }).value;
      outcome = {
        ok: false,
        error:
          value ?? (error instanceof UsageError ? usageValue(error.message) : toErrorValue(error)),
      };
    }
    this.#print(outcome, command);
    return outcome.ok;
  }

  async #dispatch(command: string, args: readonly string[], shell: boolean): Promise<Outcome> {
    const s = this.service;
    const id = this.recorderId;
    const ok = (text: string, json: Record<string, unknown> = {}): Outcome => ({
      ok: true,
      text,
      json,
    });
    switch (command) {
      case 'list': {
        const list = unwrap(await s.refreshUsbDevices());
        const problems = s.sourceProblems;
        const note = problems.map((p) => `(USB drives not listed: ${p})`).join('\n');
        return ok([listText(list), note].filter(Boolean).join('\n'), { recorders: list, problems });
      }
      case 'info': {
        const info = unwrap(await s.getInfo(id));
        return ok(infoText(info), { info });
      }
      case 'media': {
        const media = unwrap(await s.getMedia(id));
        return ok(mediaText(media), { media });
      }
      case 'eject':
        unwrap(await s.ejectMedia(id));
        return ok('tray open');
      case 'load':
        unwrap(await s.closeTray(id));
        return ok('tray closed');
      case 'unlock-tray':
        unwrap(await s.unlockTray(id));
        return ok('tray unlocked');
      case 'raw':
        return this.#raw(args);
      case 'erase':
        return this.#erase(args);
      case 'burn':
        return this.#burn(args);
      case 'read':
        return this.#read(args);
      case 'acquire':
      case 'release':
      case 'owner':
      case 'state':
      case 'open':
      case 'close':
      case 'insert':
        if (!shell) throw new UsageError(`"${command}" is a shell command (webdisc shell)`);
        return this.#shellOnly(command, args);
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  }

  async #shellOnly(command: string, args: readonly string[]): Promise<Outcome> {
    const s = this.service;
    const id = this.recorderId;
    const lockOutcome = (l: Parameters<typeof lockText>[0]): Outcome => ({
      ok: true,
      text: lockText(l),
      json: { lock: l },
    });
    switch (command) {
      case 'acquire': {
        const [name, force] = args;
        if (name === undefined) throw new UsageError('acquire NAME [force]');
        if (force !== undefined && force !== 'force')
          throw new UsageError(`acquire: "${force}" is not "force"`);
        return lockOutcome(unwrap(await s.acquireExclusiveAccess(id, force === 'force', name)));
      }
      case 'release':
        return lockOutcome(unwrap(await s.releaseExclusiveAccess(id)));
      case 'state':
        return lockOutcome(unwrap(await s.getLockState(id)));
      case 'owner': {
        const owner = unwrap(await s.exclusiveAccessOwner(id));
        return { ok: true, text: owner || '(free)', json: { owner } };
      }
      case 'open':
        unwrap(await s.openExclusive(id));
        return { ok: true, text: 'opened (IMAPI v1)', json: {} };
      case 'close':
        unwrap(await s.close(id));
        return { ok: true, text: 'closed (IMAPI v1)', json: {} };
      case 'insert': {
        const [media] = args;
        if (!media) throw new UsageError('insert MEDIA');
        const state = unwrap(await s.virtualInsertMedia(media));
        return { ok: true, text: `inserted ${state.media}`, json: { virtual: state } };
      }
    }
    throw new UsageError(`unknown command "${command}"`);
  }

  async #raw(args: readonly string[]): Promise<Outcome> {
    const [hex, flag, value] = args;
    if (!hex) throw new UsageError('raw HEX [--in N | --out FILE]');
    let data: RawData = { direction: 'none' };
    if (flag === '--in') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new UsageError('--in needs a positive byte count');
      data = { direction: 'in', length: n };
    } else if (flag === '--out') {
      if (!value) throw new UsageError('--out needs a file');
      data = { direction: 'out', bytes: new Uint8Array(await readFile(value)) };
    } else if (flag !== undefined) {
      throw new UsageError(`raw: unknown option "${flag}"`);
    }
    const r = unwrap(await this.service.sendCommand(this.recorderId, hex, data));
    return {
      ok: r.status === 'good',
      ...(r.status === 'good'
        ? {
            text: rawText(r),
            json: {
              status: r.status,
              transferred: r.transferred,
              data: Buffer.from(r.data).toString('hex'),
              sense: r.sense,
            },
          }
        : {
            error: {
              hresult: 0x00aa0200,
              name: 'S_IMAPI_COMMAND_HAS_SENSE_DATA',
              message: `The device accepted the command but returned sense data: ${r.senseText ?? 'no sense'}.`,
              sense: r.sense,
            },
          }),
    } as Outcome;
  }

  /** Shows erase/burn progress: a bar on a terminal, JSON lines with --json, nothing otherwise. */
  #watchProgress(): () => void {
    let last = '';
    const tty = this.#io.tty === true;
    const listener = (e: RecorderEvent) => {
      if (e.type !== 'progress') return;
      const p = e.progress;
      if (this.#json) {
        this.#io.out(JSON.stringify({ progress: p }));
      } else if (tty) {
        const pct = p.fraction === null ? '' : `${Math.floor(p.fraction * 100)}%`;
        const width = 30;
        const filled = p.fraction === null ? 0 : Math.round(p.fraction * width);
        const eta = p.remainingMs === null ? '' : ` ${Math.ceil(p.remainingMs / 1000)}s left`;
        const line = `${p.action.padEnd(11)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}${eta}`;
        if (line !== last) this.#io.progress?.(line);
        last = line;
      }
    };
    void this.service.subscribe(listener);
    return () => {
      this.service.unsubscribe(listener);
      if (tty && last) this.#io.progress?.('');
    };
  }

  async #erase(args: readonly string[]): Promise<Outcome> {
    const flags = parseFlags(args, ['full'], ['name']);
    const stop = this.#watchProgress();
    try {
      const r = unwrap(
        await this.service.eraseMedia(this.recorderId, {
          clientName: flags.values.name ?? CLI_CLIENT,
          full: flags.switches.has('full'),
        }),
      );
      return {
        ok: true,
        text: `erased (${r.method}) in ${(r.durationMs / 1000).toFixed(1)} s`,
        json: { erase: r },
      };
    } finally {
      stop();
    }
  }

  async #burn(args: readonly string[]): Promise<Outcome> {
    const flags = parseFlags(
      args,
      ['close', 'simulate', 'sao'],
      ['verify', 'speed', 'name', 'start'],
    );
    const [path] = flags.positional;
    if (!path || flags.positional.length > 1) throw new UsageError('burn IMAGE [options]');
    const verify = flags.values.verify ?? 'none';
    if (verify !== 'none' && verify !== 'quick' && verify !== 'full') {
      throw new UsageError('--verify must be none, quick or full');
    }
    const speed = flags.values.speed === undefined ? undefined : Number(flags.values.speed);
    if (speed !== undefined && (!Number.isFinite(speed) || speed <= 0))
      throw new UsageError('--speed needs kB/s > 0');
    const start = flags.values.start === undefined ? undefined : Number(flags.values.start);
    if (start !== undefined && (!Number.isInteger(start) || start < 0))
      throw new UsageError('--start needs an LBA');
    const source = await fileSource(path);
    const stop = this.#watchProgress();
    try {
      const r = await this.service.burn(this.recorderId, source, {
        clientName: flags.values.name ?? CLI_CLIENT,
        verify,
        close: flags.switches.has('close'),
        simulate: flags.switches.has('simulate'),
        ...(flags.switches.has('sao') ? { writeType: 'sao' as const } : {}),
        ...(speed !== undefined ? { speedKBps: speed } : {}),
        ...(start !== undefined ? { startLba: start } : {}),
      });
      if (!r.ok) return { ok: false, error: r.error };
      const b = r.value;
      const text =
        `${b.simulated ? 'simulated ' : ''}burn of ${b.sectorCount} sectors at LBA ${b.startLba} ` +
        `(${b.writeType}) in ${(b.durationMs / 1000).toFixed(1)} s; disc now ${b.disc.status}` +
        (b.sha256
          ? `; verified, SHA-256 ${b.sha256}`
          : b.verify === 'quick'
            ? '; quick verify passed'
            : '');
      return { ok: true, text, json: { burn: b } };
    } finally {
      stop();
    }
  }

  async #read(args: readonly string[]): Promise<Outcome> {
    const [lbaText, countText, file, ...rest] = args;
    const lba = Number(lbaText);
    const count = Number(countText);
    if (
      !file ||
      rest.length ||
      !Number.isInteger(lba) ||
      lba < 0 ||
      !Number.isInteger(count) ||
      count < 1
    ) {
      throw new UsageError('read LBA COUNT FILE');
    }
    const out = await open(file, 'w');
    try {
      for (let at = 0; at < count; at += 512) {
        const n = Math.min(512, count - at);
        const data = unwrap(await this.service.readSectors(this.recorderId, lba + at, n));
        await out.write(data);
      }
    } finally {
      await out.close();
    }
    return {
      ok: true,
      text: `read ${count} sectors from LBA ${lba} into ${file}`,
      json: { lba, count, file },
    };
  }

  /** `lock --name NAME [--force]`: hold until SIGINT/SIGTERM, then release cleanly. */
  async lock(args: readonly string[], signals: NodeJS.EventEmitter = process): Promise<number> {
    let name: string | undefined;
    let force = false;
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--name') name = args[++i];
      else if (args[i]?.startsWith('--name=')) name = args[i]!.slice(7);
      else if (args[i] === '--force') force = true;
      else throw new UsageError(`lock: unknown argument "${args[i]}"`);
    }
    if (name === undefined) throw new UsageError('lock --name NAME [--force]');
    const acquired = await this.service.acquireExclusiveAccess(this.recorderId, force, name);
    if (!acquired.ok) {
      this.#print({ ok: false, error: acquired.error }, 'lock');
      return 1;
    }
    // Listen before telling anyone we hold it, so an early signal is never missed.
    // Signal listeners do not keep Node's event loop alive: a timer does.
    const keepAlive = setInterval(() => undefined, 60_000);
    const signalled = new Promise<string>((resolve) => {
      const on = (s: string) => () => resolve(s);
      signals.once('SIGINT', on('SIGINT'));
      signals.once('SIGTERM', on('SIGTERM'));
    });
    this.#print(
      {
        ok: true,
        text: `${lockText(acquired.value)}; holding until Ctrl+C`,
        json: { lock: acquired.value },
      },
      'lock',
    );
    const signal = await signalled;
    clearInterval(keepAlive);
    const released = await this.service.releaseExclusiveAccess(this.recorderId);
    this.#print(
      released.ok
        ? { ok: true, text: `released on ${signal}`, json: { lock: released.value, signal } }
        : { ok: false, error: released.error },
      'release',
    );
    return released.ok ? 0 : 1;
  }

  /** `shell`: one command per line, one result per line; ends at EOF or `quit`. */
  async shell(input: NodeJS.ReadableStream): Promise<number> {
    this.#shell = true;
    const rl = createInterface({ input, terminal: false });
    let failures = 0;
    for await (const line of rl) {
      const words = splitLine(line.trim());
      if (words.length === 0 || words[0]!.startsWith('#')) continue;
      if (words[0] === 'quit' || words[0] === 'exit') break;
      if (!(await this.exec(words, true))) failures++;
    }
    rl.close();
    return failures ? 1 : 0;
  }

  async dispose(): Promise<void> {
    // Never leave a lock or a locked tray behind when the process ends.
    for (let i = 0; i < 64; i++) {
      const state = await this.service.getLockState(this.recorderId);
      if (!state.ok || state.value.count === 0) break;
      const r = state.value.openedV1
        ? await this.service.close(this.recorderId)
        : await this.service.releaseExclusiveAccess(this.recorderId);
      if (!r.ok) break;
    }
    this.service.dispose();
  }
}

const CLI_CLIENT = 'webdisc CLI';

/** `--flag`, `--key=value` / `--key value`, and positional words. */
function parseFlags(
  args: readonly string[],
  switches: readonly string[],
  valued: readonly string[],
): { switches: Set<string>; values: Record<string, string>; positional: string[] } {
  const out = {
    switches: new Set<string>(),
    values: {} as Record<string, string>,
    positional: [] as string[],
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      out.positional.push(a);
      continue;
    }
    const [key = '', inline] = a.slice(2).split(/=(.*)/s, 2);
    if (switches.includes(key) && inline === undefined) out.switches.add(key);
    else if (valued.includes(key)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`--${key} needs a value`);
      out.values[key] = v;
    } else throw new UsageError(`unknown option --${key}`);
  }
  return out;
}

function usageValue(message: string): ErrorValue {
  return { hresult: 0x80070057, name: 'E_INVALIDARG', message, sense: null };
}

/** Entry point: returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...args] = options.rest;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  let cli: Cli;
  try {
    cli = await Cli.create(options, io);
  } catch (error) {
    io.err(errorText(toErrorValue(error)));
    return 1;
  }
  try {
    if (command === 'lock') return await cli.lock(args);
    if (command === 'shell') return await cli.shell(io.stdin ?? process.stdin);
    return (await cli.exec([command, ...args])) ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(errorText(toErrorValue(error)));
    return 1;
  } finally {
    await cli.dispose();
  }
}
