import { expect } from '@open-wc/testing';
import {
  formatBytes,
  formatDuration,
  formatMs,
  formatSense,
  humanize,
  spacedHex,
} from './format.ts';
import { classifyUsbError } from './usb-problems.ts';

describe('format', () => {
  it('decodes sense key, ASC and ASCQ', () => {
    expect(formatSense({ key: 2, asc: 0x3a, ascq: 0 })).to.equal(
      'NOT READY (2h), ASC 3Ah, ASCQ 00h',
    );
    expect(formatSense({ key: 2, asc: 4, ascq: 7, progress: 32768 })).to.contain('progress 50%');
  });

  it('formats CDBs, sizes and times', () => {
    expect(spacedHex('2a0000001000')).to.equal('2A 00 00 00 10 00');
    expect(formatBytes(2_295_104 * 2048)).to.equal('4.70 GB');
    expect(formatBytes(512)).to.equal('512 B');
    expect(formatDuration(65_000)).to.equal('1:05');
    expect(formatDuration(3_723_000)).to.equal('1:02:03');
    expect(formatDuration(null)).to.equal('–');
    expect(formatMs(0.42)).to.equal('0.4 ms');
    expect(formatMs(1200)).to.equal('1.20 s');
    expect(humanize('bufferSizeKiB')).to.equal('Buffer size KiB');
    expect(humanize('LBAStart')).to.equal('LBA start');
    expect(humanize('dvdPlusRDualLayer')).to.equal('Dvd plus R dual layer');
    expect(humanize('lock_state')).to.equal('Lock state');
  });
});

describe('usb problems', () => {
  const e = (name: string, message: string) => ({ hresult: 0, name, message, sense: null });
  it('tells Chrome refusing the interface from the OS holding it', () => {
    expect(classifyUsbError(e('SecurityError', 'Access denied.'))).to.equal('security');
    expect(
      classifyUsbError(e('E_FAIL', 'The requested interface implements a protected class.')),
    ).to.equal('security');
    expect(classifyUsbError(e('NetworkError', 'Unable to claim interface.'))).to.equal('network');
    expect(classifyUsbError(e('E_FAIL', 'NetworkError: Unable to claim interface.'))).to.equal(
      'network',
    );
    expect(classifyUsbError(e('E_ACCESS_DENIED', 'Access denied: owned by tab'))).to.equal(null);
  });

  it("takes the protocol layer's word for it when the error says which problem it is", () => {
    const protectedClass = {
      ...e('E_ACCESS_DENIED', 'The device refused access to its mass-storage interface.'),
      problem: 'protected-class' as const,
    };
    expect(classifyUsbError(protectedClass, false)).to.equal('security');
    expect(classifyUsbError(protectedClass, true)).to.equal(null);
    const busy = {
      ...e('E_ACCESS_DENIED', 'Another driver holds the interface.'),
      problem: 'busy' as const,
    };
    expect(classifyUsbError(busy, false)).to.equal('network');
    expect(classifyUsbError(busy, true)).to.equal('network');
  });
});
