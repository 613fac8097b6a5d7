/**
 * `npm run bench`: the figures the issues name, as medians of several runs, each in a fresh
 * process, with the kernel compared against a baseline queue measured in the same run.
 * Code is bundled first (as the browser build is), so module-loader overhead is not measured.
 * Writes bench/results/latest.json. Performance is reported here, never asserted in timed tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { build } from 'esbuild';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OUT_DIR = 'bench/results';
const WORKER = `${OUT_DIR}/.build/worker.mjs`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(args: string[]): Record<string, number | string>[] {
  const out: Record<string, number | string>[] = [];
  for (let i = 0; i < RUNS; i++) {
    const line = execFileSync(process.execPath, ['--max-old-space-size=4096', WORKER, ...args], { encoding: 'utf8' });
    out.push(JSON.parse(line.trim()));
    process.stderr.write('.');
  }
  return out;
}

function med(runs: Record<string, number | string>[], key: string): number {
  return median(runs.map((r) => Number(r[key])));
}

async function main(): Promise<void> {
  mkdirSync(`${OUT_DIR}/.build`, { recursive: true });
  await build({ entryPoints: ['bench/worker.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: WORKER, logLevel: 'warning' });

  process.stderr.write(`kernel hold model (${RUNS} runs) `);
  const kernel = measure(['kernel']);
  const baseline = measure(['baseline']);
  const bare = measure(['bare']);
  process.stderr.write(`\nbench-chain (${RUNS} runs) `);
  const chain = measure(['chain', 'scenes/bench-chain.yaml']);
  process.stderr.write(`\nbench-retry-storm (${RUNS} runs) `);
  const storm = measure(['storm', 'scenes/bench-retry-storm.yaml']);
  process.stderr.write(`\ncut a link: tcp-loss, retry-storm (${RUNS} runs) `);
  const cutTcp = measure(['cut', 'scenes/tcp-loss.yaml']);
  const cutStorm = measure(['cut', 'scenes/retry-storm.yaml']);
  process.stderr.write(`\nedit to first frame: router-ping, bench-editor-40 (${RUNS} runs) `);
  const editPing = measure(['edit', 'scenes/router-ping.yaml']);
  const edit40 = measure(['edit', 'scenes/bench-editor-40.yaml']);
  process.stderr.write('\n');

  const ns3 = measureNs3();
  const browser = measureBrowser();
  const embed = measureEmbedDownload();
  const stalls = measureLongTasks();
  const cutFigures = (runs: Record<string, number | string>[], targetMs: number) => ({
    action: runs[0].action,
    firstFrameMs: Math.round(med(runs, 'firstFrameMs')),
    wholeMs: Math.round(med(runs, 'wholeMs')),
    warmFirstFrameMs: Math.round(med(runs, 'warmFirstFrameMs')),
    warmWholeMs: Math.round(med(runs, 'warmWholeMs')),
    deterministic: runs.every((r) => r.replaysSame === 'true' && r.branchHash === runs[0].branchHash),
    targetMs,
  });

  const editFigures = (runs: Record<string, number | string>[], targetMs: number) => ({
    devices: runs[0].devices,
    firstFrameMs: Math.round(med(runs, 'firstFrameMs')),
    warmFirstFrameMs: Math.round(med(runs, 'warmFirstFrameMs')),
    warmEditAndValidateMs: Math.round(med(runs, 'warmEditAndValidateMs')),
    targetMs,
  });

  const hashes = new Set(chain.map((r) => r.traceHash));
  const results = {
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
    runs: RUNS,
    kernel: {
      pendingEvents: 10_000,
      eventsPerSec: Math.round(med(kernel, 'eventsPerSec')),
      baselineObjectHeapEventsPerSec: Math.round(med(baseline, 'eventsPerSec')),
      ratioVsBaseline: Number((med(kernel, 'eventsPerSec') / med(baseline, 'eventsPerSec')).toFixed(2)),
      bareTypedArrayHeapEventsPerSec: Math.round(med(bare, 'eventsPerSec')),
      ratioVsBareHeap: Number((med(kernel, 'eventsPerSec') / med(bare, 'eventsPerSec')).toFixed(2)),
      target: 5_000_000,
      targetRatioVsBareHeap: 0.7,
    },
    benchChain: {
      packetHops: chain[0].packetHops,
      events: chain[0].events,
      wallMs: Math.round(med(chain, 'wallMs')),
      packetHopsPerSec: Math.round(med(chain, 'packetHopsPerSec')),
      eventsPerSec: Math.round(med(chain, 'eventsPerSec')),
      peakRssMB: Math.round(med(chain, 'peakRssMB')),
      traceMB: Number(med(chain, 'traceMB').toFixed(1)),
      hashMs: Math.round(med(chain, 'hashMs')),
      traceHash: [...hashes].join(','),
      deterministic: hashes.size === 1,
      targets: { packetHopsPerSec: 500_000, peakRssMB: 200 },
    },
    benchRetryStorm: {
      clients: 10_000,
      simTimeS: Number(storm[0].simTimeNs) / 1e9,
      events: storm[0].events,
      attempts: storm[0].attempts,
      rows: storm[0].rows,
      wallMs: Math.round(med(storm, 'wallMs')),
      eventsPerSec: Math.round(med(storm, 'eventsPerSec')),
      peakRssMB: Math.round(med(storm, 'peakRssMB')),
      traceMB: Number(med(storm, 'traceMB').toFixed(1)),
      traceHash: [...new Set(storm.map((r) => r.traceHash))].join(','),
      deterministic: new Set(storm.map((r) => r.traceHash)).size === 1,
      target: { eventsPerSec: 1_000_000 },
    },
    ns3: 'error' in ns3 ? ns3 : { ...ns3, ratio: Number((med(chain, 'packetHopsPerSec') / Number(ns3.packetHopsPerSec)).toFixed(2)), targetRatio: 3 },
    cutLink: { tcpLoss: cutFigures(cutTcp, 200), retryStorm: cutFigures(cutStorm, 3000) },
    editToFirstFrame: { routerPing: editFigures(editPing, 150), bench40: editFigures(edit40, 400) },
    browser,
    embedDownload: embed,
    longTasks: stalls,
  };
  writeFileSync(`${OUT_DIR}/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
  const k = results.kernel;
  const c = results.benchChain;
  console.log(
    `kernel:      ${(k.eventsPerSec / 1e6).toFixed(2)} M events/s (median of ${RUNS}; object-heap baseline ${(k.baselineObjectHeapEventsPerSec / 1e6).toFixed(2)} M/s, ratio ${k.ratioVsBaseline}x; target 5 M/s)`,
  );
  console.log(
    `kernel/bare: ${k.ratioVsBareHeap}x of a bare typed-array heap's ${(k.bareTypedArrayHeapEventsPerSec / 1e6).toFixed(2)} M events/s in the same hold model (target at least 0.7)`,
  );
  console.log(
    `bench-chain: ${Math.round(c.packetHopsPerSec / 1000)} k packet-hops/s, ${(c.eventsPerSec / 1e6).toFixed(2)} M events/s, ${c.packetHops} hops in ${c.wallMs} ms (target 500 k/s)`,
  );
  const n = results.ns3;
  if ('error' in n) console.log(`ns-3:        not measured: ${n.error}`);
  else
    console.log(
      `ns-3:        ${Math.round(Number(n.packetHopsPerSec) / 1000)} k packet-hops/s on the same chain (ns-3 ${n.version}, median of ${n.runs}); Packetarium ${n.ratio}x ns-3 (target at least 3x)`,
    );
  console.log(`memory:      peak RSS ${c.peakRssMB} MB (trace ${c.traceMB} MB; target < 200 MB); same hash every run: ${c.deterministic}`);
  const s = results.benchRetryStorm;
  console.log(
    `retry storm: ${(s.eventsPerSec / 1e6).toFixed(2)} M events/s, ${s.events} events (${s.attempts} RR attempts, 10,000 clients, ${s.simTimeS} s simulated) in ${s.wallMs} ms; peak RSS ${s.peakRssMB} MB (trace ${s.traceMB} MB); same hash every run: ${s.deterministic} (target 1 M events/s)`,
  );
  for (const [name, c] of Object.entries(results.cutLink)) {
    console.log(
      `cut a link:  ${name}: "${c.action}" derived and simulated to its first frame past t in ${c.firstFrameMs} ms (whole run ${c.wholeMs} ms; a second cut in the same process ${c.warmFirstFrameMs} ms; target < ${c.targetMs} ms)`,
    );
  }
  for (const [name, e] of Object.entries(results.editToFirstFrame)) {
    console.log(
      `edit:        ${name} (${e.devices} devices): a link's latency edited, validated and re-simulated to its first frame in ${e.warmFirstFrameMs} ms (the first edit in a fresh process ${e.firstFrameMs} ms; edit and validation alone ${e.warmEditAndValidateMs} ms; target < ${e.targetMs} ms)`,
    );
  }
  if ('error' in browser) console.log(`browser:     not measured: ${browser.error}`);
  else {
    console.log(
      `browser:     frame ${browser.emptyMedianMs} ms empty, ${browser.packetsMedianMs} ms with ${browser.packets} packets in flight (ratio ${browser.ratio}; target < 16.7 ms), first frame ${browser.firstFrameMs} ms (SwiftShader)`,
    );
    const w = browser.stormWorker as unknown as StormFigures | undefined;
    const p = browser.stormInPage as unknown as StormFigures | undefined;
    if (w && p) {
      console.log(
        `storm load:  longest main-thread task while retry-storm computes ${w.longestTaskMs} ms in the worker (${w.framesWhileComputing} frames in ${w.computeMs} ms) vs ${p.longestTaskMs} ms in the page (${p.framesWhileComputing} frames in ${p.computeMs} ms)`,
      );
    }
  }
  if ('error' in embed) console.log(`embed:       not measured: ${embed.error}`);
  else {
    const kb = (n: number | string) => `${(Number(n) / 1000).toFixed(1)} kB`;
    console.log(
      `embed:       a 3D embed downloads ${kb(embed.total)} gzipped (initial ${kb(embed.initial)} + scene chunk ${kb(embed.sceneChunk)} + 3D ${kb(embed.threeD)} + worker ${kb(embed.worker)}; target at most 450 kB); with every protocol's on-demand chunks ${kb(embed.withEverything)}`,
    );
  }
  printLongTasks(stalls);
  console.log(`written to ${OUT_DIR}/latest.json`);
}

/** The embed's download in gzipped bytes (scripts/check-bundle.mjs --json on a production build). */
function measureEmbedDownload(): Record<string, number | string> {
  const dir = `${OUT_DIR}/.build/dist`;
  process.stderr.write('embed download: building ');
  const b = spawnSync('npx', ['vite', 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], { encoding: 'utf8' });
  process.stderr.write('\n');
  if (b.status !== 0) return { error: `vite build failed: ${(b.stderr || '').trim().split('\n').slice(-2).join(' ')}` };
  const r = spawnSync(process.execPath, ['scripts/check-bundle.mjs', dir, '--json'], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) return { error: (r.stderr || 'no result').trim().split('\n').slice(-2).join(' ') };
  const { failures, ...figures } = JSON.parse(line) as Record<string, number> & { failures: string[] };
  return { ...figures, budgetsMet: String(failures.length === 0) };
}

/** What bench/browser/frame-time.mjs reports about the page while the retry storm computes. */
interface StormFigures {
  longestTaskMs: number;
  framesWhileComputing: number;
  computeMs: number;
}

/**
 * The same chain in ns-3 (bench/ns3/udp-echo-chain.cc), when Debian's ns-3 is installed
 * (`apt-get install libns3-dev`): compiled here with g++, run a few times, medians reported.
 */
function measureNs3(): Record<string, number | string> {
  const pc = spawnSync('pkg-config', ['--modversion', 'ns3-core'], { encoding: 'utf8' });
  if (pc.status !== 0) return { error: 'ns-3 not installed (apt-get install libns3-dev)' };
  const version = pc.stdout.trim();
  const cflags = spawnSync('pkg-config', ['--cflags', 'ns3-core'], { encoding: 'utf8' }).stdout.trim().split(/\s+/).filter(Boolean);
  const exe = `${OUT_DIR}/.build/udp-echo-chain`;
  // Linked against the modules it uses only: ns-3's .pc files name optional libraries (GSL) that
  // may not be installed.
  const libs = ['core', 'network', 'internet', 'point-to-point', 'applications'].map((m) => `-lns3-${m}`);
  process.stderr.write('ns-3 chain: compiling ');
  const cc = spawnSync('g++', ['-O2', '-std=c++17', '-o', exe, 'bench/ns3/udp-echo-chain.cc', ...cflags, ...libs], { encoding: 'utf8' });
  if (cc.status !== 0) return { error: `g++ failed: ${cc.stderr.trim().split('\n').slice(-2).join(' ')}` };
  const runs = Math.min(RUNS, 3);
  const out: Record<string, number | string>[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(exe, [], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) return { error: `ns-3 run failed: ${(r.stderr || '').trim().slice(-200)}` };
    out.push(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  return {
    version,
    runs,
    echoes: out[0].echoes,
    packetHops: out[0].packetHops,
    events: out[0].events,
    wallMs: Math.round(med(out, 'wallMs')),
    packetHopsPerSec: Math.round(med(out, 'packetHopsPerSec')),
  };
}

/** Frame time and first-frame time from headless Chromium (bench/browser/frame-time.mjs), when Chromium is there. */
function measureBrowser(): Record<string, number | string> {
  const chromium = process.env.PACKETARIUM_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromium)) return { error: `Chromium not found at ${chromium} (apt-get install chromium)` };
  process.stderr.write('headless Chromium frame time ');
  const r = spawnSync(process.execPath, ['bench/browser/frame-time.mjs'], { encoding: 'utf8', timeout: 600_000 });
  process.stderr.write('\n');
  const line = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (r.status !== 0 || !line) return { error: (r.stderr || 'no result').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(line);
}

/** Longest main-thread tasks of the app in headless Chromium (bench/browser/long-tasks.mjs). */
function measureLongTasks(): Record<string, unknown> {
  const chromium = process.env.PACKETARIUM_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromium)) return { error: `Chromium not found at ${chromium} (apt-get install chromium)` };
  process.stderr.write('headless Chromium long tasks ');
  const r = spawnSync(process.execPath, ['bench/browser/long-tasks.mjs'], { encoding: 'utf8', timeout: 1_200_000 });
  process.stderr.write('\n');
  const line = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (r.status !== 0 || !line) return { error: (r.stderr || 'no result').trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(line);
}

/** One line per interaction: its longest main-thread task against the 50 ms target. */
function printLongTasks(lt: Record<string, unknown>): void {
  if ('error' in lt) {
    console.log(`long tasks:  not measured: ${String(lt.error)}`);
    return;
  }
  const ms = (path: string): number => Number(path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], lt));
  const target = Number(lt.targetMs);
  const rows: [string, string][] = [
    ['open the default scene (page load to first frame)', 'open.longestTaskMs'],
    ['switch scenes (tcp-loss, h2-vs-h3-loss, retry-storm, router-ping)', 'switch.longestTaskMs'],
    ['open a lesson (06-retry-storm)', 'lessonOpen.longestTaskMs'],
    ["move between the lesson's steps", 'lessonSteps.longestTaskMs'],
    ['open the 60 s, 10,000-client storm', 'storm.open.longestTaskMs'],
    ["scroll the storm's event list", 'storm.scroll.longestTaskMs'],
  ];
  for (const [what, key] of rows) console.log(`long task:   ${what}: ${ms(key)} ms (target: none over ${target} ms)`);
  console.log(`page memory: peak ${ms('storm.peakHeapMB')} MB (JS heap + array buffers) while the 60 s storm loads and scrolls (${ms('storm.rows')} rows)`);
}

void main();
