/**
 * Loads a scene from text with everything the built-in registries know: device kinds for the
 * schema, programs for `run[].cmd`. Bad scenes come back as path-named errors, never half-loaded.
 */
import '../net/devices';
import '../protocols/builtin-transports';
import '../apps';
import { checkCommand } from '../apps/registry';
import { deviceCatalog } from '../net/device-registry';
import type { Scene } from './scene';
import { parseScene, validateScene, type ParseSceneResult } from './validate';

/** Parses and validates scene text (YAML or JSON) against the registered devices and programs. */
export function loadScene(text: string, fileName = 'scene'): ParseSceneResult {
  return parseScene(text, fileName, { catalog: deviceCatalog(), checkCommand });
}

/** Validates scene data that is already parsed (a URL, the editor). */
export function loadSceneData(raw: unknown): ParseSceneResult {
  return validateScene(raw, { catalog: deviceCatalog(), checkCommand });
}

export type { Scene };
