/**
 * One benchmark measurement per process (so memory figures are the run's own):
 *   node worker.mjs kernel | baseline | bare | chain <scene file> | storm <scene file> | cut <scene file> | edit <scene file>
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { loadSceneFile, simulate } from '../src/cli/run-scene';
import { buildNetwork } from '../src/scenario/build';
import { deriveBranch, parseAction } from '../src/scenario/branch';
import { parseRawScene } from '../src/scenario/raw-scene';
import { applyCommand, setField } from '../src/scenario/edit/commands';
import { parseSceneDoc, sceneDocData, sceneDocText } from '../src/scenario/edit/doc';
import { loadScene, loadSceneData } from '../src/scenario/load';
import { Kernel } from '../src/sim/kernel';
import { RngStream } from '../src/sim/rng';
import { RecordKind } from '../src/sim/trace';
import { bareHeapHold } from './bare-heap';
import { ObjectHeapQueue } from './object-heap-queue';

const PENDING = 10_000;
const HOLD_EVENTS = 3_000_000;

/** The classic hold model: a steady 10,000 pending events; each one run schedules one more. */
function holdKernel(): Record<string, number> {
  const k = new Kernel();
  const rng = new RngStream(1, 'bench:hold');
  const delays = new Float64Array(4096).map(() => 1 + Math.floor(rng.exponential(1000)));
  let d = 0;
  const handler = () => {
    k.after(delays[d++ & 4095], handler);
  };
  for (let i = 0; i < PENDING; i++) k.after(delays[d++ & 4095], handler);
  const t0 = performance.now();
  k.run(HOLD_EVENTS);
  const ms = performance.now() - t0;
  return { events: HOLD_EVENTS, wallMs: ms, eventsPerSec: HOLD_EVENTS / (ms / 1000) };
}

function holdBaseline(): Record<string, number> {
  const q = new ObjectHeapQueue();
  const rng = new RngStream(1, 'bench:hold');
  const delays = new Float64Array(4096).map(() => 1 + Math.floor(rng.exponential(1000)));
  let d = 0;
  const handler = () => {
    q.after(delays[d++ & 4095], handler);
  };
  for (let i = 0; i < PENDING; i++) q.after(delays[d++ & 4095], handler);
  const t0 = performance.now();
  for (let i = 0; i < HOLD_EVENTS; i++) q.step();
  const ms = performance.now() - t0;
  return { events: HOLD_EVENTS, wallMs: ms, eventsPerSec: HOLD_EVENTS / (ms / 1000) };
}

/** The same hold model on a bare typed-array heap: the ceiling for the kernel (bench/bare-heap.ts). */
function holdBare(): Record<string, number> {
  const rng = new RngStream(1, 'bench:hold');
  const delays = new Float64Array(4096).map(() => 1 + Math.floor(rng.exponential(1000)));
  return { events: HOLD_EVENTS, ...bareHeapHold(PENDING, HOLD_EVENTS, delays) };
}

function chain(file: string): Record<string, number | string> {
  const scene = loadSceneFile(file);
  const t0 = performance.now();
  const r = simulate(scene);
  const ms = performance.now() - t0;
  const trace = r.trace;
  let hops = 0;
  for (let i = 0; i < trace.length; i++) if (trace.kind[i] === RecordKind.FrameTx) hops++;
  const t1 = performance.now();
  const hash = trace.hash();
  const hashMs = performance.now() - t1;
  return {
    events: r.events,
    packetHops: hops,
    wallMs: ms,
    packetHopsPerSec: hops / (ms / 1000),
    eventsPerSec: r.events / (ms / 1000),
    hashMs,
    traceMB: trace.byteSize() / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    traceHash: hash,
  };
}

/** The overload lab at scale: a retry storm (scenes/bench-retry-storm.yaml), events/s and the RR rows recorded. */
function storm(file: string): Record<string, number | string> {
  const scene = loadSceneFile(file);
  const t0 = performance.now();
  const r = simulate(scene);
  const ms = performance.now() - t0;
  const trace = r.trace;
  let sends = 0;
  let rows = 0;
  for (let i = 0; i < trace.length; i++) {
    if (trace.kind[i] !== RecordKind.State) continue;
    rows++;
    if (trace.string(trace.code[i]) === 'rr.send') sends++;
  }
  return {
    events: r.events,
    simTimeNs: scene.duration,
    attempts: sends,
    stateRows: rows,
    rows: trace.length,
    wallMs: ms,
    eventsPerSec: r.events / (ms / 1000),
    traceMB: trace.byteSize() / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    traceHash: trace.hash(),
  };
}

/**
 * "Cut this link": the parent is run first (not timed) to pick t, the middle frame of the run, and
 * its link. Timed: parsing `<t> link <id> down`, deriving the branch scene, and simulating it from
 * zero until its first frame after t (what a worker streaming the branch would show first), then on
 * to the end of the scene.
 */
function cut(file: string): Record<string, number | string> {
  const parentScene = loadSceneFile(file);
  const parent = simulate(parentScene).trace;
  const frames: number[] = [];
  for (let r = 0; r < parent.length; r++) if (parent.kind[r] === RecordKind.FrameTx) frames.push(r);
  const mid = frames[frames.length >> 1];
  const t = parent.time[mid];
  const action = `${t}ns link ${parent.links[parent.place[mid]].name} down`;
  const raw = parseRawScene(readFileSync(file, 'utf8'));
  const once = () => {
    const t0 = performance.now();
    const a = parseAction(action);
    if (!a.ok) throw new Error(a.error);
    const d = deriveBranch({ parent: raw, actions: [a.action] });
    if (!d.ok) throw new Error(d.errors.join('\n'));
    const deriveMs = performance.now() - t0;
    const net = buildNetwork(d.scene);
    const { kernel, trace } = net.ctx;
    kernel.runUntil(t);
    let seen = trace.length;
    let past = false;
    while (!past && kernel.pending > 0 && kernel.now < d.scene.duration) {
      kernel.run(256);
      for (; seen < trace.length && !past; seen++) past = trace.kind[seen] === RecordKind.FrameTx && trace.time[seen] > t;
    }
    const firstFrameMs = performance.now() - t0;
    kernel.runUntil(d.scene.duration);
    return { deriveMs, firstFrameMs, wholeMs: performance.now() - t0, hash: trace.hash() };
  };
  // Cold: the first branch in a fresh process; warm: a second cut, as in a session that has run one.
  const cold = once();
  const warm = once();
  return {
    action,
    cutAtMs: t / 1e6,
    deriveMs: cold.deriveMs,
    firstFrameMs: cold.firstFrameMs,
    wholeMs: cold.wholeMs,
    warmFirstFrameMs: warm.firstFrameMs,
    warmWholeMs: warm.wholeMs,
    parentHash: parent.hash(),
    branchHash: cold.hash,
    replaysSame: String(cold.hash === warm.hash),
  };
}

/**
 * An edit in the scene editor, then the re-simulated scene's first frame: the scene is loaded and
 * run once first (not timed), as it is in the app before the edit. Timed: the edit command on the
 * YAML document (the first link's latency set to 2ms), the text it prints, the validation the
 * editor runs on every edit, then the run: loading the text again (as the worker does), building
 * the network and simulating until the first frame is on a link. Several edits in one process;
 * the first is reported as cold and the median of the rest as warm.
 */
function edit(file: string): Record<string, number | string> {
  const text = readFileSync(file, 'utf8');
  const loaded = loadScene(text, file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  simulate(loaded.scene);
  const doc = parseSceneDoc(text);
  const times: number[] = [];
  const validateTimes: number[] = [];
  const buildTimes: number[] = [];
  for (let k = 0; k < 9; k++) {
    const t0 = performance.now();
    applyCommand(doc, setField(sceneDocData(doc), ['links', 0, 'latency'], `${2 + k}ms`));
    const edited = sceneDocText(doc);
    // As the editor's store does after an edit (src/store/editor.ts): its data validated as it is.
    if (!loadSceneData(sceneDocData(doc)).ok) throw new Error('the edit made the scene invalid');
    const t1 = performance.now();
    const again = loadScene(edited, file);
    if (!again.ok) throw new Error('invalid');
    const t2 = performance.now();
    const { kernel, trace } = buildNetwork(again.scene).ctx;
    buildTimes.push(performance.now() - t2);
    let seen = 0;
    let frame = false;
    while (!frame && kernel.pending > 0 && kernel.now < again.scene.duration) {
      kernel.run(64);
      for (; seen < trace.length && !frame; seen++) frame = trace.kind[seen] === RecordKind.FrameTx;
    }
    if (!frame) throw new Error('no frame');
    times.push(performance.now() - t0);
    validateTimes.push(t1 - t0);
  }
  const warm = [...times.slice(1)].sort((a, b) => a - b);
  return {
    devices: loaded.scene.nodes.length,
    firstFrameMs: times[0],
    warmFirstFrameMs: warm[warm.length >> 1],
    editAndValidateMs: validateTimes[0],
    warmEditAndValidateMs: [...validateTimes.slice(1)].sort((a, b) => a - b)[4],
    warmBuildMs: [...buildTimes.slice(1)].sort((a, b) => a - b)[4],
  };
}

const [what, arg] = process.argv.slice(2);
const result =
  what === 'kernel'
    ? holdKernel()
    : what === 'baseline'
      ? holdBaseline()
      : what === 'bare'
        ? holdBare()
        : what === 'chain'
          ? chain(arg)
          : what === 'storm'
            ? storm(arg)
            : what === 'cut'
              ? cut(arg)
              : what === 'edit'
                ? edit(arg)
                : undefined;
if (!result) {
  process.stderr.write('usage: worker kernel | baseline | bare | chain <scene file> | storm <scene file> | cut <scene file> | edit <scene file>\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
