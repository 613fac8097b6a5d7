/** Talking to the page that frames the embed: events out (postMessage), only when framed. */
import type { EmbedOptions } from './options';
import type { EmbedEvent } from './protocol';

/** True when the embed runs in a frame (there is a host page to talk to). */
export const inFrame = window.parent !== window;

/** Posts an event to the host page (only the `host` origin when one was given). */
export function postToHost(options: EmbedOptions, ev: EmbedEvent): void {
  if (!inFrame) return;
  const msg = options.id ? { ...ev, id: options.id } : ev;
  try {
    window.parent.postMessage(msg, options.host ?? '*');
  } catch {
    // a host origin that does not match the parent: nothing to tell
  }
}
