/**
 * The fault variants, in matching priority. Adding a kind of fault is one file in this folder and
 * one entry here; `SceneFault` (src/scenario/scene.ts) follows from this list.
 */
import { linkDropFault } from './link-drop';
import { linkSetFault } from './link-set';
import { nodeForwardFault } from './node-forward';
import { nodeGatewayFault } from './node-gateway';
import { nodeInterruptFault } from './node-interrupt';
import { nodeSetFault } from './node-set';
import { packetCorruptFault } from './packet-corrupt';
import { packetDelayFault } from './packet-delay';
import { packetDropFault } from './packet-drop';
import { healFault } from './heal';
import { partitionFault } from './partition';
import { slowdownFault } from './slowdown';

export const faultVariants = [
  linkSetFault,
  linkDropFault,
  nodeSetFault,
  slowdownFault,
  nodeGatewayFault,
  nodeForwardFault,
  nodeInterruptFault,
  packetDropFault,
  packetDelayFault,
  packetCorruptFault,
  partitionFault,
  healFault,
] as const;

export * from './fault-variant';
