/** GET PERFORMANCE and SET STREAMING: CDBs and data, as growisofs and libburn send them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPCODE } from './opcodes.ts';
import {
  PerformanceType,
  encodePerformanceData,
  getPerformance,
  getPerformanceLayout,
  parsePerformance,
  parsePerformanceHeader,
  parseStreamingDescriptor,
  parseWriteSpeeds,
  setStreaming,
  setStreamingLayout,
} from './performance.ts';

describe('GET PERFORMANCE', () => {
  it('write speed descriptors (TYPE 03h): the CDB, and the list round-trips', () => {
    const r = getPerformance({ type: PerformanceType.WriteSpeed, maxDescriptors: 4 });
    assert.deepEqual(getPerformanceLayout.decode(r.cdb), {
      opcode: OPCODE.GET_PERFORMANCE,
      dataType: 0,
      startingLba: 0,
      maxDescriptors: 4,
      type: 3,
      control: 0,
    });
    assert.equal(r.length, 8 + 4 * 16);
    const speeds = [22_160, 11_080].map((writeKBps) => ({
      rotationControl: 0,
      exact: false,
      endLba: 2_295_103,
      readKBps: 22_160,
      writeKBps,
    }));
    const data = encodePerformanceData(speeds);
    assert.deepEqual(parseWriteSpeeds(data), speeds);
    assert.equal(parsePerformanceHeader(data).available, 32);
  });

  it('the write performance in effect (TYPE 00h, WRITE): one CLV descriptor', () => {
    const r = getPerformance({ type: PerformanceType.Performance, write: true, maxDescriptors: 1 });
    assert.equal(getPerformanceLayout.decode(r.cdb).dataType, 0x14);
    const d = { startLba: 0, startKBps: 5540, endLba: 2_295_103, endKBps: 5540 };
    const data = encodePerformanceData([d], { write: true });
    assert.deepEqual(parsePerformance(data), [d]);
    assert.equal(parsePerformanceHeader(data).write, true);
    // Fewer descriptors sent than the header says the drive has: only whole ones are read.
    const two = encodePerformanceData([d, d]);
    assert.equal(parsePerformance(two.subarray(0, 8 + 20)).length, 1);
  });
});

describe('SET STREAMING', () => {
  it('one performance descriptor: speeds as kB over 1000 ms, end LBA, from LBA 0', () => {
    const r = setStreaming({ writeKBps: 5540, readKBps: 22_160, endLba: 2_298_495 });
    assert.deepEqual(setStreamingLayout.decode(r.cdb), {
      opcode: OPCODE.SET_STREAMING,
      type: 0,
      parameterListLength: 28,
      control: 0,
    });
    assert.equal(r.direction, 'out');
    assert.deepEqual(parseStreamingDescriptor(r.data!), {
      rotationControl: 0,
      restoreDefaults: false,
      exact: false,
      startLba: 0,
      endLba: 2_298_495,
      readSizeKB: 22_160,
      readTimeMs: 1000,
      writeSizeKB: 5540,
      writeTimeMs: 1000,
    });
  });
});
