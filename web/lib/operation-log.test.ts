import { expect } from '@open-wc/testing';
import type { BurnReport, OperationFailure } from '../../contract/api.ts';
import { HRESULT } from '../../contract/hresult.ts';
import { blankDvd } from '../test/samples.ts';
import { formatBytes } from './format.ts';
import { OperationLog, formatLogLine, logDuration, logVerify } from './operation-log.ts';
import type { BurnOperation } from './operations.ts';

/** A clock the test moves: 20:51:03 local time, then as set. */
function clock() {
  const t = { now: new Date(2026, 11, 5, 20, 51, 3).getTime() };
  return { t, now: () => t.now };
}

const burn: BurnOperation = {
  kind: 'burn',
  title: 'Burning backup.iso',
  running: true,
  cancelRequested: false,
  fileName: 'backup.iso',
  fileSize: 10_240,
  options: { clientName: 'webdisc', verify: 'full', speedKBps: 11_080, close: true },
  result: null,
};

const report: BurnReport = {
  startLba: 0,
  sectorCount: 5,
  lastWrittenLba: 4,
  durationMs: 1000,
  verify: 'full',
  sha256: 'ab'.repeat(32),
  simulated: false,
  writeType: 'incremental',
  speedKBps: 11_080,
  closed: true,
  disc: { ...blankDvd, status: 'complete', freeBlocks: 0, nextWritableAddress: null },
};

const where = { drive: 'Virtual recorder', disc: blankDvd };
const text = (log: OperationLog) => log.lines.map(formatLogLine);

describe('operation log', () => {
  it('writes ImgBurn-style lines when a burn starts and ends: drive, disc, speed, times, SHA-256', () => {
    const c = clock();
    const log = new OperationLog(100, c.now);
    const at = log.started(burn, where);
    expect(text(log)).to.deep.equal([
      'I 20:51:03 Operation started: Burn!',
      'I 20:51:03 Drive: Virtual recorder',
      'I 20:51:03 Disc: Blank DVD+R, 4.70 GB free',
      `I 20:51:03 Source: backup.iso (${formatBytes(10_240)})`,
      'I 20:51:03 Requested write speed: 8× (11,080 kB/s)',
      'I 20:51:03 Verify: full',
      'I 20:51:03 Close the disc: yes',
    ]);
    c.t.now += 7 * 60_000 + 57_000;
    log.ended({ ...burn, running: false, result: { ok: true, value: report } }, at, where);
    expect(text(log).slice(7)).to.deep.equal([
      'I 20:59:00 Operation successfully completed! - Duration: 00:07:57',
      'I 20:59:00 Sectors written: 5 (LBA 0 to 4)',
      'I 20:59:00 Write speed used: 8× (11,080 kB/s); write mode incremental',
      `I 20:59:00 Image SHA-256 (verified on the disc): ${'ab'.repeat(32)}`,
      'I 20:59:00 Disc now: Finalized DVD+R with 4.70 GB of data',
    ]);
  });

  it('says a failure in words first, then the codes and where it stopped', () => {
    const c = clock();
    const log = new OperationLog(100, c.now);
    const failure: OperationFailure = {
      hresult: HRESULT.E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA | 0,
      name: 'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
      message: 'The image needs 9 sectors; 4 are free.',
      sense: null,
      lastWrittenLba: 3,
      firstBadLba: null,
      disc: null,
    };
    const at = log.started(burn, where);
    log.ended({ ...burn, running: false, result: { ok: false, error: failure } }, at, where);
    expect(text(log).slice(7)).to.deep.equal([
      'E 20:51:03 Operation failed! - Duration: 00:00:00',
      'E 20:51:03 Reason: The disc is full: what you chose does not fit.',
      'E 20:51:03 Details: E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA 0xC0AA0404 (The image needs 9 sectors; 4 are free.)',
      'E 20:51:03 Last sector written: LBA 3',
    ]);
  });

  it('logs a cancel as a warning, a verification that differs as an error, and stays bounded', () => {
    const c = clock();
    const log = new OperationLog(8, c.now);
    const cancelled: OperationFailure = {
      hresult: HRESULT.E_IMAPI_REQUEST_CANCELLED | 0,
      name: 'E_IMAPI_REQUEST_CANCELLED',
      message: 'Cancelled.',
      sense: null,
      lastWrittenLba: null,
      firstBadLba: null,
      disc: null,
    };
    log.ended({ ...burn, result: { ok: false, error: cancelled } }, c.t.now, where);
    expect(text(log)).to.deep.equal(['W 20:51:03 Operation cancelled. - Duration: 00:00:00']);
    const verify = { kind: 'verify' as const, against: 'backup.iso', result: null };
    const at = log.started(verify, where);
    const differs = {
      against: 'image' as const,
      same: false,
      sectors: 5,
      files: 0,
      sha256: null,
      firstDifferentLba: 17,
      firstDifferentPath: null,
      message: 'The disc differs from the image first at LBA 17.',
    };
    log.ended({ ...verify, result: { ok: true, value: differs } }, at, where);
    expect(log.lines.length).to.equal(7);
    expect(log.dropped).to.equal(0);
    expect(text(log).slice(-2)).to.deep.equal([
      'E 20:51:03 Operation failed: the disc differs! - Duration: 00:00:00',
      'E 20:51:03 The disc differs from the image first at LBA 17.',
    ]);
    log.started(verify, where);
    expect(log.lines.length).to.equal(8);
    expect(log.dropped).to.equal(3);
    expect(log.text(['About'])).to.match(/^About\nI 20:51:03 /);
  });

  it('logs a verification around the call, and a rejected one as a failure it passes on', async () => {
    const c = clock();
    const log = new OperationLog(100, c.now);
    const image = new File([new Uint8Array(2048)], 'backup.iso');
    const same = {
      against: 'image' as const,
      same: true,
      sectors: 1,
      files: 0,
      sha256: 'cd'.repeat(32),
      firstDifferentLba: null,
      firstDifferentPath: null,
      message: 'The disc holds exactly the image.',
    };
    const result = await logVerify(log, where, { kind: 'image', image }, async () => ({
      ok: true,
      value: same,
    }));
    expect(result.ok).to.equal(true);
    expect(text(log)).to.deep.equal([
      'I 20:51:03 Operation started: Verify!',
      'I 20:51:03 Drive: Virtual recorder',
      'I 20:51:03 Disc: Blank DVD+R, 4.70 GB free',
      'I 20:51:03 Compared with: backup.iso',
      'I 20:51:03 Operation successfully completed! - Duration: 00:00:00',
      'I 20:51:03 The disc holds exactly the image.',
      `I 20:51:03 Image SHA-256: ${'cd'.repeat(32)}`,
    ]);
    log.clear();
    const root = { kind: 'dir' as const, name: 'Photos', mtime: 0, children: [] };
    let rejected: unknown = null;
    await logVerify(log, where, { kind: 'files', root }, () =>
      Promise.reject(new Error('worker gone')),
    ).catch((e: unknown) => (rejected = e));
    expect((rejected as Error).message).to.equal('worker gone');
    expect(text(log)[3]).to.equal('I 20:51:03 Compared with: the folder Photos');
    expect(text(log).slice(4, 6)).to.deep.equal([
      'E 20:51:03 Operation failed! - Duration: 00:00:00',
      'E 20:51:03 Reason: worker gone',
    ]);
  });

  it('prints durations as hh:mm:ss', () => {
    expect(logDuration(3_723_000)).to.equal('01:02:03');
    expect(logDuration(-5)).to.equal('00:00:00');
  });
});
