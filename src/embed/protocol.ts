/**
 * The postMessage API between a host page and an embedded scene (docs/embed.md). Every message is
 * a plain object whose `type` starts with `packetarium:`; anything else is ignored. Incoming
 * messages are checked field by field (`parseHostCommand`) and only obeyed from the parent window
 * (and, when the embed was given `host=<origin>`, only from that origin).
 */
import { parseTimeValue } from './options';

/** Host -> embed. `t` is ns (a number) or a time string such as `"12ms"`. */
export type HostCommand =
  | { type: 'packetarium:play' }
  | { type: 'packetarium:pause' }
  | { type: 'packetarium:seek'; t: number }
  | { type: 'packetarium:step'; direction: 'forward' | 'back' }
  | { type: 'packetarium:theme'; theme: 'light' | 'dark' };

/** Embed -> host. Every event carries the embed's `id` (when it was given one). */
export type EmbedEvent =
  | { type: 'packetarium:ready'; id?: string; scene: string; title: string; duration: number; t: number; view: string; webgl: boolean }
  | { type: 'packetarium:time'; id?: string; t: number; duration: number; playing: boolean }
  | { type: 'packetarium:step'; id?: string; t: number; count: number; text: string }
  | { type: 'packetarium:error'; id?: string; message: string; errors: string[] };

const EVENT_TYPES = ['packetarium:ready', 'packetarium:time', 'packetarium:step', 'packetarium:error'] as const;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A valid command, or null for anything else (wrong shape, unknown type, bad values). */
export function parseHostCommand(data: unknown): HostCommand | null {
  if (!isRecord(data) || typeof data.type !== 'string') return null;
  switch (data.type) {
    case 'packetarium:play':
      return { type: 'packetarium:play' };
    case 'packetarium:pause':
      return { type: 'packetarium:pause' };
    case 'packetarium:seek': {
      const t = typeof data.t === 'number' ? data.t : typeof data.t === 'string' && data.t.length < 32 ? parseTimeValue(data.t) : null;
      if (t === null || !Number.isFinite(t) || t < 0) return null;
      return { type: 'packetarium:seek', t };
    }
    case 'packetarium:step':
      return data.direction === 'back'
        ? { type: 'packetarium:step', direction: 'back' }
        : data.direction === undefined || data.direction === 'forward'
          ? { type: 'packetarium:step', direction: 'forward' }
          : null;
    case 'packetarium:theme':
      return data.theme === 'light' || data.theme === 'dark' ? { type: 'packetarium:theme', theme: data.theme } : null;
    default:
      return null;
  }
}

/** An embed event with the expected fields, or null (the host side's check). */
export function parseEmbedEvent(data: unknown): EmbedEvent | null {
  if (!isRecord(data) || typeof data.type !== 'string') return null;
  if (!(EVENT_TYPES as readonly string[]).includes(data.type)) return null;
  if (data.id !== undefined && typeof data.id !== 'string') return null;
  switch (data.type) {
    case 'packetarium:ready':
      return typeof data.scene === 'string' && typeof data.duration === 'number' ? (data as EmbedEvent) : null;
    case 'packetarium:time':
      return typeof data.t === 'number' && typeof data.playing === 'boolean' ? (data as EmbedEvent) : null;
    case 'packetarium:step':
      return typeof data.t === 'number' && typeof data.text === 'string' ? (data as EmbedEvent) : null;
    default:
      return typeof data.message === 'string' ? (data as EmbedEvent) : null;
  }
}
