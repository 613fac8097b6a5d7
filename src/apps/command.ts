/**
 * The command language shared by scene files and (later) the terminal: a program name and
 * arguments, split like a shell would split them (quotes group words; no expansion of any kind).
 */

/** Splits `ping 10.0.0.2 -c 3` into words. Returns an error for an unclosed quote. */
export function splitCommand(cmd: string): { ok: true; argv: string[] } | { ok: false; error: string } {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  for (const ch of cmd) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unclosed ${quote} quote` };
  if (inWord) argv.push(word);
  return { ok: true, argv };
}

/**
 * How one option's value is read. `unmodelled`: a real option of the real tool that the model
 * does not reproduce; giving it is refused with a sentence saying so, never silently ignored.
 */
type OptionType = 'flag' | 'int' | 'number' | 'string' | 'seconds' | 'unmodelled';

/** Options a program accepts: `{ c: 'int', i: 'seconds' }`. */
export type OptionSpec = Readonly<Record<string, OptionType>>;

/** Parsed arguments: positional words and option values by letter. */
export interface ParsedArgs {
  positional: string[];
  options: Record<string, number | string | boolean>;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };

/**
 * Reads a time like Linux tools do: a bare number is seconds (`-i 0.2`); a unit may be given
 * (`-i 500us`, `-W 2s`). Returns integer nanoseconds, or undefined when unreadable.
 */
export function parseSeconds(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s)?$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_NS[m[2] ?? 's']);
}

/** The sentence for an option the model does not reproduce. */
function notModelled(option: string): string {
  return `option ${option}: is not modelled in Packetarium`;
}

/**
 * Parses options the way getopt does: `-x value`, `-xvalue`, clustered flags (`-sS`, `-qn`, and
 * `-sSo FILE`: a value option ends the cluster), `--name value` and `--name=value`.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec): { ok: true; args: ParsedArgs } | { ok: false; error: string } {
  const args: ParsedArgs = { positional: [], options: {} };
  const take = (shown: string, type: OptionType, name: string, inline: string | undefined, next: () => string | undefined): string | undefined => {
    if (type === 'unmodelled') return notModelled(shown);
    if (type === 'flag') {
      if (inline !== undefined) return `option ${shown} takes no value`;
      args.options[name] = true;
      return undefined;
    }
    const value = inline ?? next();
    if (value === undefined) return `option ${shown} needs a value`;
    const parsed = readValue(type, value);
    if (parsed === undefined) return `option ${shown}: "${value}" is not ${describeType(type)}`;
    args.options[name] = parsed;
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
      args.positional.push(word);
      continue;
    }
    const next = () => argv[++i];
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq > 0 ? word.slice(2, eq) : word.slice(2);
      const type = spec[name];
      if (!type) return { ok: false, error: `unknown option --${name}` };
      const error = take(`--${name}`, type, name, eq > 0 ? word.slice(eq + 1) : undefined, next);
      if (error) return { ok: false, error };
      continue;
    }
    for (let k = 1; k < word.length; k++) {
      const name = word[k];
      const type = spec[name];
      if (!type) return { ok: false, error: `unknown option -${name}` };
      if (type === 'flag' || type === 'unmodelled') {
        const error = take(`-${name}`, type, name, undefined, next);
        if (error) return { ok: false, error };
        continue;
      }
      const error = take(`-${name}`, type, name, word.slice(k + 1) || undefined, next);
      if (error) return { ok: false, error };
      break;
    }
  }
  return { ok: true, args };
}

function readValue(type: OptionType, value: string): number | string | undefined {
  switch (type) {
    case 'int':
      return /^\d+$/.test(value) ? Number(value) : undefined;
    case 'number':
      return Number.isFinite(Number(value)) && value.trim() !== '' ? Number(value) : undefined;
    case 'seconds':
      return parseSeconds(value);
    case 'string':
      return value;
    case 'flag':
    case 'unmodelled':
      return undefined;
  }
}

function describeType(type: OptionType): string {
  return type === 'int' ? 'a whole number' : type === 'seconds' ? 'a time (seconds, or with a unit like 500ms)' : 'a number';
}
