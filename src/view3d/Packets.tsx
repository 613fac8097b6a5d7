/**
 * Every frame on the wire at the playhead, drawn as ONE merged dynamic buffer (a box per frame,
 * shading baked into vertex colours) rebuilt in useFrame straight from the timeline (never React
 * state). A frame is a bar from its trailing to its leading edge, so serialization (the bar growing
 * out of the sender) and propagation (the bar travelling) both show.
 *
 * Why not an InstancedMesh: in software WebGL (SwiftShader) every instance of a lit instanced mesh
 * costs far more than writing its vertices into one buffer; 10,000 frames in flight went from about
 * 1.4 s per frame to a few tens of ms (bench/browser/frame-time.mjs).
 */
import { useEffect, useMemo } from 'react';
import { useFrame } from '@react-three/fiber';
import * as THREE from 'three';
import { Place, RecordKind } from '../sim/trace';
import { playbackStore } from '../store/playback';
import { selectionStore } from '../store/selection';
import { frameProtocol, framesInFlightInto, motionAt, type TimelineIndex } from '../timeline';
import { DROP_COLOR, SELECTED_COLOR } from './colors';
import type { Vec3 } from './layout';
import { barExtent, drawnPackets, extent, laneBar, linkGeoms, PacketBuffer, placeBar, protoRgb, runs, scratch, toRgb, type LinkGeom } from './packet-buffer';

const dropRgb = toRgb(DROP_COLOR);
const selRgb = toRgb(SELECTED_COLOR);
const AXIS_Z = new THREE.Vector3(0, 0, 1);
/** Shared by every packet view and never disposed, so its shader program outlives scene switches. */
const material = new THREE.MeshBasicMaterial({ vertexColors: true });

export function Packets({ index, links, nodePos }: { index: TimelineIndex; links: { a: Vec3; b: Vec3 }[]; nodePos: Vec3[] }) {
  const geoms = useMemo<LinkGeom[]>(() => linkGeoms(links), [links]);
  const buf = useMemo(() => new PacketBuffer(material), []);
  useEffect(() => () => buf.dispose(), [buf]);

  useFrame(() => {
    const t = playbackStore.getState().time;
    const selPacket = selectionStore.getState().packet;
    const selRow = selectionStore.getState().row;
    const tr = index.trace;
    const n = framesInFlightInto(index, t, scratch.inflight);
    runs.reset(geoms.length * 2);
    const rows = scratch.inflight.rows;
    let k = 0;
    const sel = drawnPackets.selected;
    sel.found = false;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      const kind = tr.kind[r];
      const dir = tr.dir[r];
      const selected = (selPacket >= 0 && tr.packet[r] === selPacket) || r === selRow;
      const thick = selected ? 0.3 : 0.22;
      if (dir === Place.Node) {
        // Dropped inside a node: a red cube falling out of it.
        const p = nodePos[tr.place[r]];
        if (!p) continue;
        const fade = Math.min(1, Math.max(0, (t - tr.time[r]) / index.fadeNs));
        scratch.p.set(p[0], 1.2 - fade * 1.1, p[2]);
        const s = 0.28 * (1 - fade * 0.7);
        buf.box(k, scratch.p, AXIS_Z, s / 2, s / 2, selected ? selRgb : dropRgb);
      } else {
        const g = geoms[tr.place[r]];
        if (!g) continue;
        motionAt(index, r, t, scratch.motion);
        const { head, tail, fade } = scratch.motion;
        barExtent(g, head, tail, extent);
        if (kind === RecordKind.Drop) {
          // A lost frame sinks below its link and shrinks as it fades.
          placeBar(buf, k, g, dir, extent.lo, extent.hi, selected ? selRgb : dropRgb, thick * (1 - fade * 0.6));
          scratch.p.y -= fade * 0.9;
          buf.box(k, scratch.p, g.d, ((extent.hi - extent.lo) * g.len) / 2, (thick * (1 - fade * 0.6)) / 2, selected ? selRgb : dropRgb);
          drawnPackets.centers[k * 3 + 1] = scratch.p.y;
        } else {
          const c = frameProtocol(index, tr.frame[r]);
          const lane = tr.place[r] * 2 + dir;
          if (!laneBar(buf, k, g, dir, lane, extent.lo, extent.hi, c, selected ? selRgb : protoRgb[c], thick, !selected)) continue;
        }
        scratch.p.set(drawnPackets.centers[k * 3], drawnPackets.centers[k * 3 + 1], drawnPackets.centers[k * 3 + 2]);
      }
      drawnPackets.rows[k] = r;
      drawnPackets.centers[k * 3] = scratch.p.x;
      drawnPackets.centers[k * 3 + 1] = scratch.p.y;
      drawnPackets.centers[k * 3 + 2] = scratch.p.z;
      if (selected && (!sel.found || r === selRow)) {
        sel.found = true;
        sel.x = scratch.p.x;
        sel.y = scratch.p.y;
        sel.z = scratch.p.z;
      }
      k++;
    }
    buf.commit(k);
    drawnPackets.count = k;
  });

  return <primitive object={buf.mesh} />;
}
