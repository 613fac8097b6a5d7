/**
 * The fault variants, in matching priority. Adding a kind of fault is one file in this folder and
 * one entry here; `SceneFault` (src/scenario/scene.ts) follows from this list.
 */
import { linkSetFault } from './link-set';
import { nodeSetFault } from './node-set';

export const faultVariants = [linkSetFault, nodeSetFault] as const;

export * from './fault-variant';
