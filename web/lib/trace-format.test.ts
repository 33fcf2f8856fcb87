import { expect } from '@open-wc/testing';
import { traceEntry } from '../test/samples.ts';
import { traceLine, traceMatches, traceText } from './trace-format.ts';

describe('trace format', () => {
  const failed = traceEntry(7, {
    name: 'READ CAPACITY',
    cdbHex: '25000000000000000000',
    direction: 'in',
    length: 8,
    transferred: 0,
    status: 'check-condition',
    sense: { key: 2, asc: 0x3a, ascq: 0 },
    senseText: 'MEDIUM NOT PRESENT',
    durationMs: 1.5,
  });

  it('writes one line per command with hex CDB, status, decoded sense and duration', () => {
    const line = traceLine(failed);
    expect(line).to.contain('#7');
    expect(line).to.contain('READ CAPACITY');
    expect(line).to.contain('[25 00 00 00 00 00 00 00 00 00]');
    expect(line).to.contain('in 0/8');
    expect(line).to.contain('CHECK CONDITION');
    expect(line).to.contain('NOT READY (2h), ASC 3Ah, ASCQ 00h — MEDIUM NOT PRESENT');
    expect(line).to.contain('1.5 ms');
  });

  it('filters on every word, case-insensitively', () => {
    expect(traceMatches(failed, 'read check')).to.equal(true);
    expect(traceMatches(failed, '25 00')).to.equal(true);
    expect(traceMatches(failed, 'medium not present')).to.equal(true);
    expect(traceMatches(failed, 'write')).to.equal(false);
    expect(traceMatches(traceEntry(1), '')).to.equal(true);
  });

  it('heads the text file with what people need for a report', () => {
    const text = traceText([traceEntry(1), failed], ['Drive: WEBDISC Virtual DVD-RW 1.00']);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).to.equal('webdisc command trace');
    expect(text).to.contain('Drive: WEBDISC Virtual DVD-RW 1.00');
    expect(text).to.contain('Commands: 2');
    expect(lines.at(-1)).to.contain('READ CAPACITY');
    expect(lines.at(-2)).to.contain('TEST UNIT READY');
  });
});
