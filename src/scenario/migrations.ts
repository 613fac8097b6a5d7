/**
 * Versioned scene migrations, so old scene files and old shared links keep working. Each migration
 * rewrites the raw (parsed, not yet validated) data of one version into the next; `migrate` applies
 * them in order up to `CURRENT_SCENE_VERSION` before the scene is validated.
 */

/** The scene format this build reads and writes. */
export const CURRENT_SCENE_VERSION = 1;

/** Raw scene data: the parsed YAML/JSON mapping, before validation. */
type RawScene = Record<string, unknown>;

/** One named step from scene version `from` to `to`. */
export interface SceneMigration {
  readonly from: number;
  readonly to: number;
  /** What it changes, for logs and error messages, e.g. `rename links[].delay to latency`. */
  readonly name: string;
  /** Returns the data in version `to` (may modify `raw`, which is a private copy). `version` is set afterwards. */
  migrate(raw: RawScene): RawScene;
}

/** The real migrations, oldest first. None yet: version 1 is the first scene format. */
export const migrations: readonly SceneMigration[] = [];

/** Migrated data and the names of the migrations applied, or a message about `path`. */
export type MigrateResult = { ok: true; raw: RawScene; applied: readonly string[] } | { ok: false; path: string; message: string };

function isRecord(value: unknown): value is RawScene {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Brings raw scene data to `current` by applying `registry` migrations in order. The input is not
 * modified. Fails when `version` is missing or not a whole number, newer than `current`, or has no
 * migration path.
 */
export function migrate(raw: unknown, registry: readonly SceneMigration[] = migrations, current: number = CURRENT_SCENE_VERSION): MigrateResult {
  if (!isRecord(raw)) {
    return { ok: false, path: '', message: 'a scene must be a mapping of keys (version, title, duration, nodes, ...)' };
  }
  if (!('version' in raw) || raw.version === undefined || raw.version === null) {
    return {
      ok: false,
      path: 'version',
      message: `missing version: add "version: ${current}" (the current scene format)`,
    };
  }
  const given = raw.version;
  if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 0) {
    return { ok: false, path: 'version', message: `version must be a whole number like ${current}, got ${JSON.stringify(given)}` };
  }
  let version: number = given;
  if (version > current) {
    return {
      ok: false,
      path: 'version',
      message: `scene version ${version} is newer than this Packetarium supports (up to ${current}); update Packetarium to open it`,
    };
  }
  let data = raw;
  const applied: string[] = [];
  while (version < current) {
    const step = registry.find((m) => m.from === version);
    if (!step || step.to <= step.from || step.to > current) {
      return {
        ok: false,
        path: 'version',
        message: `scene version ${version} is no longer supported (no migration from it to version ${current})`,
      };
    }
    if (applied.length === 0) data = structuredClone(raw);
    try {
      data = step.migrate(data);
    } catch (e) {
      return {
        ok: false,
        path: 'version',
        message: `migration "${step.name}" (version ${step.from} to ${step.to}) failed: ${e instanceof Error ? e.message : String(e)}`,
      };
    }
    if (!isRecord(data)) {
      return { ok: false, path: 'version', message: `migration "${step.name}" did not return a mapping` };
    }
    data.version = step.to;
    version = step.to;
    applied.push(step.name);
  }
  return { ok: true, raw: data, applied };
}
