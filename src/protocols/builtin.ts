/**
 * Registers every built-in dissector (see `builtin-all.ts`). The simulation worker's bundle replaces
 * this module with `runner/worker-builtin.ts`, which registers the core ones only: the worker loads
 * the rest on demand, before it builds a scene that needs them (`runner/on-demand.ts`).
 */
export { registerBuiltinProtocols } from './builtin-all';
