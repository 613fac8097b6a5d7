/** Branches: a scene plus timed actions, run as a derived scene (see derive.ts and action.ts). */
export * from './action';
export * from './derive';
export * from './share';
