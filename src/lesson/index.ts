/** Lessons: the file format, conditions over a trace, and the step engine. No React, no DOM. */
export * from './choice-order';
export * from './conditions';
export * from './engine';
export * from './format';
export * from './markdown';
export * from './progress';
