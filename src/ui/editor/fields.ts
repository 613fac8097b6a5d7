/**
 * The fields of a device kind's form, read from its config spec (the zod schema it registered):
 * one per key of the config object, with a hint of the kind of value. Values are typed as YAML
 * (`10.0.0.1/24`, `[10.0.0.254/24, 10.0.1.254/24]`, `[{ to: default, via: 10.0.0.254 }]`).
 */
import { parse, stringify } from 'yaml';
import type { DeviceConfigSpec } from '../../net/device-config';

/** One form field. */
export interface FieldDef {
  readonly key: string;
  /** `text`, `number`, `true/false`, `list`, `mapping` or `value`. */
  readonly hint: string;
  readonly optional: boolean;
}

interface ZodLike {
  _zod?: { def?: { type?: string; shape?: Record<string, ZodLike>; innerType?: ZodLike; in?: ZodLike; out?: ZodLike; schema?: ZodLike } };
}

function unwrap(s: ZodLike | undefined): { type: string; node: ZodLike | undefined; optional: boolean } {
  let optional = false;
  let node = s;
  for (let i = 0; i < 10 && node?._zod?.def; i++) {
    const def = node._zod.def;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') {
      optional = true;
      node = def.innerType;
    } else if (def.type === 'pipe') node = def.in?._zod?.def?.type === 'transform' ? def.out : def.in;
    else if (def.type === 'nullable' || def.type === 'readonly' || def.type === 'catch') node = def.innerType;
    else break;
  }
  return { type: node?._zod?.def?.type ?? 'unknown', node, optional };
}

const HINTS: Record<string, string> = {
  string: 'text',
  number: 'number',
  int: 'number',
  boolean: 'true/false',
  array: 'list',
  object: 'mapping',
  enum: 'text',
};

/** The form fields of a device kind, in its schema's key order. */
export function specFields(spec: DeviceConfigSpec | undefined): FieldDef[] {
  const top = unwrap(spec?.config as ZodLike | undefined);
  const shape = top.node?._zod?.def?.shape;
  if (!shape) return [];
  return Object.entries(shape).map(([key, s]) => {
    const u = unwrap(s);
    return { key, hint: HINTS[u.type] ?? 'value', optional: u.optional };
  });
}

/** The fields of a link, in scene order. */
export const LINK_FIELDS: readonly FieldDef[] = [
  { key: 'latency', hint: 'duration, e.g. 1ms', optional: true },
  { key: 'bandwidth', hint: 'rate, e.g. 100Mbps', optional: true },
  { key: 'loss', hint: '0 to 1', optional: true },
  { key: 'jitter', hint: 'duration', optional: true },
  { key: 'mtu', hint: 'bytes', optional: true },
  { key: 'queue', hint: 'frames', optional: true },
  { key: 'up', hint: 'true/false', optional: true },
];

/** The scene's own fields. */
export const SCENE_FIELDS: readonly FieldDef[] = [
  { key: 'title', hint: 'text', optional: false },
  { key: 'description', hint: 'text', optional: true },
  { key: 'duration', hint: 'duration, e.g. 40ms', optional: false },
  { key: 'seed', hint: 'number', optional: true },
];

/** A value as the user types it: YAML in one line. */
export function valueText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trim();
}

/** What the user typed, as data: empty removes the field; otherwise YAML (a plain word stays text). */
export function parseValueText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: `not YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}
