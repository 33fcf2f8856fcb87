/**
 * The operation log: what was done, readable like ImgBurn's log
 * (`I 20:51:03 Operation started!`): for each erase, burn, save, verify and
 * copy, the drive, the disc, the speed, the start and end times, the result
 * in words and the checksums. RecordersController writes it when a job
 * starts and ends; wd-operation-log shows it and copies or saves it as text.
 * Bounded, like the command trace: the oldest lines go first.
 */
import type { DiscVerifyReport, MediaState, Result, VerifyAgainst } from '../../contract/api.ts';
import { errorDetails, errorWords } from '../../contract/error-words.ts';
import { speedWords } from '../../contract/profiles.ts';
import { discWords } from './disc-words.ts';
import { toErrorValue } from './errors.ts';
import { formatBytes } from './format.ts';
import { E_IMAPI_REQUEST_CANCELLED, operationNoun, type Operation } from './operations.ts';

/** ImgBurn's line levels: information, warning, error. */
export const LogLevel = { Info: 'I', Warning: 'W', Error: 'E' } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

export interface LogLine {
  readonly time: number;
  readonly level: LogLevel;
  readonly text: string;
}

/** Where a job runs: the drive by name and the disc as it was when the job started. */
export interface LogContext {
  readonly drive: string;
  readonly disc: MediaState | null;
}

/** A verification (verifyDisc), logged like an operation. */
export interface VerifyJob {
  readonly kind: 'verify';
  /** What the disc is compared with: "backup.iso", "the folder Photos". */
  readonly against: string;
  readonly result: Result<DiscVerifyReport> | null;
}

export type LoggedJob = Operation | VerifyJob;

const pad = (n: number) => String(n).padStart(2, '0');

/** "20:51:03" in local time, as ImgBurn prints it. */
export function logClock(time: number): string {
  const d = new Date(time);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "00:07:57". */
export function logDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `I 20:51:03 Operation started!` */
export function formatLogLine(line: LogLine): string {
  return `${line.level} ${logClock(line.time)} ${line.text}`;
}

function jobName(job: LoggedJob): string {
  if (job.kind === 'verify') return 'Verify';
  if (job.kind === 'erase') return `Erase (${job.full ? 'full' : 'quick'})`;
  if (job.kind === 'save') return 'Save disc as image';
  if (job.kind === 'copy') return 'Copy disc';
  return operationNoun(job);
}

/** The job's own settings, one line each. */
function startDetails(job: LoggedJob, disc: MediaState | null): string[] {
  const type = disc?.present ? disc.physicalType : '';
  switch (job.kind) {
    case 'verify':
      return [`Compared with: ${job.against}`];
    case 'erase':
      return [];
    case 'save':
      return [
        `Destination file: ${job.fileName}`,
        ...(job.options.continuePastErrors ? ['Continue past unreadable sectors: yes'] : []),
      ];
    case 'copy':
    case 'burn': {
      const o = job.options;
      return [
        job.kind === 'burn'
          ? `Source: ${job.fileName} (${formatBytes(job.fileSize)})`
          : `Destination drive: ${job.toName}`,
        `Requested write speed: ${o.speedKBps ? speedWords(o.speedKBps, type) : 'maximum'}`,
        `Verify: ${o.verify ?? 'none'}`,
        ...(job.kind === 'burn' ? [`Close the disc: ${o.close ? 'yes' : 'no'}`] : []),
        ...(o.simulate ? ['Test write (laser off): yes'] : []),
      ];
    }
  }
}

/** What a finished job reports: sectors, speed used, the disc after it, checksums. */
function resultDetails(job: LoggedJob, type: string): string[] {
  const r = job.result;
  if (!r?.ok) return [];
  const lines: string[] = [];
  const burnLines = (b: {
    startLba: number;
    sectorCount: number;
    speedKBps: number | null;
    writeType: string;
    sha256: string | null;
    disc: MediaState;
  }) => {
    lines.push(
      `Sectors written: ${b.sectorCount.toLocaleString('en-US')} (LBA ${b.startLba} to ${b.startLba + b.sectorCount - 1})`,
      `Write speed used: ${b.speedKBps ? speedWords(b.speedKBps, type) : 'the drive’s choice'}; write mode ${b.writeType}`,
    );
    if (b.sha256) lines.push(`Image SHA-256 (verified on the disc): ${b.sha256}`);
    lines.push(`Disc now: ${discWords(b.disc)}`);
  };
  const saveLines = (s: {
    sectors: number;
    badSectors: number;
    sha256: string | null;
    md5: string | null;
  }) => {
    lines.push(
      `Sectors read: ${s.sectors.toLocaleString('en-US')}${s.badSectors ? `, ${s.badSectors.toLocaleString('en-US')} unreadable (zero-filled)` : ''}`,
    );
    if (s.sha256) lines.push(`Image SHA-256: ${s.sha256}`);
    if (s.md5) lines.push(`Image MD5: ${s.md5}`);
  };
  switch (job.kind) {
    case 'erase':
      if (job.result?.ok)
        lines.push(
          `Method: ${job.result.value.method}`,
          `Disc now: ${discWords(job.result.value.disc)}`,
        );
      break;
    case 'burn':
      if (job.result?.ok) burnLines(job.result.value);
      break;
    case 'save':
      if (job.result?.ok) saveLines(job.result.value);
      break;
    case 'copy':
      if (job.result?.ok) {
        saveLines(job.result.value.save);
        burnLines(job.result.value.burn);
      }
      break;
    case 'verify':
      if (job.result?.ok) {
        const v = job.result.value;
        lines.push(v.message);
        if (v.sha256) lines.push(`Image SHA-256: ${v.sha256}`);
      }
      break;
  }
  return lines;
}

/** A verification that ran but found a difference ended, and failed. */
function verifyDiffers(job: LoggedJob): boolean {
  return job.kind === 'verify' && !!job.result?.ok && !job.result.value.same;
}

export class OperationLog {
  /** Lines kept at most. */
  readonly limit: number;
  /** Lines dropped (oldest first) to stay within the limit. */
  dropped = 0;
  #lines: LogLine[] = [];
  readonly #now: () => number;

  constructor(limit = 2000, now: () => number = Date.now) {
    this.limit = limit;
    this.#now = now;
  }

  get lines(): readonly LogLine[] {
    return this.#lines;
  }

  add(level: LogLevel, text: string): void {
    this.#lines = [...this.#lines, { time: this.#now(), level, text }];
    const over = this.#lines.length - this.limit;
    if (over > 0) {
      this.#lines = this.#lines.slice(over);
      this.dropped += over;
    }
  }

  clear(): void {
    this.#lines = [];
    this.dropped = 0;
  }

  /** Logs the job's start; returns the start time, for its end. */
  started(job: LoggedJob, where: LogContext): number {
    const at = this.#now();
    this.add(LogLevel.Info, `Operation started: ${jobName(job)}!`);
    this.add(LogLevel.Info, `Drive: ${where.drive}`);
    this.add(LogLevel.Info, `Disc: ${discWords(where.disc)}`);
    for (const line of startDetails(job, where.disc)) this.add(LogLevel.Info, line);
    return at;
  }

  /** Logs how the job ended: the result in words, the details, the checksums. */
  ended(job: LoggedJob, startedAt: number, where: LogContext): void {
    const took = `Duration: ${logDuration(this.#now() - startedAt)}`;
    const r = job.result;
    const type = where.disc?.present ? where.disc.physicalType : '';
    if (!r) return;
    if (r.ok && !verifyDiffers(job)) {
      this.add(LogLevel.Info, `Operation successfully completed! - ${took}`);
      for (const line of resultDetails(job, type)) this.add(LogLevel.Info, line);
      return;
    }
    if (r.ok) {
      this.add(LogLevel.Error, `Operation failed: the disc differs! - ${took}`);
      for (const line of resultDetails(job, type)) this.add(LogLevel.Error, line);
      return;
    }
    const e = r.error;
    if (e.name === E_IMAPI_REQUEST_CANCELLED) {
      this.add(LogLevel.Warning, `Operation cancelled. - ${took}`);
      return;
    }
    this.add(LogLevel.Error, `Operation failed! - ${took}`);
    this.add(LogLevel.Error, `Reason: ${errorWords(e)}`);
    this.add(LogLevel.Error, `Details: ${errorDetails(e)} (${e.message})`);
    if ('lastWrittenLba' in e && e.lastWrittenLba !== null)
      this.add(LogLevel.Error, `Last sector written: LBA ${e.lastWrittenLba}`);
    if ('firstBadLba' in e && e.firstBadLba !== null)
      this.add(LogLevel.Error, `First sector that differs: LBA ${e.firstBadLba}`);
  }

  /** The whole log as text, with header lines (the app, the browser). */
  text(about: readonly string[] = []): string {
    return [...about, ...this.#lines.map(formatLogLine)].join('\n') + '\n';
  }
}

/**
 * Runs a verification (verifyDisc goes from its dialog straight to the
 * worker, not through RecordersController) and logs its start and end; a
 * rejected call is logged as a failure and rejects as before.
 */
export async function logVerify(
  log: OperationLog,
  where: LogContext,
  against: VerifyAgainst,
  call: () => Promise<Result<DiscVerifyReport>>,
): Promise<Result<DiscVerifyReport>> {
  const name =
    against.kind === 'files'
      ? `the folder ${against.root.name}`
      : ((against.image as Partial<File>).name ?? 'an image');
  const job: VerifyJob = { kind: 'verify', against: name, result: null };
  const startedAt = log.started(job, where);
  try {
    const result = await call();
    log.ended({ ...job, result }, startedAt, where);
    return result;
  } catch (error) {
    log.ended({ ...job, result: { ok: false, error: toErrorValue(error) } }, startedAt, where);
    throw error;
  }
}
