/**
 * IMAPI2 AcquireExclusiveAccess's client name: "must conform to the
 * restrictions for the IOCTL_CDROM_EXCLUSIVE_ACCESS control code"
 * (seed 001): 1 to 63 characters from A-Z a-z 0-9, space and . , : ; - _
 * (exclusive-access.md, "The IMAPI2 contract").
 */
export const CLIENT_NAME_MAX = 63;
const ALLOWED = /^[A-Za-z0-9 .,:;\-_]+$/;

/** Returns why `name` is not a valid client name, or undefined when it is. */
export function clientNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'The client name must not be empty.';
  if (name.length > CLIENT_NAME_MAX) {
    return `The client name must be at most ${CLIENT_NAME_MAX} characters (it has ${name.length}).`;
  }
  if (!ALLOWED.test(name)) {
    return 'The client name may contain only letters A-Z and a-z, digits, spaces and . , : ; - _';
  }
  return undefined;
}
