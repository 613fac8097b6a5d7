/** URL parameters `?scene=<name>&seed=<n>&t=<time>`, validated: bad values become messages, never exceptions. */
import { parseDuration } from '../sim/units';

export interface UrlParams {
  scene: string;
  seed?: number;
  t?: number;
  /** Problems with the values given (shown as notices; the value is ignored). */
  problems: string[];
}

export function readUrlParams(search: string, defaultScene: string): UrlParams {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const out: UrlParams = { scene: defaultScene, problems };
  const scene = q.get('scene');
  if (scene !== null) out.scene = scene.trim();
  const seed = q.get('seed');
  if (seed !== null) {
    if (/^\d{1,15}$/.test(seed.trim())) out.seed = Number(seed.trim());
    else problems.push(`?seed=${seed}: expected a whole number ≥ 0; using the scene's own seed`);
  }
  const t = q.get('t');
  if (t !== null) {
    const text = t.trim();
    if (/^\d+$/.test(text)) out.t = Number(text);
    else {
      const d = parseDuration(text);
      if (d.ok) out.t = d.ns;
      else problems.push(`?t=${t}: ${d.error}; starting at 0`);
    }
  }
  return out;
}
