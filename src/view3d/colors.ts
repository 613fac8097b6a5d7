/** Colours shared by the 3D view and the panels (legend, event list). */
import { registerCoreProtocols } from '../protocols/builtin-core';
import { colorClasses, type ColorClass } from '../protocols/color-class';

/**
 * Packet colour classes (index = `frameProtocol`'s class), as the protocols registered them with
 * their dissectors.
 */
export function protoColorClasses(): readonly ColorClass[] {
  registerCoreProtocols();
  return colorClasses();
}

/** The colour of class `c`. */
export function protoColor(c: number): string {
  return protoColorClasses()[c]?.color ?? protoColorClasses()[0].color;
}
export const DROP_COLOR = '#ff5a5a';
export const SELECTED_COLOR = '#ffffff';

/** Device body colours by kind. */
export const DEVICE_COLORS: Record<string, string> = {
  host: '#8fa3bf',
  server: '#5d6b80',
  switch: '#2f9e8f',
  hub: '#d9822b',
  router: '#5b6cf0',
};
