/**
 * Scene data before validation (parsed YAML or JSON), for tools that make a variant of a scene by
 * editing its data: lesson exercises, the Load panel's comparison run. Edits go to a copy, which is
 * then validated like any scene.
 */
import { parse as parseYaml } from 'yaml';

/** Parsed scene text, not yet validated. */
export type RawScene = Record<string, unknown> & { nodes?: unknown[]; links?: unknown[]; run?: unknown[]; faults?: unknown[] };

/** Parses scene text (YAML or JSON) into data; throws on text that is not YAML. */
export function parseRawScene(text: string): RawScene {
  return parseYaml(text) as RawScene;
}

/** A deep copy that the caller may edit. */
export function cloneRawScene<T>(raw: T): T {
  return JSON.parse(JSON.stringify(raw)) as T;
}

/**
 * Scene text for scene data: JSON (which the YAML scene parser reads), so that a variant can be
 * validated and simulated from text like the original (e.g. in the simulation worker).
 */
export function rawSceneText(raw: RawScene): string {
  return JSON.stringify(raw);
}

function endNode(end: unknown): string {
  if (typeof end === 'string') return end.split(':')[0];
  if (end && typeof end === 'object' && 'node' in end) return String((end as { node: unknown }).node);
  return '';
}

function linkIdOf(l: Record<string, unknown>): string {
  return typeof l.id === 'string' ? l.id : `${endNode(l.a)}-${endNode(l.b)}`;
}

/** The link with id `id` (explicit, or `a-b` from its ends). */
export function findRawLink(raw: RawScene, id: string): Record<string, unknown> | undefined {
  return (raw.links as Record<string, unknown>[] | undefined)?.find((l) => linkIdOf(l) === id);
}

/** The device with id `id`. */
export function findRawNode(raw: RawScene, id: string): Record<string, unknown> | undefined {
  return (raw.nodes as Record<string, unknown>[] | undefined)?.find((n) => n.id === id);
}

/** The `run` entry at `index`, when it is an object with a command. */
export function rawRunEntry(raw: RawScene, index: number): (Record<string, unknown> & { cmd: string }) | undefined {
  const run = (raw.run as Record<string, unknown>[] | undefined)?.[index];
  return run && typeof run === 'object' && typeof run.cmd === 'string' ? (run as Record<string, unknown> & { cmd: string }) : undefined;
}
