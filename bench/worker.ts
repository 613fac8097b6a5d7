/**
 * One benchmark measurement per process (so memory figures are the run's own):
 *   node worker.mjs kernel | baseline | bare | chain <scene file> | storm <scene file>
 * Prints one JSON line.
 */
import { loadSceneFile, simulate } from '../src/cli/run-scene';
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

const [what, arg] = process.argv.slice(2);
const result = what === 'kernel' ? holdKernel() : what === 'baseline' ? holdBaseline() : what === 'bare' ? holdBare() : what === 'chain' ? chain(arg) : what === 'storm' ? storm(arg) : undefined;
if (!result) {
  process.stderr.write('usage: worker kernel | baseline | bare | chain <scene file> | storm <scene file>\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
