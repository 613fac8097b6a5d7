/**
 * three.js's console output, routed through its own hook (`setConsoleFunction`) so that one known
 * notice we cannot act on stays out of every page with a 3D view: three r183+ deprecates THREE.Clock,
 * and @react-three/fiber 9 still creates one inside its store (not our code). Everything else three
 * says goes to the console as before.
 */
import { setConsoleFunction } from 'three';

const IGNORED = /^THREE\.Clock: This module has been deprecated/;

setConsoleFunction((type, message, ...params) => {
  if (type === 'warn' && IGNORED.test(message)) return;
  console[type](message, ...params);
});
