import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/view3d/canvas';

const view3d = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/view3d');

/** Lower-case JSX elements (`<mesh`, `<boxGeometry`) used in the 3D view's components. */
function intrinsicElements(): Set<string> {
  const found = new Set<string>();
  for (const f of readdirSync(view3d).filter((n) => n.endsWith('.tsx'))) {
    const text = readFileSync(join(view3d, f), 'utf8');
    for (const m of text.matchAll(/(?<![\w.])<([a-z][A-Za-z0-9]*)[\s/>]/g)) found.add(m[1]);
  }
  return found;
}

describe('the 3D canvas catalogue', () => {
  it('registers a three.js class for every element the 3D view draws (r3f refuses an unregistered one)', () => {
    const registered = new Set(Object.keys(CATALOGUE).map((k) => k[0].toLowerCase() + k.slice(1)));
    // `primitive` is r3f's own; `div` and `canvas` are the DOM around the canvas.
    const missing = [...intrinsicElements()].filter((e) => !registered.has(e) && !['primitive', 'div', 'canvas'].includes(e));
    expect(missing).toEqual([]);
  });

  it('registers three.js constructors', () => {
    for (const [name, ctor] of Object.entries(CATALOGUE)) expect(typeof ctor, name).toBe('function');
  });
});
