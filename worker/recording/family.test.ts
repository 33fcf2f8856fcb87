/**
 * Which profiles are written how is known twice, because the page may not
 * import the worker at run time: the burn engine decides with its table, the
 * burn dialog offers options with its own. They must agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WRITE_FAMILY } from '../../web/lib/media.ts';
import { PROFILE_FAMILY } from './burn.ts';

describe('write families', () => {
  it('the UI and the burn engine agree on every profile', () => {
    assert.deepEqual({ ...WRITE_FAMILY }, { ...PROFILE_FAMILY });
  });
});
