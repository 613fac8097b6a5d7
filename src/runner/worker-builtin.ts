/**
 * The simulation worker's stand-in for `protocols/builtin.ts` (vite.config.ts swaps it in for the
 * worker bundle only): registers the core dissectors, which give every colour class. A scene whose
 * fault matches frames by expression needs all of them; `on-demand.ts` loads and registers the rest
 * before such a scene is built, so the worker's results equal Node's.
 */
import { registerCoreProtocols } from '../protocols/builtin-core';

/** Registers the core dissectors (the rest, when needed, are registered by `on-demand.ts`). */
export function registerBuiltinProtocols(): void {
  registerCoreProtocols();
}
