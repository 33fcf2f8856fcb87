import { expect } from '@open-wc/testing';
import { CLIENT_NAME_PATTERN, clientNameProblem } from './client-name.ts';

describe('client name (IOCTL_CDROM_EXCLUSIVE_ACCESS rules)', () => {
  it('accepts 1 to 63 characters of A-Z a-z 0-9 space . , : ; - _', () => {
    for (const name of ['a', 'webdisc', 'Burner 2: tab-1_x.y,z;', 'x'.repeat(63)]) {
      expect(clientNameProblem(name), name).to.equal(null);
      expect(CLIENT_NAME_PATTERN.test(name), name).to.equal(true);
    }
  });

  it('refuses empty, 64 characters, and anything else', () => {
    expect(clientNameProblem('')).to.match(/Enter a client name/);
    expect(clientNameProblem('x'.repeat(64))).to.match(/64 characters.*at most 63/);
    for (const name of ['café', 'a/b', 'tab!', 'x\ty', 'ümlaut', '<b>', 'a+b', "o'k"]) {
      expect(clientNameProblem(name), name).to.match(/Not allowed/);
      expect(CLIENT_NAME_PATTERN.test(name), name).to.equal(false);
    }
    expect(clientNameProblem('a/b/c')).to.equal(
      'Not allowed: “/”. Use letters A–Z, digits, spaces and . , : ; - _',
    );
  });
});
