import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { virtualMediaLabel } from './virtual.ts';

describe('virtualMediaLabel', () => {
  it('gives each medium its own capitals, and leaves names it does not know', () => {
    assert.equal(virtualMediaLabel('dvd+r-dl'), 'DVD+R DL');
    assert.equal(virtualMediaLabel('cd-rw'), 'CD-RW');
    assert.equal(virtualMediaLabel('dvd-rw-ro'), 'DVD-RW (restricted overwrite)');
    assert.equal(virtualMediaLabel('none'), 'No disc');
    assert.equal(virtualMediaLabel('floppy'), 'floppy');
  });
});
