/**
 * IMAPI2 AcquireExclusiveAccess's client name: "must conform to the
 * restrictions for the IOCTL_CDROM_EXCLUSIVE_ACCESS control code"
 * (seed 001): 1 to 63 characters from A-Z a-z 0-9, space and . , : ; - _
 * (docs/exclusive-access.md, "The IMAPI2 contract"). The engine refuses any
 * other name with E_INVALIDARG; the UI uses the same rule to say what is
 * wrong before it sends anything.
 */
export const CLIENT_NAME_MAX = 63;
export const CLIENT_NAME_PATTERN = /^[A-Za-z0-9 .,:;_-]{1,63}$/;
/** The same rule for an <input pattern> (the v flag needs `-` escaped in a class). */
export const CLIENT_NAME_INPUT_PATTERN = '[A-Za-z0-9 .,:;_\\-]{1,63}';

const ALLOWED_CHAR = /[A-Za-z0-9 .,:;_-]/;

/** Why `name` is not a valid client name, in words; null when it is valid. */
export function clientNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) {
    return 'Enter a client name (1 to 63 characters).';
  }
  if (name.length > CLIENT_NAME_MAX) {
    return `The client name is ${name.length} characters long; at most ${CLIENT_NAME_MAX} are allowed.`;
  }
  // Code points, not UTF-16 units: an astral character is named once, whole.
  const bad = [...new Set([...name].filter((c) => !ALLOWED_CHAR.test(c)))];
  if (bad.length > 0) {
    return `Not allowed: ${bad.map((c) => `“${c}”`).join(' ')}. Use letters A–Z, digits, spaces and . , : ; - _`;
  }
  return null;
}
