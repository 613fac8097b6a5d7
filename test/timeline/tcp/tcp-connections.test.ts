import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { listTcpConnections, tcpSeries, timeSequenceGraph, valueAt } from '../../../src/timeline/tcp/tcp-connections';

const scene = (name: string) => loadSceneFile(join(fileURLToPath(new URL('../../../scenes/', import.meta.url)), name));

describe('TCP trace readers', () => {
  const trace = simulate(scene('tcp-loss.yaml')).trace;

  it('lists both ends of both connections', () => {
    const conns = listTcpConnections(trace);
    expect(conns.map((c) => `${c.node} ${c.local}:${c.remote}:${c.remotePort}`).sort()).toEqual([
      'h1 10.0.0.1:10.0.1.2:5001',
      'h2 10.0.1.2:10.0.0.1:' + conns.find((c) => c.node === 'h1')!.localPort,
      'h2 10.0.1.2:10.0.0.3:' + conns.find((c) => c.node === 'h3')!.localPort,
      'h3 10.0.0.3:10.0.1.2:5002',
    ]);
    const h1 = conns.find((c) => c.node === 'h1')!;
    expect(h1.finalState).toBe('TIME_WAIT');
  });

  it('series: states in order, cwnd starts at 10 MSS, ssthresh set by the loss, RTO from SRTT', () => {
    const h3 = listTcpConnections(trace).find((c) => c.node === 'h3')!;
    const s = tcpSeries(trace, h3);
    expect(s.state.map((x) => x.value).slice(0, 2)).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(s.cwnd[0].value).toBe(14600);
    expect(s.ssthresh[0].value).toBe(Infinity);
    expect(s.ssthresh.some((x) => Number.isFinite(x.value))).toBe(true);
    expect(s.srtt.length).toBeGreaterThan(0);
    expect(valueAt(s.state, s.state[0].time)).toBe('SYN_SENT');
    expect(valueAt(s.state, 1e12)).toBe(s.state.at(-1)!.value);
    expect(valueAt(s.state, 0)).toBeUndefined();
    expect(Math.max(...s.flight.map((x) => x.value))).toBeGreaterThan(0);
  });

  it('time-sequence graph: relative seqs, the dropped segment, its retransmission, ACK and window lines', () => {
    const h3 = listTcpConnections(trace).find((c) => c.node === 'h3')!;
    const g = timeSequenceGraph(trace, h3);
    expect(g.segments[0]).toMatchObject({ seq: 0, length: 1 }); // SYN
    const lost = g.segments.filter((x) => x.lost);
    expect(lost.map((x) => x.seq)).toEqual([2921]);
    const re = g.segments.filter((x) => x.retransmission);
    expect(re.map((x) => x.seq)).toEqual([2921]);
    expect(g.acks.length).toBeGreaterThan(10);
    expect(g.acks.at(-1)!.value).toBe(30002); // all data and the FIN
    expect(g.window.every((w, i) => w.value >= g.acks[i].value)).toBe(true);
    // Three duplicate ACKs for 2921 before the retransmission.
    const dups = g.acks.filter((a) => a.value === 2921 && a.time <= re[0].time);
    expect(dups.length).toBe(4);
  });
});
