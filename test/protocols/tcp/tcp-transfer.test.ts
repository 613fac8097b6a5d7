import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternBytes } from '../../../src/apps/nc/nc';
import { TCP_ACK } from '../../../src/protocols/tcp/tcp-header';
import { TestNet } from '../../helpers/net';
import { pair, segments, tcpOf, type Seg } from './helpers';

const MS = 1e6;

/** h1 sends `bytes` to h2:5001 at 2 ms; returns the net, the client socket and what h2 received. */
function transfer(yaml: string, bytes: number, opts: { until?: string; seed?: number; recvBuffer?: number; pauseServer?: [number, number] } = {}) {
  const net = TestNet.fromYaml(yaml, { seed: opts.seed, duration: '1000s' }).runUntil('1ms');
  const received: Uint8Array[] = [];
  const srv = tcpOf(net, 'h2');
  if (opts.recvBuffer) srv.configure({ recvBuffer: opts.recvBuffer });
  srv.listen(5001, {
    onAccept: (s) => {
      if (opts.pauseServer) {
        s.pause();
        net.network.ctx.kernel.after(opts.pauseServer[0], () => s.resume());
      }
      return { onData: (_s, d) => received.push(d), onEnd: (x) => x.close() };
    },
  });
  let client: ReturnType<typeof tcpOf>['sockets'][number] | undefined;
  net.network.ctx.kernel.at(2 * MS, () => {
    const c = tcpOf(net, 'h1').connect(0x0a000002, 5001, {
      onConnect: (s) => {
        s.send(patternBytes(bytes));
        s.close();
      },
    });
    if (typeof c === 'string') throw new Error(c);
    client = c;
  });
  net.runUntil(opts.until ?? '60s');
  const all = new Uint8Array(received.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of received) {
    all.set(r, o);
    o += r.length;
  }
  return { net, client: client!, data: all };
}

const dataSegs = (s: Seg[]) => s.filter((x) => x.src === '10.0.0.1' && x.len > 0);
const acksTo = (s: Seg[]) => s.filter((x) => x.src === '10.0.0.2' && x.h.flags & TCP_ACK);

describe('TCP data transfer', () => {
  it('slow start: cwnd grows by one MSS per ACK from the initial 10 segments', () => {
    const { net, client } = transfer(pair(', latency: 10ms'), 100_000);
    const cwnd = net.states('h1', `tcp ${client.id} cwnd`).map((r) => Number(r.value));
    expect(cwnd[0]).toBe(14600);
    const steps = cwnd.slice(1, 20).map((c, i) => c - cwnd[i]);
    expect(steps.every((d) => d === 1460)).toBe(true);
  });

  it('fast retransmit after exactly 3 duplicate ACKs, without waiting for the RTO', () => {
    const yaml = pair(', latency: 5ms', `faults:\n  - { at: 0ms, link: h1-h2, drop: { match: "tcp.seq == 2921 and tcp.len > 0", count: 1 } }`);
    const { net, client, data } = transfer(yaml, 30_000);
    expect(data).toEqual(patternBytes(30_000));
    const segs = segments(net, 'h1-h2');
    const lostSeq = dataSegs(segs)[2].h.seq; // relative 2921: the third full segment
    expect(net.drops('h1-h2').map((d) => d.reason)).toEqual(['dropped by fault: tcp.seq == 2921 and tcp.len > 0']);
    const firstTx = segs.findIndex((s) => s.src === '10.0.0.1' && s.h.seq === lostSeq && s.len > 0);
    const reTx = segs.findIndex((s, i) => i > firstTx && s.src === '10.0.0.1' && s.h.seq === lostSeq && s.len > 0);
    expect(reTx).toBeGreaterThan(firstTx);
    // ACKs for the hole that reached h1 before the retransmission was sent.
    const retransmitAt = segs[reTx].time;
    const dupAcks = acksTo(segs).filter((s) => s.h.ack === lostSeq && s.len === 0 && s.frame.arrival <= retransmitAt);
    expect(dupAcks.length).toBe(4); // the original ACK + exactly 3 duplicates
    expect(client.stats.fastRetransmits).toBe(1);
    expect(client.stats.timeouts).toBe(0);
    const ssthresh = net.states('h1', `tcp ${client.id} ssthresh`).map((r) => r.value);
    expect(ssthresh[0]).toBe('inf');
    expect(Number(ssthresh[1])).toBeGreaterThan(0);
  });

  it('NewReno: two losses in one window are repaired by partial ACKs, without a timeout', () => {
    const yaml = pair(
      ', latency: 5ms',
      `faults:\n  - { at: 0ms, link: h1-h2, drop: { match: "tcp.seq == 2921 and tcp.len > 0", count: 1 } }\n  - { at: 0ms, link: h1-h2, drop: { match: "tcp.seq == 8761 and tcp.len > 0", count: 1 } }`,
    );
    const { client, data } = transfer(yaml, 30_000);
    expect(data).toEqual(patternBytes(30_000));
    expect(client.stats.fastRetransmits).toBe(1);
    expect(client.stats.timeouts).toBe(0);
    expect(client.stats.retransmits).toBe(2);
  });

  it("a lost last segment is resent by the RTO, and Karn's rule takes no RTT sample from it", () => {
    const yaml = pair(', latency: 5ms', `faults:\n  - { at: 0ms, link: h1-h2, drop: { match: "tcp.seq == 2921 and tcp.len > 0", count: 1 } }`);
    const { net, client, data } = transfer(yaml, 4000);
    expect(data).toEqual(patternBytes(4000));
    expect(client.stats.timeouts).toBe(1);
    const segs = dataSegs(segments(net, 'h1-h2'));
    const re = segs.filter((s) => s.h.seq === segs[2].h.seq);
    expect(re.length).toBe(2);
    expect(re[1].time - re[0].time).toBeGreaterThanOrEqual(200 * MS); // at least the minimum RTO
    const srttRows = net.states('h1', `tcp ${client.id} srtt`);
    expect(srttRows.every((r) => r.time < re[1].time)).toBe(true);
  });

  it('zero window: the receiver stops reading, the sender probes, the transfer completes when it reads again', () => {
    const { net, client, data } = transfer(pair(), 40_000, { recvBuffer: 8000, pauseServer: [1000 * MS, 0] });
    expect(data).toEqual(patternBytes(40_000));
    const segs = segments(net, 'h1-h2');
    const zero = segs.filter((s) => s.src === '10.0.0.2' && s.h.window === 0);
    expect(zero.length).toBeGreaterThan(0);
    const probes = segs.filter((s) => s.src === '10.0.0.1' && s.len === 1 && s.time > zero[0].time);
    expect(probes.length).toBeGreaterThanOrEqual(2);
    // Probe intervals back off.
    expect(probes[1].time - probes[0].time).toBeGreaterThan(0);
    expect(client.state === 'TIME_WAIT' || client.state === 'CLOSED').toBe(true);
  });

  it('property: under random loss every byte arrives once, in order, and no segment exceeds the advertised window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 2000, max: 40000 }), (seed, lossPct, size) => {
        const { net, data } = transfer(pair(`, latency: 2ms, loss: ${lossPct / 100}`), size, { seed, recvBuffer: 6000, until: '600s' });
        expect(data).toEqual(patternBytes(size));
        // Flow control: each data segment h1 sends fits the latest window h2 advertised before it.
        let edge = -1;
        const segs = segments(net, 'h1-h2');
        const events = [
          ...segs.filter((s) => s.src === '10.0.0.2' && s.h.flags & TCP_ACK).map((s) => ({ t: s.frame.arrival, kind: 'ack' as const, s })),
          ...segs.filter((s) => s.src === '10.0.0.1').map((s) => ({ t: s.time, kind: 'data' as const, s })),
        ].sort((a, b) => a.t - b.t || (a.kind === 'ack' ? -1 : 1));
        for (const e of events) {
          if (e.kind === 'ack') {
            const right = e.s.h.ack + e.s.h.window;
            if (right > edge) edge = right; // the window never shrinks (RFC 9293)
          } else if (e.s.len > 1 && edge >= 0) {
            expect(e.s.h.seq + e.s.len).toBeLessThanOrEqual(edge);
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
