/**
 * How the 3D view draws each device kind (`host`, `server`, `switch`, ...), kept apart from the
 * device registry so a page that only shows traces (the embed, whose simulator runs in a worker)
 * can learn the shapes without loading the device models. `registerDevice` records every kind's
 * shape here; the embed records the shapes the simulation worker sends back with a scene.
 */

const shapes = new Map<string, string>();

/** Records that devices of `kind` are drawn as `shape`. */
export function setDeviceShape(kind: string, shape: string): void {
  shapes.set(kind, shape);
}

/** The shape devices of `kind` are drawn as, if known. */
export function deviceShape(kind: string): string | undefined {
  return shapes.get(kind);
}
