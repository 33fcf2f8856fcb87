/**
 * The client-name rule of IOCTL_CDROM_EXCLUSIVE_ACCESS as
 * docs/exclusive-access.md states it: 1 to 63 characters from A-Z a-z 0-9,
 * space and . , : ; - _  (anything else is E_INVALIDARG in the worker).
 */
export const CLIENT_NAME_MAX = 63;
export const CLIENT_NAME_PATTERN = /^[A-Za-z0-9 .,:;_-]{1,63}$/;
/** The same rule for an <input pattern> (the v flag needs `-` escaped in a class). */
export const CLIENT_NAME_INPUT_PATTERN = '[A-Za-z0-9 .,:;_\\-]{1,63}';

/** Why a client name is refused, in words; null when it is valid. */
export function clientNameProblem(name: string): string | null {
  if (name.length === 0) return 'Enter a client name (1 to 63 characters).';
  if (name.length > CLIENT_NAME_MAX)
    return `The client name is ${name.length} characters long; at most ${CLIENT_NAME_MAX} are allowed.`;
  const bad = [...new Set([...name].filter((c) => !/[A-Za-z0-9 .,:;_-]/.test(c)))];
  if (bad.length > 0)
    return `Not allowed: ${bad.map((c) => `“${c}”`).join(' ')}. Use letters A–Z, digits, spaces and . , : ; - _`;
  return null;
}
