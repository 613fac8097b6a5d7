/**
 * Options of an embedded scene, read from `embed.html?...` (or the attributes of
 * `<packetarium-scene>`). Bad values become messages and fall back to the default; nothing throws.
 * Pure: no DOM, so the web component, the copy button and the embed page share it.
 */

export type EmbedView = '3d' | 'ladder' | 'both';
export type EmbedControls = 'full' | 'minimal' | 'none';
type EmbedTheme = 'auto' | 'light' | 'dark';

export interface EmbedOptions {
  /** Name of a bundled scene (file name without extension), when `data` is absent. */
  scene: string;
  /** A whole scene carried in the URL: deflate-raw, base64url (see codec.ts). */
  data?: string;
  seed?: number;
  /** Start time, ns. */
  t?: number;
  autoplay: boolean;
  view: EmbedView;
  controls: EmbedControls;
  theme: EmbedTheme;
  /** Origin of the host page: the only origin whose messages are obeyed and to which events go. */
  host?: string;
  /** The host's name for this embed, echoed in every event it posts. */
  id?: string;
  /** Why the scene given cannot be shown at all (a bad `data` value): shown instead of any scene. */
  refused?: string;
}

export interface ParsedEmbedOptions {
  options: EmbedOptions;
  problems: string[];
}

/** Every option name, as a URL parameter and as an attribute of `<packetarium-scene>`. */
export const EMBED_OPTION_NAMES = ['scene', 'data', 'seed', 't', 'autoplay', 'view', 'controls', 'theme', 'host', 'id'] as const;

const DEFAULT_EMBED_SCENE = 'router-ping';
/** Longest `data` value accepted (characters of base64url). */
export const MAX_DATA_CHARS = 12_000;

const VIEWS: readonly EmbedView[] = ['3d', 'ladder', 'both'];
const CONTROLS: readonly EmbedControls[] = ['full', 'minimal', 'none'];
const THEMES: readonly EmbedTheme[] = ['auto', 'light', 'dark'];

const UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };

/** `12ms`, `1.5 s`, `250us` or a bare integer of ns; null when unreadable. */
export function parseTimeValue(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?\s*$/.exec(text);
  if (!m) return null;
  const ns = Math.round(Number(m[1]) * (m[2] ? UNITS[m[2]] : 1));
  return Number.isSafeInteger(ns) ? ns : null;
}

function pick<T extends string>(name: string, value: string | null, allowed: readonly T[], fallback: T, problems: string[]): T {
  if (value === null) return fallback;
  const v = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  problems.push(`${name}=${clip(value)}: expected ${allowed.join(' | ')}; using ${fallback}`);
  return fallback;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Reads options from a getter (URLSearchParams.get or Element.getAttribute). */
export function readEmbedOptions(get: (name: string) => string | null): ParsedEmbedOptions {
  const problems: string[] = [];
  const options: EmbedOptions = {
    scene: DEFAULT_EMBED_SCENE,
    autoplay: false,
    view: pick('view', get('view'), VIEWS, '3d', problems),
    controls: pick('controls', get('controls'), CONTROLS, 'full', problems),
    theme: pick('theme', get('theme'), THEMES, 'auto', problems),
  };
  const scene = get('scene');
  if (scene !== null) {
    if (/^[A-Za-z0-9._-]{1,64}$/.test(scene.trim())) options.scene = scene.trim();
    else problems.push(`scene=${clip(scene)}: not a scene name; using ${DEFAULT_EMBED_SCENE}`);
  }
  const data = get('data');
  if (data !== null && data !== '') {
    if (data.length > MAX_DATA_CHARS) options.refused = `data: the embedded scene is too large (${data.length} characters, at most ${MAX_DATA_CHARS})`;
    else if (!/^[A-Za-z0-9_-]+$/.test(data)) options.refused = 'data: not a compressed scene (expected base64url characters)';
    else options.data = data;
  }
  const seed = get('seed');
  if (seed !== null) {
    if (/^\d{1,15}$/.test(seed.trim())) options.seed = Number(seed.trim());
    else problems.push(`seed=${clip(seed)}: expected a whole number ≥ 0; using the scene's own seed`);
  }
  const t = get('t');
  if (t !== null) {
    const ns = parseTimeValue(t);
    if (ns !== null) options.t = ns;
    else problems.push(`t=${clip(t)}: expected a time such as 12ms; starting at 0`);
  }
  const autoplay = get('autoplay');
  if (autoplay !== null) {
    const v = autoplay.trim().toLowerCase();
    if (v === '' || v === '1' || v === 'true' || v === 'yes') options.autoplay = true;
    else if (v !== '0' && v !== 'false' && v !== 'no') problems.push(`autoplay=${clip(autoplay)}: expected true or false`);
  }
  const host = get('host');
  if (host !== null && host !== '') {
    const origin = parseOrigin(host);
    if (origin) options.host = origin;
    else problems.push(`host=${clip(host)}: not an origin (https://example.org); messages from the page are ignored`);
  }
  const id = get('id');
  if (id !== null && /^[\w.:-]{1,64}$/.test(id)) options.id = id;
  return { options, problems };
}

/** `https://example.org` for a valid http(s) origin, else null. */
function parseOrigin(text: string): string | null {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin === text.replace(/\/$/, '') ? u.origin : null;
  } catch {
    return null;
  }
}

/** The query string (no `?`) for options: only values that differ from the defaults. */
export function embedQuery(o: Partial<EmbedOptions>): string {
  const q = new URLSearchParams();
  if (o.data) q.set('data', o.data);
  else if (o.scene) q.set('scene', o.scene);
  if (o.seed !== undefined) q.set('seed', String(o.seed));
  if (o.t !== undefined && o.t > 0) q.set('t', formatTimeValue(o.t));
  if (o.autoplay) q.set('autoplay', 'true');
  if (o.view && o.view !== '3d') q.set('view', o.view);
  if (o.controls && o.controls !== 'full') q.set('controls', o.controls);
  if (o.theme && o.theme !== 'auto') q.set('theme', o.theme);
  if (o.host) q.set('host', o.host);
  if (o.id) q.set('id', o.id);
  return q.toString();
}

/** A readable exact time value in milliseconds: `12ms`, `1.5ms`, `5.02688ms` (round-trips through `parseTimeValue`). */
function formatTimeValue(ns: number): string {
  const n = Math.max(0, Math.round(ns));
  return `${(n / 1e6).toFixed(6).replace(/\.?0+$/, '')}ms`;
}
