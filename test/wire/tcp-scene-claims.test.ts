/**
 * What the TCP scenes' descriptions say, checked against their captures as tshark reads them (and,
 * for what a capture cannot show, TCP states and program output, against the trace). Each `it` is
 * one claim of a description, in its words.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../src/cli/run-scene';
import { DEFAULT_START_EPOCH_NS, writePcapng } from '../../src/timeline/pcapng';
import { TraceView } from '../helpers/net';
import { requireTshark } from './tshark';

const SCENES = fileURLToPath(new URL('../../scenes/', import.meta.url));
const MSS = 1460;

/** One TCP segment as tshark dissects it (relative sequence numbers, tshark's own analysis). */
interface Pkt {
  /** Simulated time, ns. */
  t: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  syn: boolean;
  ack: boolean;
  fin: boolean;
  rst: boolean;
  seq: number;
  ackNo: number;
  len: number;
  mss: number | null;
  dupAckNum: number;
  /** Marked as any kind of resend (retransmission, fast retransmission, out-of-order). */
  resent: boolean;
  fastRetransmission: boolean;
  bytesInFlight: number | null;
}

const FIELDS = [
  'frame.time_epoch',
  'ip.src',
  'ip.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.flags.fin',
  'tcp.flags.reset',
  'tcp.seq',
  'tcp.ack',
  'tcp.len',
  'tcp.options.mss_val',
  'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.bytes_in_flight',
];

function epochToSimNs(text: string): number {
  const [s, frac = ''] = text.split('.');
  const ns = BigInt(s) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
  return Number(ns - BigInt(DEFAULT_START_EPOCH_NS));
}

/** The TCP segments of a capture taken on `device`, as tshark reads them. */
function tsharkTcp(view: TraceView, device: string): Pkt[] {
  const dir = mkdtempSync(join(tmpdir(), 'packetarium-claims-'));
  try {
    const path = join(dir, 'capture.pcapng');
    writeFileSync(path, writePcapng(view.trace, { capture: device }));
    const args = ['-n', '-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=/t', ...FIELDS.flatMap((f) => ['-e', f])];
    const r = spawnSync('tshark', args, { encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: dir } });
    if (r.status !== 0) throw new Error(r.stderr);
    const flag = (v: string) => v === '1' || v === 'True';
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const c = line.split('\t');
        return {
          t: epochToSimNs(c[0]),
          src: c[1],
          dst: c[2],
          sport: Number(c[3]),
          dport: Number(c[4]),
          syn: flag(c[5]),
          ack: flag(c[6]),
          fin: flag(c[7]),
          rst: flag(c[8]),
          seq: Number(c[9]),
          ackNo: Number(c[10]),
          len: Number(c[11]),
          mss: c[12] ? Number(c[12]) : null,
          dupAckNum: c[13] ? Number(c[13]) : 0,
          resent: c[14] !== '' || c[15] !== '' || c[16] !== '',
          fastRetransmission: c[15] !== '',
          bytesInFlight: c[17] ? Number(c[17]) : null,
        };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Times each TCP state was entered on `node` (first time), over all its connections to 10.x. */
function stateTimes(view: TraceView, node: string, port?: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of view.states(node, 'tcp 10.')) {
    if (!r.key.endsWith(' state') || (port !== undefined && !r.key.includes(`:${port}`))) continue;
    if (!out.has(r.value)) out.set(r.value, r.time);
  }
  return out;
}

/** Values of one numeric TCP variable of `node`'s connection, in order. */
function series(view: TraceView, node: string, field: string): { time: number; value: number }[] {
  return view
    .states(node, 'tcp 10.')
    .filter((r) => r.key.endsWith(` ${field}`))
    .map((r) => ({ time: r.time, value: r.value === 'inf' ? Infinity : Number(r.value) }));
}

describe('tcp-teardown: what its description says', () => {
  let view: TraceView;
  let onH2: Pkt[];
  let onH1: Pkt[];
  const c1 = (p: Pkt) => p.sport === 5001 || p.dport === 5001;
  beforeAll(() => {
    requireTshark();
    view = new TraceView(simulate(loadSceneFile(join(SCENES, 'tcp-teardown.yaml'))).trace);
    onH2 = tsharkTcp(view, 'h2').filter(c1);
    onH1 = tsharkTcp(view, 'h1').filter(c1);
  });

  it('h1 sends a line to h2 and closes its side at once with a FIN', () => {
    const fromH1 = onH1.filter((p) => p.src === '10.0.0.1');
    const line = fromH1.find((p) => p.len > 0)!;
    expect([line.seq, line.len]).toEqual([1, 'see you later\n'.length]);
    const fin = fromH1.find((p) => p.fin)!;
    expect(fin.seq).toBe(line.seq + line.len);
    // "at once": h1 has nothing else to send; it closes before any of h2's data reaches it.
    const firstData = onH1.find((p) => p.src === '10.0.0.2' && p.len > 0)!;
    expect(fin.t).toBeLessThan(firstData.t);
  });

  it("h2's TCP acknowledges the FIN with a bare ACK of its own, not folded into h2's FIN", () => {
    const fin1 = onH2.find((p) => p.src === '10.0.0.1' && p.fin)!;
    const ackOfFin = onH2.find((p) => p.src === '10.0.0.2' && p.ackNo === fin1.seq + 1)!;
    expect(ackOfFin.t).toBeGreaterThanOrEqual(fin1.t);
    expect([ackOfFin.fin, ackOfFin.len, ackOfFin.ack]).toEqual([false, 0, true]);
    const fin2 = onH2.find((p) => p.src === '10.0.0.2' && p.fin)!;
    expect(fin2.t).toBeGreaterThan(ackOfFin.t);
  });

  it('h1 is then in FIN_WAIT_2 and h2 in CLOSE_WAIT: half closed', () => {
    const h1 = stateTimes(view, 'h1', 5001);
    const h2 = stateTimes(view, 'h2', 5001);
    expect(h2.get('CLOSE_WAIT')).toBeDefined();
    expect(h1.get('FIN_WAIT_2')).toBeGreaterThan(h2.get('CLOSE_WAIT')!);
    expect(h1.get('FIN_WAIT_2')).toBeLessThan(h2.get('LAST_ACK')!);
  });

  it('h2 keeps sending the rest of its 20000 bytes, and h1 acknowledges them from FIN_WAIT_2', () => {
    const fin1 = onH2.find((p) => p.src === '10.0.0.1' && p.fin)!;
    const after = onH2.filter((p) => p.src === '10.0.0.2' && p.len > 0 && p.t > fin1.t);
    expect(after.length).toBeGreaterThan(0);
    const last = onH2.filter((p) => p.src === '10.0.0.2' && p.len > 0).at(-1)!;
    expect(last.seq + last.len - 1).toBe(20000);
    const h1 = stateTimes(view, 'h1', 5001);
    const acksInFinWait2 = onH1.filter((p) => p.src === '10.0.0.1' && p.len === 0 && !p.fin && p.t > h1.get('FIN_WAIT_2')! && p.t < h1.get('TIME_WAIT')!);
    expect(acksInFinWait2.map((p) => p.ackNo).at(-1)).toBe(20001);
    expect(view.logs('h1').at(-1)).toMatch(/received 20000 bytes/);
  });

  it("only once nc on h2 has sent everything does it close: its FIN (LAST_ACK) comes a round trip after h1's", () => {
    const fin2 = onH2.find((p) => p.src === '10.0.0.2' && p.fin)!;
    const data = onH2.filter((p) => p.src === '10.0.0.2' && p.len > 0);
    expect(fin2.t).toBeGreaterThanOrEqual(data.at(-1)!.t);
    expect(fin2.seq).toBe(20001);
    // Round trip from the handshake as h2 saw it: SYN+ACK sent, ACK received.
    const synAck = onH2.find((p) => p.syn && p.ack)!;
    const rtt = onH2.find((p) => p.src === '10.0.0.1' && !p.syn && p.t > synAck.t)!.t - synAck.t;
    const fin1 = onH2.find((p) => p.src === '10.0.0.1' && p.fin)!;
    expect(fin2.t - fin1.t).toBeGreaterThanOrEqual(rtt);
    const h2 = stateTimes(view, 'h2', 5001);
    expect(h2.get('LAST_ACK')! - h2.get('CLOSE_WAIT')!).toBeGreaterThanOrEqual(rtt);
  });

  it('h1 acknowledges that FIN and waits in TIME_WAIT (to the end of the scene); h2 goes straight to CLOSED', () => {
    const fin2 = onH1.find((p) => p.src === '10.0.0.2' && p.fin)!;
    expect(onH1.some((p) => p.src === '10.0.0.1' && p.ackNo === fin2.seq + 1 && p.t >= fin2.t)).toBe(true);
    const h1 = view.states('h1', 'tcp 10.').filter((r) => r.key.endsWith(' state') && r.key.includes(':5001'));
    expect(h1.at(-1)!.value).toBe('TIME_WAIT');
    const h2 = view.states('h2', 'tcp 10.').filter((r) => r.key.endsWith(' state') && r.key.includes(':5001'));
    expect(h2.slice(-2).map((r) => r.value)).toEqual(['LAST_ACK', 'CLOSED']);
  });

  it('at 20 ms h3 tries port 7000 on h2, which answers the SYN with a RST; nc reports "Connection refused"', () => {
    const p = tsharkTcp(view, 'h3');
    expect(p[0].syn && p[0].dport === 7000 && p[0].t >= 20e6).toBe(true);
    expect(p.find((x) => x.src === '10.0.0.2')!).toMatchObject({ rst: true, ack: true, ackNo: 1 });
    expect(view.logs('h3').at(-1)).toMatch(/Connection refused$/);
  });
});

describe('tcp-congestion: what its description says', () => {
  let view: TraceView;
  let pk: Pkt[];
  let data: Pkt[];
  let acks: Pkt[];
  let cwnd: { time: number; value: number }[];
  let ssthresh: { time: number; value: number }[];
  let flight: { time: number; value: number }[];
  beforeAll(() => {
    requireTshark();
    view = new TraceView(simulate(loadSceneFile(join(SCENES, 'tcp-congestion.yaml'))).trace);
    pk = tsharkTcp(view, 'h1');
    data = pk.filter((p) => p.src === '10.0.0.1' && p.len > 0);
    acks = pk.filter((p) => p.src === '10.0.1.2');
    cwnd = series(view, 'h1', 'cwnd');
    ssthresh = series(view, 'h1', 'ssthresh').filter((r) => r.value !== Infinity);
    flight = series(view, 'h1', 'flight');
  });
  const drops = () => view.drops().filter((d) => d.reason.startsWith('queue full'));
  const recoveryEnd = () => cwnd.find((r) => r.time > ssthresh[0].time && r.value < cwnd.find((x) => x.time === ssthresh[0].time)!.value / 4)!;

  it('the congestion window starts at 10 segments: 10 full segments leave before the first ACK', () => {
    expect(cwnd[0].value).toBe(10 * MSS);
    const firstAck = acks.find((p) => !p.syn && p.ackNo > 1)!;
    expect(data.filter((p) => p.t < firstAck.t).map((p) => p.len)).toEqual(Array(10).fill(MSS));
  });

  it('it doubles every round trip (slow start): one segment more per ACK until the first loss', () => {
    const before = cwnd.filter((r) => r.time < ssthresh[0].time);
    for (let i = 1; i < before.length; i++) expect(before[i].value - before[i - 1].value).toBe(MSS);
    expect(before.at(-1)!.value).toBeGreaterThanOrEqual(4 * cwnd[0].value);
  });

  it('the queue overflows and every second segment of the doubled window is lost, 13 in all', () => {
    const first = drops().filter((d) => d.time < ssthresh[0].time);
    expect(first.length).toBe(13);
    const seqs = first.map((d) => ((d.frame![38] << 24) | (d.frame![39] << 16) | (d.frame![40] << 8) | d.frame![41]) >>> 0);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i] - seqs[i - 1]) >>> 0).toBe(2 * MSS);
  });

  it('three duplicate ACKs trigger a fast retransmit; ssthresh becomes half the bytes in flight', () => {
    const firstResend = data.find((p) => p.resent)!;
    expect(firstResend.fastRetransmission).toBe(true);
    const dups = acks.filter((p) => p.t <= firstResend.t && p.dupAckNum > 0);
    expect(dups.at(-1)!.dupAckNum).toBe(3);
    const inFlight = flight.filter((r) => r.time < ssthresh[0].time).at(-1)!.value;
    expect(ssthresh[0].value).toBe(Math.floor(inFlight / 2));
  });

  it('NewReno repairs the 13 holes one per round trip (each partial ACK resends the next), in about 300 ms', () => {
    const end = recoveryEnd().time;
    const resent = data.filter((p) => p.resent && p.t < end);
    expect(resent.length).toBe(13);
    // One per round trip: each resend waits for the partial ACK of the previous (RTT ≥ 22 ms here).
    for (let i = 1; i < resent.length; i++) expect(resent[i].t - resent[i - 1].t).toBeGreaterThanOrEqual(22e6);
    const firstResend = resent[0].t;
    expect((end - firstResend) / 1e6).toBeGreaterThan(250);
    expect((end - firstResend) / 1e6).toBeLessThan(350);
  });

  it("meanwhile h2's 64 KB window holds h1 back: iperf3's second interval moves little", () => {
    for (const p of data) if (p.bytesInFlight !== null) expect(p.bytesInFlight).toBeLessThanOrEqual(65535);
    const kb = view
      .logs('h1')
      .filter((l) => / sec .* KBytes$/.test(l))
      .map((l) => Number(/sec +([\d.]+) KBytes/.exec(l)![1]));
    expect(kb[1]).toBeLessThan(kb[2] / 4);
  });

  it('the ACK that ends recovery leaves a window of three segments: slow start again up to ssthresh, then about one segment per round trip', () => {
    const end = recoveryEnd();
    expect(end.value).toBe(3 * MSS);
    const next = cwnd.filter((r) => r.time >= end.time && r.time < ssthresh[1].time);
    const below = next.filter((r, i) => i > 0 && next[i - 1].value < ssthresh[0].value);
    for (const r of below) expect(r.value - next[next.indexOf(r) - 1].value).toBe(MSS);
    const above = next.filter((r, i) => i > 0 && next[i - 1].value >= ssthresh[0].value);
    expect(above.length).toBeGreaterThan(0);
    // Congestion avoidance: MSS²/cwnd per ACK, so about one MSS per window's worth of ACKs.
    for (const r of above) {
      const prev = next[next.indexOf(r) - 1].value;
      expect(r.value - prev).toBe(Math.max(1, Math.floor((MSS * MSS) / prev)));
    }
  });

  it('each later overflow loses a single segment, repaired by one fast retransmit, and halves the window: the sawtooth', () => {
    const later = drops().filter((d) => d.time > recoveryEnd().time);
    expect(later.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < later.length; i++) expect(later[i].time - later[i - 1].time).toBeGreaterThan(100e6);
    const resent = data.filter((p) => p.resent && p.t > recoveryEnd().time);
    expect(resent.length).toBe(later.length);
    for (const r of resent) expect(r.fastRetransmission).toBe(true);
    // After each loss ssthresh is half the flight; the trace publishes it when it changes.
    for (const s of ssthresh.slice(1)) {
      const inFlight = flight.filter((r) => r.time < s.time).at(-1)!.value;
      expect(s.value).toBe(Math.floor(inFlight / 2));
    }
  });

  it('at 2 s iperf3 stops writing and prints its summary; what it wrote still drains before its FIN', () => {
    const rows = view.logRows('h1');
    const connected = rows.find((l) => l.text.includes('connected to'))!.time;
    const summary = rows.find((l) => l.text.endsWith('sender'))!;
    expect(summary.time).toBe(connected + 2e9);
    expect(summary.text).toMatch(/ 0\.00-2\.00 {3}sec /);
    const fin = pk.find((p) => p.src === '10.0.0.1' && p.fin)!;
    expect(fin.t).toBeGreaterThan(summary.time);
    expect(data.filter((p) => p.t > summary.time).length).toBeGreaterThan(0);
  });
});

describe('tcp-handshake: what its description says', () => {
  let view: TraceView;
  let pk: Pkt[];
  beforeAll(() => {
    requireTshark();
    view = new TraceView(simulate(loadSceneFile(join(SCENES, 'tcp-handshake.yaml'))).trace);
    pk = tsharkTcp(view, 'h1');
  });

  it("first come three segments with no data: SYN (with h1's MSS), SYN+ACK (acknowledging h1's ISN plus one), ACK", () => {
    const [syn, synAck, ack] = pk;
    expect(syn).toMatchObject({ src: '10.0.0.1', syn: true, ack: false, len: 0, seq: 0, mss: 1460 });
    expect(synAck).toMatchObject({ src: '10.0.1.2', syn: true, ack: true, len: 0, seq: 0, ackNo: 1 });
    expect(ack).toMatchObject({ src: '10.0.0.1', syn: false, ack: true, len: 0, seq: 1, ackNo: 1 });
  });

  it("only then does the line travel, as bytes 1 to 6 of h1's stream, and h2 acknowledges the next byte it expects", () => {
    const line = pk.find((p) => p.len > 0)!;
    expect(pk.indexOf(line)).toBe(3);
    expect([line.src, line.seq, line.len]).toEqual(['10.0.0.1', 1, 6]);
    expect(pk.find((p) => p.src === '10.0.1.2' && p.t > line.t)!.ackNo).toBe(7);
  });

  it('each side goes from SYN_SENT / SYN_RECEIVED to ESTABLISHED', () => {
    const h1 = [...stateTimes(view, 'h1').keys()];
    const h2 = [...stateTimes(view, 'h2').keys()];
    expect(h1.slice(0, 2)).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(h2.slice(0, 2)).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
  });
});

describe('tcp-loss: what its description says', () => {
  let view: TraceView;
  let h1: Pkt[];
  let h3: Pkt[];
  beforeAll(() => {
    requireTshark();
    view = new TraceView(simulate(loadSceneFile(join(SCENES, 'tcp-loss.yaml'))).trace);
    h1 = tsharkTcp(view, 'h1').filter((p) => p.sport === 5001 || p.dport === 5001);
    h3 = tsharkTcp(view, 'h3').filter((p) => p.sport === 5002 || p.dport === 5002);
  });
  const resends = (pk: Pkt[]) => pk.filter((p) => p.len > 0 && p.resent);

  it('each transfer loses exactly one segment, relative sequence 2921 (the third), on the r1-h2 link', () => {
    const drops = view.drops();
    expect(drops.map((d) => d.where)).toEqual(['r1-h2', 'r1-h2']);
    for (const pk of [h1, h3]) {
      expect(resends(pk).map((p) => p.seq)).toEqual([2921]);
      const data = pk.filter((p) => p.len > 0 && !p.resent);
      expect(data.findIndex((p) => p.seq === 2921)).toBe(2);
    }
  });

  it('h1 sends 4000 bytes, so the lost segment is its last; only its FIN follows, and h2 repeats its ACK for 2921 once', () => {
    const data = h1.filter((p) => p.len > 0 && !p.resent);
    expect(data.at(-1)!.seq + data.at(-1)!.len - 1).toBe(4000);
    expect(data.at(-1)!.seq).toBe(2921);
    const resend = resends(h1)[0];
    const between = h1.filter((p) => p.t > data.at(-1)!.t && p.t < resend.t);
    expect(between.filter((p) => p.src === '10.0.0.1').map((p) => [p.fin, p.len])).toEqual([[true, 0]]);
    expect(Math.max(...between.map((p) => p.dupAckNum))).toBe(1);
  });

  it('so h1 waits for its retransmission timer, at least 200 ms, before sending the segment again', () => {
    const first = h1.find((p) => p.len > 0 && p.seq === 2921 && !p.resent)!;
    const resend = resends(h1)[0];
    expect(resend.fastRetransmission).toBe(false);
    expect(resend.t - first.t).toBeGreaterThanOrEqual(200e6);
  });

  it('h3 (30000 bytes) retransmits on the third duplicate ACK, without waiting for the timer, and halves its window', () => {
    const resend = resends(h3)[0];
    expect(resend.fastRetransmission).toBe(true);
    const third = h3.find((p) => p.dupAckNum === 3)!;
    expect(resend.t).toBe(third.t);
    const first = h3.find((p) => p.len > 0 && p.seq === 2921 && !p.resent)!;
    expect(resend.t - first.t).toBeLessThan(200e6);
    expect(view.logs('h2').some((l) => / closed: received 30000 bytes/.test(l))).toBe(true);
    const ssthresh = series(view, 'h3', 'ssthresh').filter((r) => r.value !== Infinity)[0];
    const flight = series(view, 'h3', 'flight')
      .filter((r) => r.time < ssthresh.time)
      .at(-1)!.value;
    expect(ssthresh.value).toBe(Math.max(Math.floor(flight / 2), 2 * MSS));
  });
});

describe('udp-vs-tcp: what its description says', () => {
  let view: TraceView;
  beforeAll(() => {
    requireTshark();
    view = new TraceView(simulate(loadSceneFile(join(SCENES, 'udp-vs-tcp.yaml'))).trace);
  });

  it('the r1-h2 link loses about one frame in ten', () => {
    const lost = view.drops('r1-h2').length;
    const sent = view.frames('r1-h2').length;
    expect(lost / sent).toBeGreaterThan(0.05);
    expect(lost / sent).toBeLessThan(0.2);
  });

  it('UDP: what the link loses is gone (nothing is sent twice), and udp-echo reports the loss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'packetarium-claims-'));
    try {
      const path = join(dir, 'capture.pcapng');
      writeFileSync(path, writePcapng(view.trace, { capture: 'h1' }));
      const r = spawnSync('tshark', ['-n', '-r', path, '-Y', 'udp', '-T', 'fields', '-e', 'ip.src', '-e', 'udp.payload'], {
        encoding: 'utf8',
        env: { ...process.env, WIRESHARK_CONFIG_DIR: dir },
      });
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const requests = rows.filter((c) => c[0] === '10.0.0.1');
      const replies = rows.filter((c) => c[0] === '10.0.1.2');
      expect(requests.length).toBe(20);
      expect(new Set(requests.map((c) => c[1])).size).toBe(20);
      const report = view.logs('h1').find((l) => / packets transmitted, /.test(l))!;
      const [, sent, received] = /^(\d+) packets transmitted, (\d+) received/.exec(report)!;
      expect([Number(sent), Number(received)]).toEqual([20, replies.length]);
      expect(replies.length).toBeLessThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('TCP: every lost segment of h3 is sent again, and every one of the 20000 bytes arrives', () => {
    const pk = tsharkTcp(view, 'h3').filter((p) => p.src === '10.0.0.3' && p.len > 0);
    const lostSeqs = view
      .drops('r1-h2')
      .filter((d) => d.frame && d.frame[23] === 6 && d.frame[34] === pk[0].sport >> 8 && d.frame[35] === (pk[0].sport & 0xff))
      .filter((d) => ((d.frame![16] << 8) | d.frame![17]) > 40);
    expect(lostSeqs.length).toBeGreaterThan(0);
    expect(pk.filter((p) => p.resent).length).toBeGreaterThanOrEqual(lostSeqs.length);
    expect(view.logs('h2').some((l) => / closed: received 20000 bytes/.test(l))).toBe(true);
  });
});
