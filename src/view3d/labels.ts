/** Text sprites drawn on a canvas (no HTML overlay library needed). */
import * as THREE from 'three';

/** A camera-facing label: a bold first line and smaller lines below. World height ~`height`. */
export function makeLabel(lines: readonly string[], opts: { color?: string; height?: number } = {}): THREE.Sprite {
  const dpr = 2;
  const titleSize = 30 * dpr;
  const lineSize = 22 * dpr;
  const pad = 10 * dpr;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  ctx.font = `600 ${titleSize}px system-ui, sans-serif`;
  let w = ctx.measureText(lines[0] ?? '').width;
  ctx.font = `${lineSize}px ui-monospace, monospace`;
  for (const l of lines.slice(1)) w = Math.max(w, ctx.measureText(l).width);
  canvas.width = Math.ceil(w + pad * 2);
  canvas.height = Math.ceil(titleSize * 1.2 + (lines.length - 1) * lineSize * 1.25 + pad * 2);
  ctx.fillStyle = 'rgba(14, 18, 28, 0.78)';
  const r = 10 * dpr;
  ctx.beginPath();
  ctx.roundRect(0, 0, canvas.width, canvas.height, r);
  ctx.fill();
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  ctx.fillStyle = opts.color ?? '#f0f4ff';
  ctx.font = `600 ${titleSize}px system-ui, sans-serif`;
  ctx.fillText(lines[0] ?? '', canvas.width / 2, pad);
  ctx.fillStyle = '#9fb0cc';
  ctx.font = `${lineSize}px ui-monospace, monospace`;
  lines.slice(1).forEach((l, i) => ctx.fillText(l, canvas.width / 2, pad + titleSize * 1.2 + i * lineSize * 1.25));
  const tex = new THREE.CanvasTexture(canvas);
  tex.colorSpace = THREE.SRGBColorSpace;
  tex.anisotropy = 4;
  const mat = new THREE.SpriteMaterial({ map: tex, depthTest: false, depthWrite: false, transparent: true });
  const sprite = new THREE.Sprite(mat);
  // Anchored at its top edge: placed in front of a device, it hangs below it on screen.
  const h = opts.height ?? 0.44 * (1.2 + (lines.length - 1) * 0.9);
  sprite.center.set(0.5, 1);
  sprite.scale.set((h * canvas.width) / canvas.height, h, 1);
  sprite.renderOrder = 10;
  return sprite;
}
