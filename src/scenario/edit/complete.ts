/**
 * Completion of a command line as it is typed on the editor's timeline strip, like a shell's:
 * program names from the program registry; options and their values read from each program's own
 * usage line (`ping DESTINATION [-c count] ... [-M do|want|dont]`); addresses of the scene's
 * devices where an address goes. A line the program would refuse comes with its error and usage.
 */
import '../../apps';
import { appKinds, parseCommand } from '../../apps/registry';
import { writtenInterfaces } from './segments';
import type { SceneData } from './commands';

/** One suggestion: the whole line it makes, what to show, and a short note. */
export interface Completion {
  readonly line: string;
  readonly label: string;
  readonly detail: string;
}

/** An option read from a usage line: `-c` with its placeholder `count`, or a flag. */
export interface UsageOption {
  readonly flag: string;
  readonly value?: string;
  /** The values it takes, when the usage lists them (`do|want|dont`). */
  readonly choices?: readonly string[];
}

/** The options a usage line names, in order, each once. */
export function usageOptions(usage: string): UsageOption[] {
  const tokens = usage
    .replace(/([[\]()])/g, ' $1 ')
    .split(/\s+/)
    .filter(Boolean);
  const out: UsageOption[] = [];
  const add = (o: UsageOption) => {
    if (!out.some((x) => x.flag === o.flag)) out.push(o);
  };
  tokens.forEach((t, i) => {
    if (!/^(--?[A-Za-z0-9]|\+[a-z])/.test(t)) return;
    const parts = t.split('|');
    if (parts.length > 1 && parts.every((p) => p.startsWith('-'))) {
      parts.forEach((p) => add({ flag: p }));
      return;
    }
    const next = tokens[i + 1];
    if (next === undefined || '[]()|'.includes(next) || next.startsWith('-') || t.startsWith('+')) {
      add({ flag: t });
      return;
    }
    const choices = next.includes('|') ? next.split('|').filter((c) => /^[\w.-]+$/.test(c)) : [];
    add({ flag: t, value: next, ...(choices.length > 1 ? { choices } : {}) });
  });
  return out;
}

/** Usage placeholders where an address goes. */
const ADDRESS_WORD = /^(DESTINATION|HOST|URL|IP|ADDR)/;

/** Whether the usage has an address as a word of its own (`ping DESTINATION`, `nc HOST PORT`). */
function takesAddress(usage: string): boolean {
  const tokens = usage.split(/[\s[\]()|]+/).filter(Boolean);
  return tokens.some((t, i) => i > 0 && ADDRESS_WORD.test(t) && !tokens[i - 1].startsWith('-'));
}

/** The names the scene's DNS servers hold A records for (`www.example.com`), with the server. */
function sceneNames(data: SceneData): { name: string; owner: string }[] {
  const out: { name: string; owner: string }[] = [];
  for (const n of data.nodes ?? []) {
    if (!n || !Array.isArray(n.zones)) continue;
    for (const z of n.zones as { origin?: unknown; records?: unknown }[]) {
      const origin = typeof z?.origin === 'string' ? z.origin.replace(/\.$/, '') : '';
      for (const r of Array.isArray(z?.records) ? z.records : []) {
        const words = typeof r === 'string' ? r.trim().split(/\s+/) : [];
        if (!words.slice(1, 4).includes('A')) continue;
        const w = words[0];
        const name = w === '@' ? origin : w.endsWith('.') ? w.slice(0, -1) : origin ? `${w}.${origin}` : w;
        if (name && !out.some((o) => o.name === name)) out.push({ name, owner: String(n.id) });
      }
    }
  }
  return out;
}

/** Every address written on a device of the scene, with its owner. */
function sceneAddresses(data: SceneData): { addr: string; owner: string }[] {
  const out: { addr: string; owner: string }[] = [];
  for (const n of data.nodes ?? []) {
    if (!n || typeof n.id !== 'string') continue;
    for (const w of writtenInterfaces(n)) out.push({ addr: w.text.split('/')[0], owner: n.id });
  }
  return out;
}

/** What the line says and offers: completions for its last word, and its error (with usage) if wrong. */
export interface LineHelp {
  readonly completions: readonly Completion[];
  /** The program's usage line, once the program is known. */
  readonly usage?: string;
  /** Why the program would refuse the line as typed (with its usage), when it would. */
  readonly error?: string;
}

/** Completions for `line` (the cursor at its end) and the program's verdict on it. */
export function completeCommand(line: string, data: SceneData, on?: string): LineHelp {
  const lead = line.replace(/\S+$/, '');
  const word = line.slice(lead.length);
  const words = lead.split(/\s+/).filter(Boolean);
  const apps = appKinds();
  const make = (text: string, label: string, detail: string, space = true): Completion => ({ line: `${lead}${text}${space ? ' ' : ''}`, label, detail });
  if (words.length === 0) {
    const completions = apps.filter((a) => a.name.startsWith(word) && a.name !== word).map((a) => make(a.name, a.name, a.summary));
    const exact = apps.find((a) => a.name === word);
    return { completions, ...(exact ? { usage: exact.usage } : {}) };
  }
  const app = apps.find((a) => a.name === words[0]);
  if (!app) {
    const v = parseCommand(line.trim());
    return { completions: [], ...(v.ok ? {} : { error: v.error }) };
  }
  const options = usageOptions(app.usage);
  const prev = options.find((o) => o.flag === words[words.length - 1]);
  const addresses = (): Completion[] => {
    const url = /\bURL\b/.test(app.usage);
    const own = new Set((data.nodes ?? []).filter((n) => n?.id === on).flatMap((n) => writtenInterfaces(n).map((w) => w.text.split('/')[0])));
    const names = url || /\bNAME\b/.test(app.usage) ? sceneNames(data).map((x) => ({ addr: x.name, owner: `name on ${x.owner}` })) : [];
    return [...sceneAddresses(data), ...names]
      .filter((a) => !own.has(a.addr))
      .map((a) => ({ ...a, text: url ? `http://${a.addr}/` : a.addr }))
      .filter((a) => a.text.startsWith(word) && a.text !== word)
      .map((a) => make(a.text, a.text, a.owner));
  };
  let completions: Completion[] = [];
  if (prev?.value !== undefined) {
    if (prev.choices) completions = prev.choices.filter((c) => c.startsWith(word)).map((c) => make(c, c, `${prev.flag} ${prev.value}`));
    else if (ADDRESS_WORD.test(prev.value)) completions = addresses();
  } else if (word.startsWith('-') || word.startsWith('+')) {
    completions = options
      .filter((o) => o.flag.startsWith(word) && o.flag !== word && !words.includes(o.flag))
      .map((o) => make(o.flag, o.value ? `${o.flag} ${o.value}` : o.flag, o.choices ? o.choices.join(', ') : (o.value ?? 'flag')));
  } else if (takesAddress(app.usage) || /\bNAME\b/.test(app.usage)) {
    completions = addresses();
  }
  const verdict = parseCommand(line.trim());
  return { completions: completions.slice(0, 12), usage: app.usage, ...(verdict.ok ? {} : { error: verdict.error }) };
}
