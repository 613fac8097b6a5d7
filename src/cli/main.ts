/**
 * The headless runner: `npm run sim -- <scene> [flags]`. Runs a scene, prints the programs' output
 * as it happens in simulated time, and writes captures, traces and a summary. Exit code 2 for a
 * bad scene or flag, 1 for a failure while running.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { buildNetwork } from '../scenario/build';
import { SCENE_LIMITS } from '../scenario/limits';
import { keyLogLines } from '../protocols/http/keylog';
import { RecordKind } from '../sim/trace';
import { rrSeries, rrSeriesCsv } from '../timeline/metrics';
import { writePcapng } from '../timeline/pcapng';
import { traceJsonChunks } from '../timeline/trace-json';
import { DEFAULT_WINDOW_NS, parseRunnerArgs, USAGE } from './args';
import { runHostCommand } from '../timeline/host-state';
import { parseDuration } from '../sim/units';
import { loadBranchFile } from './run-scene';

/** Simulated time between flushes of program output. */
const SLICE_NS = 10_000_000;

// eslint-disable-next-line max-lines-per-function -- the runner's steps in order (parse, load, run, write each output); each output is a few lines
function main(argv: string[]): number {
  const parsed = parseRunnerArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.args;
  let scene;
  try {
    scene = loadBranchFile(args.scene, args.acts);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const execs: { host: string; t: number; cmd: string; text: string }[] = [];
  for (const text of args.execs) {
    const m = /^\s*([^@\s]+)@(\S+)\s+(.+)$/.exec(text);
    const d = m ? parseDuration(m[2]) : undefined;
    if (!m || !d?.ok) {
      process.stderr.write(`--exec "${text}": ${m && d && !d.ok ? d.error : 'write HOST@TIME COMMAND, e.g. "h1@25ms ip neigh"'}\n`);
      return 2;
    }
    if (!scene.nodes.some((n) => n.id === m[1])) {
      process.stderr.write(`--exec "${text}": no node "${m[1]}" in the scene\n`);
      return 2;
    }
    execs.push({ host: m[1], t: d.ns, cmd: m[3], text });
  }
  const wallStart = performance.now();
  const network = buildNetwork(scene, args.seed ?? scene.seed);
  const { kernel, trace } = network.ctx;
  const end = Math.min(args.untilNs ?? scene.duration, scene.duration);
  let printed = 0;
  const flush = () => {
    for (; printed < trace.length; printed++) {
      if (trace.kind[printed] !== RecordKind.Log || args.quiet) continue;
      const t = (trace.time[printed] / 1e6).toFixed(3).padStart(10);
      process.stdout.write(`[${t} ms] ${trace.nodes[trace.place[printed]].name}: ${trace.string(trace.code[printed])}\n`);
    }
  };
  let overLimit = false;
  for (let t = Math.min(SLICE_NS, end); ; t = Math.min(t + SLICE_NS, end)) {
    kernel.runUntil(t);
    flush();
    if (kernel.eventsExecuted > SCENE_LIMITS.events) {
      process.stderr.write(
        `stopped at ${t / 1e6} ms of ${end / 1e6} ms: the run passed ${SCENE_LIMITS.events.toLocaleString('en-US')} events, the limit for one run; what ran so far is written\n`,
      );
      overLimit = true;
      break;
    }
    if (t >= end) break;
  }
  const wallMs = performance.now() - wallStart;

  for (const x of execs) {
    const r = runHostCommand({ scene, trace }, x.host, x.t, x.cmd);
    process.stdout.write(`${x.host}@${(x.t / 1e6).toFixed(3)}ms$ ${x.cmd}\n${r.preamble ?? ''}${r.stdout}`);
    if (r.stderr) process.stdout.write(r.stderr);
  }

  if (args.pcap) {
    try {
      writeFileSync(args.pcap, writePcapng(trace, { capture: args.capture }));
    } catch (e) {
      process.stderr.write(`--capture: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (args.trace) {
    const fd = openSync(args.trace, 'w');
    for (const chunk of traceJsonChunks(trace)) writeSync(fd, chunk);
    closeSync(fd);
  }
  if (args.keylog)
    writeFileSync(
      args.keylog,
      keyLogLines(trace)
        .map((l) => `${l}\n`)
        .join(''),
    );
  if (args.metrics) {
    const windows = rrSeries(trace, { windowNs: args.windowNs ?? DEFAULT_WINDOW_NS, from: 0, to: kernel.now });
    try {
      writeFileSync(args.metrics, rrSeriesCsv(windows));
    } catch (e) {
      process.stderr.write(`--metrics: cannot write ${args.metrics}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (args.summary) {
    let frames = 0;
    let drops = 0;
    for (let i = 0; i < trace.length; i++) {
      if (trace.kind[i] === RecordKind.FrameTx) frames++;
      else if (trace.kind[i] === RecordKind.Drop) drops++;
    }
    const events = kernel.eventsExecuted;
    process.stdout.write(
      `${JSON.stringify({ scene: scene.title, seed: args.seed ?? scene.seed, events, frames, drops, simTimeNs: kernel.now, wallMs: Math.round(wallMs), eventsPerSec: Math.round(events / (wallMs / 1000)), traceHash: trace.hash() })}\n`,
    );
  }
  return overLimit ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
