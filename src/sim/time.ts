/** Simulated time is an integer count of nanoseconds. These helpers convert to and from it. */

/** Nanoseconds in one microsecond, millisecond and second. */
const US = 1_000;
const MS = 1_000_000;
export const SEC = 1_000_000_000;

/**
 * Rounds a possibly fractional nanosecond count to the integer the kernel accepts.
 * @public
 */
export function ns(value: number): number {
  return Math.round(value);
}

/** Formats nanoseconds for people: `1.5ms`, `250us`, `2s`. */
export function formatDuration(t: number): string {
  const abs = Math.abs(t);
  if (abs >= SEC) return `${trim(t / SEC)}s`;
  if (abs >= MS) return `${trim(t / MS)}ms`;
  if (abs >= US) return `${trim(t / US)}us`;
  return `${t}ns`;
}

function trim(x: number): string {
  return Number(x.toFixed(3)).toString();
}
