/**
 * Reading and rewriting one option of a command line as text (`--retry expo --attempts 4`), the way
 * a person edits it: the option keeps its place, a missing one is appended, an empty value removes it.
 * Only options that take a value; quoting is not preserved (scene commands do not use it for options).
 */

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The value of option `flag` (`--retry`, `-c`) in `cmd`, or null when it is not there. */
export function commandOption(cmd: string, flag: string): string | null {
  const m = new RegExp(`(?:^|\\s)${escapeRe(flag)}\\s+(\\S+)`).exec(cmd);
  return m ? m[1] : null;
}

/** `cmd` with option `flag` set to `value` (replaced in place, or appended); null, undefined or '' removes it. */
export function withCommandOption(cmd: string, flag: string, value: unknown): string {
  const re = new RegExp(`(^|\\s)${escapeRe(flag)}\\s+\\S+`);
  const without = cmd.replace(re, '');
  if (value === null || value === undefined || value === '') return without;
  return re.test(cmd) ? cmd.replace(re, `$1${flag} ${String(value)}`) : `${cmd} ${flag} ${String(value)}`;
}
