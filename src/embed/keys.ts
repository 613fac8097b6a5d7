/** The embed's keyboard: Space/k play or pause, arrows and , . step, Home/End jump. */
import type { KeyboardEvent } from 'react';
import { playbackStore } from '../store/playback';

/** Handles a key pressed in a ready embed (and prevents its default when it was one of ours). */
export function onEmbedKey(e: KeyboardEvent, step: (forward: boolean) => void): void {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const tag = (e.target as HTMLElement).tagName;
  if (tag === 'INPUT' && e.key !== ' ') return;
  const pb = playbackStore.getState();
  switch (e.key) {
    case ' ':
    case 'k':
      if (tag === 'BUTTON') return;
      pb.toggle();
      break;
    case 'ArrowRight':
    case '.':
      pb.pause();
      step(true);
      break;
    case 'ArrowLeft':
    case ',':
      pb.pause();
      step(false);
      break;
    case 'Home':
      pb.seek(0);
      break;
    case 'End':
      pb.seek(pb.duration);
      break;
    default:
      return;
  }
  e.preventDefault();
}
