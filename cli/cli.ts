/**
 * The `webdisc` command line, on the same recorder service as the app.
 * One-shot commands, `lock` (held until SIGINT/SIGTERM) and `shell` (one
 * command per line from stdin, one result per line).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  CallFailed,
  commandArgs,
  GLOBAL_OPTIONS,
  unwrap,
  UsageError,
  wholeNumber,
  type Outcome,
} from './args.ts';
import { fsErrorValue, inputFile, outputFile } from './paths.ts';
import { completionScript } from './completion.ts';
import { BARE_COMMANDS, commandHelp, isCommandName, synopsis, USAGE, usageHint } from './help.ts';
import { toErrorValue } from '../usb-mass-storage/src/errors.ts';
import type { RawData, RecorderEvent } from '../contract/api.ts';
import type { ErrorValue } from '../contract/errors.ts';
import { HRESULT } from '../contract/hresult.ts';
import { VIRTUAL_ID } from '../contract/virtual.ts';
import { burnCommand, mkisoCommand, type CommandContext } from './burn-commands.ts';
import {
  copyCommand,
  extractCommand,
  lsCommand,
  saveCommand,
  verifyCommand,
} from './read-commands.ts';
import type { WebdiscService } from '../engine/service.ts';
import { errorText, infoText, listText, lockText, mediaText, rawText } from './format.ts';
import { createService } from './service.ts';
import { insertCommand } from './virtual-commands.ts';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly stdin?: NodeJS.ReadableStream;
  /** A terminal: progress is drawn as a bar with `progress` (a line that overwrites the last). */
  readonly tty?: boolean;
  readonly progress?: (line: string) => void;
}

export interface Options {
  readonly json: boolean;
  readonly help: boolean;
  /** A medium: a new blank disc of it; '' (plain `--virtual`): the disc the virtual drive kept. */
  readonly virtual: string | undefined;
  /** `--virtual-dir`: where the virtual drive keeps its disc (cli/virtual-dir.ts). */
  readonly virtualDir?: string | undefined;
  readonly device: string | undefined;
  readonly command: string | undefined;
  /** The command's own words, options included, for `commandArgs`. */
  readonly args: readonly string[];
}

function globalArgs(argv: readonly string[]): Options {
  const { values, tokens } = parseArgs({
    args: [...argv],
    options: GLOBAL_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const flag of ['json', 'help'] as const) {
    if (typeof values[flag] === 'string') throw new UsageError(`--${flag} takes no value`);
  }
  const { virtual, device } = values;
  if (device !== undefined && (typeof device !== 'string' || !device)) {
    throw new UsageError('--device needs an ID');
  }
  const virtualDir = values['virtual-dir'];
  if (virtualDir !== undefined && (typeof virtualDir !== 'string' || !virtualDir)) {
    throw new UsageError('--virtual-dir needs a folder');
  }
  let command: string | undefined;
  const args: string[] = [];
  let lastIndex = -1;
  for (const token of tokens) {
    if (token.kind === 'option' && Object.hasOwn(GLOBAL_OPTIONS, token.name)) continue;
    if (command === undefined) {
      if (token.kind === 'option') throw new UsageError(`unknown option ${token.rawName}`);
      if (token.kind === 'positional') command = token.value;
    } else if (token.index !== lastIndex) {
      // The word as typed: a group of short options (-ab) is one word and several tokens.
      args.push(argv[token.index]!);
      lastIndex = token.index;
    }
  }
  return {
    json: values.json === true,
    help: values.help === true,
    virtual: typeof virtual === 'string' ? virtual : virtual ? '' : undefined,
    virtualDir: typeof virtualDir === 'string' ? virtualDir : undefined,
    device: typeof device === 'string' ? device : undefined,
    command,
    args,
  };
}

/** Splits a shell line into words, honouring "double" and 'single' quotes. */
export function splitLine(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

function errorValueOf(error: unknown): ErrorValue {
  if (error instanceof CallFailed) return error.value;
  if (error instanceof UsageError) {
    return {
      hresult: HRESULT.E_INVALIDARG,
      name: 'E_INVALIDARG',
      message: error.message,
      sense: null,
    };
  }
  return fsErrorValue(error) ?? toErrorValue(error);
}

export class Cli {
  readonly service: WebdiscService;
  readonly recorderId: string;
  #io: CliIo;
  #json: boolean;
  /** In the shell every result, failures included, is one line on stdout, in order. */
  #shell = false;
  /**
   * This process may hold exclusive access (an acquire or open succeeded and
   * no release brought the count to 0). dispose() then releases; otherwise it
   * sends nothing: reading the lock state of a free drive is a MODE SENSE,
   * which has no place after the last release (issue 13, item 18).
   */
  #mayHold = false;

  private constructor(service: WebdiscService, recorderId: string, io: CliIo, json: boolean) {
    this.service = service;
    this.recorderId = recorderId;
    this.#io = io;
    this.#json = json;
  }

  static async create(options: Options, io: CliIo): Promise<Cli> {
    const service = await createService(options);
    return new Cli(service, options.device ?? VIRTUAL_ID, io, options.json);
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
    } else if (this.#shell) {
      this.#io.out(errorText(outcome.error, ' '));
    } else {
      this.#io.err(errorText(outcome.error));
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
      outcome = { ok: false, error: errorValueOf(error) };
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
    if (BARE_COMMANDS.has(command)) commandArgs(args, command, {});
    switch (command) {
      case 'list': {
        const found = unwrap(await s.refreshUsbDevices());
        // Who owns each drive, from the lock record alone (no command reaches the drive).
        const list = await Promise.all(
          found.map(async (r) => {
            const owner = await s.exclusiveAccessOwner(r.id);
            return { ...r, owner: owner.ok ? owner.value : null };
          }),
        );
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
        return burnCommand(this.#commandContext(), args);
      case 'mkiso':
        return mkisoCommand(this.#commandContext(), args);
      case 'save':
        return saveCommand(this.#commandContext(), args);
      case 'ls':
        return lsCommand(this.#commandContext(), args);
      case 'extract':
        return extractCommand(this.#commandContext(), args);
      case 'verify':
        return verifyCommand(this.#commandContext(), args);
      case 'copy':
        return copyCommand(this.#commandContext(), args);
      case 'read':
        return this.#read(args);
      case 'insert':
        return insertCommand(s, args);
      case 'acquire':
      case 'release':
      case 'owner':
      case 'state':
      case 'open':
      case 'close':
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
        const [name = '', force] = commandArgs(args, synopsis('acquire'), {}, [1, 2]).positionals;
        if (force !== undefined && force !== 'force')
          throw new UsageError(`acquire: "${force}" is not "force"`);
        const acquired = unwrap(await s.acquireExclusiveAccess(id, force === 'force', name));
        this.#mayHold = true;
        return lockOutcome(acquired);
      }
      case 'release': {
        const released = unwrap(await s.releaseExclusiveAccess(id));
        this.#mayHold = released.count > 0 || released.openedV1;
        return lockOutcome(released);
      }
      case 'state':
        return lockOutcome(unwrap(await s.getLockState(id)));
      case 'owner': {
        const owner = unwrap(await s.exclusiveAccessOwner(id));
        return { ok: true, text: owner || '(free)', json: { owner } };
      }
      case 'open':
        unwrap(await s.openExclusive(id));
        this.#mayHold = true;
        return { ok: true, text: 'opened (IMAPI v1)', json: {} };
      case 'close':
        unwrap(await s.close(id));
        this.#mayHold = false;
        return { ok: true, text: 'closed (IMAPI v1)', json: {} };
    }
    throw new UsageError(`unknown command "${command}"`);
  }

  async #raw(args: readonly string[]): Promise<Outcome> {
    const usage = synopsis('raw');
    const { values, positionals } = commandArgs(
      args,
      usage,
      { in: { type: 'string' }, out: { type: 'string' } },
      [1, 1],
    );
    const [hex = ''] = positionals;
    let data: RawData = { direction: 'none' };
    if (values.in !== undefined && values.out !== undefined)
      throw new UsageError(`usage: ${usage} (--in and --out exclude each other)`);
    if (values.in !== undefined) {
      // The largest transfer the engine sends in one command (16 MiB - 1).
      data = { direction: 'in', length: wholeNumber(values.in, '--in', 1, 0xff_ffff) };
    } else if (values.out !== undefined) {
      if (!values.out) throw new UsageError('--out needs a file');
      // Checked first: reading a FIFO would wait for a writer for ever.
      await inputFile(values.out, 'the file');
      data = { direction: 'out', bytes: new Uint8Array(await readFile(values.out)) };
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
              hresult: HRESULT.S_IMAPI_COMMAND_HAS_SENSE_DATA,
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
    const { values } = commandArgs(args, synopsis('erase'), {
      full: { type: 'boolean' },
      name: { type: 'string' },
    });
    const stop = this.#watchProgress();
    try {
      const r = unwrap(
        await this.service.eraseMedia(this.recorderId, {
          clientName: values.name ?? CLI_CLIENT,
          full: values.full === true,
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

  #commandContext(): CommandContext {
    return {
      service: this.service,
      recorderId: this.recorderId,
      clientName: CLI_CLIENT,
      watchProgress: () => this.#watchProgress(),
      ...(this.#json ? {} : { warn: (line: string) => this.#io.err(line) }),
      ...(this.#io.tty && this.#io.progress && !this.#json ? { progress: this.#io.progress } : {}),
      env: process.env,
    };
  }

  async #read(args: readonly string[]): Promise<Outcome> {
    const usage = synopsis('read');
    const [lbaText, countText, file = ''] = commandArgs(args, usage, {}, [3, 3]).positionals;
    // MMC addresses sectors with 32 bits: LBA + COUNT cannot go past 2^32.
    const lba = wholeNumber(lbaText!, 'LBA', 0, 0xffff_ffff);
    const count = wholeNumber(countText!, 'COUNT', 1, 2 ** 32 - lba);
    if (!file) throw new UsageError(`usage: ${usage} (FILE is empty)`);
    await outputFile(file, 'the sectors to');
    // Written under a temporary name, renamed when every sector is in: a
    // failed read leaves nothing behind and never truncates an existing FILE.
    const temp = join(dirname(file), `.${basename(file)}.webdisc-${process.pid}.partial`);
    const out = await open(temp, 'wx');
    try {
      try {
        for (let at = 0; at < count; at += 512) {
          const n = Math.min(512, count - at);
          const data = unwrap(await this.service.readSectors(this.recorderId, lba + at, n));
          await out.write(data);
        }
      } finally {
        await out.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return {
      ok: true,
      text: `read ${count} sectors from LBA ${lba} into ${file}`,
      json: { lba, count, file },
    };
  }

  /** `lock --name NAME [--force]`: hold until SIGINT/SIGTERM, then release cleanly. */
  async lock(args: readonly string[], signals: NodeJS.EventEmitter = process): Promise<number> {
    const usage = synopsis('lock');
    const { values } = commandArgs(args, usage, {
      name: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (values.name === undefined) throw new UsageError(`usage: ${usage} (--name is missing)`);
    const acquired = await this.service.acquireExclusiveAccess(
      this.recorderId,
      values.force === true,
      values.name,
    );
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
      // `quit --x` or `quit now` is a usage error line (as for any command), not an exit.
      if ((words[0] === 'quit' || words[0] === 'exit') && words.length === 1) break;
      if (!(await this.exec(words, true))) failures++;
    }
    rl.close();
    return failures ? 1 : 0;
  }

  async dispose(): Promise<void> {
    // Never leave a lock or a locked tray behind when the process ends. While
    // we hold the drive, its lock state costs no SCSI command; each release
    // says what is left, so nothing is sent after the last one.
    let state = this.#mayHold ? await this.service.getLockState(this.recorderId) : undefined;
    for (let i = 0; i < 64 && state?.ok && state.value.count > 0; i++) {
      if (state.value.openedV1) {
        await this.service.close(this.recorderId);
        break;
      }
      state = await this.service.releaseExclusiveAccess(this.recorderId);
    }
    this.#mayHold = false;
    this.service.dispose();
  }
}

const CLI_CLIENT = 'webdisc CLI';

/**
 * A usage error: one line saying what is wrong and where the usage is
 * (exit code 2), or with --json one JSON object on stdout, as every other
 * failure. The message's first line only: a command's usage is
 * `webdisc help COMMAND`'s to print, not every error's.
 */
function usageFailure(io: CliIo, json: boolean, command: string | undefined, error: UsageError) {
  const message = error.message.split('\n')[0]!;
  const hint = usageHint(command);
  if (json) {
    const value = errorValueOf(new UsageError(message));
    io.out(JSON.stringify({ ok: false, command: command ?? null, ...value, help: hint }));
  } else {
    io.err(`${message}\nsee "${hint}"`);
  }
  return 2;
}

/** `help [COMMAND]` and `completion SHELL`: words about the CLI, no drive. */
function aboutCli(options: Options, io: CliIo): number {
  const { command, args, help } = options;
  if (command === 'completion' && !help) {
    const [shell] = commandArgs(args, synopsis('completion'), {}, [1, 1]).positionals;
    const script = completionScript(shell!);
    if (script === undefined) {
      throw new UsageError(`completion: "${shell}" is not a shell this knows (bash, zsh)`);
    }
    io.out(script);
    return 0;
  }
  // `help COMMAND`, `COMMAND --help` and `--help COMMAND` are the same page.
  const [topic] =
    command === 'help' ? commandArgs(args, synopsis('help'), {}, [0, 1]).positionals : [command];
  if (topic === undefined) {
    io.out(help && command === 'help' ? commandHelp('help') : USAGE);
    return 0;
  }
  if (!isCommandName(topic)) throw new UsageError(`help: unknown command "${topic}"`);
  io.out(commandHelp(topic));
  return 0;
}

/** Entry point: returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = globalArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(io, argv.includes('--json'), undefined, error);
  }
  const { command, args } = options;
  if (!command) {
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    return usageFailure(io, options.json, undefined, new UsageError('no command given'));
  }
  if (options.help || command === 'help' || command === 'completion') {
    try {
      return aboutCli(options, io);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return usageFailure(io, options.json, command, error);
    }
  }
  // With --json every failure is one JSON object on stdout, as a command's own are.
  const failed = (error: unknown) => {
    const value = errorValueOf(error);
    if (options.json) io.out(JSON.stringify({ ok: false, command, ...value }));
    else io.err(errorText(value));
    return 1;
  };
  let cli: Cli;
  try {
    cli = await Cli.create(options, io);
  } catch (error) {
    return failed(error);
  }
  try {
    if (command === 'lock') return await cli.lock(args);
    if (command === 'shell') {
      commandArgs(args, synopsis('shell'), {});
      return await cli.shell(io.stdin ?? process.stdin);
    }
    return (await cli.exec([command, ...args])) ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, options.json, command, error);
    return failed(error);
  } finally {
    await cli.dispose();
  }
}
