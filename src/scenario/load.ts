/**
 * Loads a scene from text with everything the built-in registries know: device kinds for the
 * schema, programs for `run[].cmd`. Bad scenes come back as path-named errors, never half-loaded.
 */
import '../net/devices';
import '../protocols/builtin-transports';
import '../apps';
import { checkCommand } from '../apps/registry';
import { deviceCatalog } from '../net/device-registry';
import { sceneSizeLimitErrors, sceneTextLimitError } from './limits';
import type { Scene } from './scene';
import { parseScene, validateScene, type ParseSceneResult } from './validate';

/**
 * Parses and validates scene text (YAML or JSON) against the registered devices and programs.
 * Text beyond the size and nesting limits, and scenes beyond the device, link, command and
 * duration limits (`SCENE_LIMITS`), are refused with one error naming the limit.
 */
export function loadScene(text: string, fileName = 'scene'): ParseSceneResult {
  const tooBig = sceneTextLimitError(text);
  if (tooBig) return { ok: false, errors: [tooBig] };
  return withinLimits(parseScene(text, fileName, { catalog: deviceCatalog(), checkCommand }));
}

/** Validates scene data that is already parsed (a URL, the editor), with the same limits. */
export function loadSceneData(raw: unknown): ParseSceneResult {
  return withinLimits(validateScene(raw, { catalog: deviceCatalog(), checkCommand }));
}

function withinLimits(r: ParseSceneResult): ParseSceneResult {
  if (!r.ok) return r;
  const errors = sceneSizeLimitErrors(r.scene);
  return errors.length ? { ok: false, errors } : r;
}

export type { Scene };
