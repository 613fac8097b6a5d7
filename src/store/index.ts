export * from './playback';
export * from './selection';
export * from './scene';
export * from './view';
export { useStore } from 'zustand';
export * from './compare';
