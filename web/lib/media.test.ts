import { expect } from '@open-wc/testing';
import {
  blankCdR,
  blankCdRw,
  blankDvd,
  dataCd,
  infoWith,
  noDisc,
  usedCdRw,
  usedDvdPlusRw,
} from '../test/samples.ts';
import { sectorsFor } from '../../contract/profiles.ts';
import { burnTarget, eraseCheck, speedLabel } from './media.ts';

describe('media rules (what the dialogs offer)', () => {
  it('counts whole 2048-byte sectors, the last one padded', () => {
    expect(sectorsFor(0)).to.equal(0);
    expect(sectorsFor(1)).to.equal(1);
    expect(sectorsFor(2048)).to.equal(1);
    expect(sectorsFor(2049)).to.equal(2);
    // 4 GiB + 1 byte: exact in doubles, no 32-bit overflow.
    expect(sectorsFor(2 ** 32 + 1)).to.equal(2 ** 21 + 1);
  });

  it('erases only CD-RW, DVD-RW, DVD+RW and BD-RE, saying why not otherwise', () => {
    expect(eraseCheck(usedCdRw)).to.deep.equal({ problem: null, method: 'blank' });
    expect(eraseCheck(usedDvdPlusRw)).to.deep.equal({ problem: null, method: 'format' });
    const dvdRw = { ...blankCdRw, profile: { code: 0x14, name: 'DVD-RW', current: true } };
    expect(eraseCheck(dvdRw).problem).to.equal(null);
    const bdRe = { ...usedDvdPlusRw, profile: { code: 0x43, name: 'BD-RE', current: true } };
    expect(eraseCheck(bdRe).method).to.equal('format');
    expect(eraseCheck(blankDvd).problem).to.equal(
      'A DVD+R cannot be erased: only CD-RW, DVD-RW, DVD+RW and BD-RE can.',
    );
    expect(eraseCheck(dataCd).problem).to.contain('A CD-ROM cannot be erased');
    expect(eraseCheck(noDisc).problem).to.equal('There is no disc in the drive.');
    expect(eraseCheck(null).problem).to.contain('not said');
  });

  it('writes at the next writable address, or in place from 0 on random-writable media', () => {
    const cd = burnTarget(blankCdR, infoWith({ testWrite: true }));
    expect(cd).to.deep.include({
      problem: null,
      family: 'cd',
      startLba: 0,
      freeBlocks: 359_847,
      canClose: true,
      testWrite: true,
      cdWriteMode: true,
      overwrites: false,
    });
    const rw = burnTarget(usedDvdPlusRw, infoWith({ testWrite: true }));
    expect(rw).to.deep.include({
      family: 'random',
      startLba: 0,
      freeBlocks: 2_295_104,
      canClose: false,
      testWrite: false,
      overwrites: true,
    });
    expect(burnTarget(blankDvd, infoWith({ testWrite: true })).testWrite).to.equal(false);
    expect(burnTarget(blankCdR, infoWith({ testWrite: false })).testWrite).to.equal(false);
    expect(burnTarget(usedCdRw, null).problem).to.equal(
      'The CD-RW is closed: nothing more can be written to it until it is erased.',
    );
    expect(burnTarget(dataCd, null).problem).to.contain('A CD-ROM cannot be written');
    expect(burnTarget(noDisc, null).problem).to.contain('There is no disc');
  });

  it('labels speeds in the medium’s own 1× where it is known', () => {
    expect(speedLabel(8467, blankCdR)).to.equal('48× (8,467 kB/s)');
    expect(speedLabel(11_080, blankDvd)).to.equal('8× (11,080 kB/s)');
    expect(speedLabel(3_324, blankDvd)).to.equal('2.4× (3,324 kB/s)');
    expect(speedLabel(11_080, noDisc)).to.equal('11,080 kB/s');
  });
});
