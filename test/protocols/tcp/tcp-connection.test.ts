import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../../src/protocols/tcp/tcp-header';
import { TestNet } from '../../helpers/net';
import { pair, segments, tcpOf } from './helpers';

const MS = 1e6;
const flags = (f: number) => [f & TCP_SYN && 'S', f & TCP_ACK && 'A', f & TCP_FIN && 'F', f & TCP_RST && 'R'].filter(Boolean).join('');

describe('TCP connection (RFC 9293)', () => {
  it('three-way handshake: ISNs, SYN+ACK acknowledges ISN+1, data starts at ISN+1', () => {
    const net = TestNet.fromYaml(
      pair('', `run:\n  - { on: h2, at: 0ms, cmd: "nc -l -p 5001" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -m hi" }`),
    ).runUntil('50ms');
    const s = segments(net, 'h1-h2');
    const [syn, synAck, ack, data] = s;
    expect(flags(syn.h.flags)).toBe('S');
    expect(syn.h.options.mss).toBe(1460);
    expect(flags(synAck.h.flags)).toBe('SA');
    expect(synAck.h.ack).toBe((syn.h.seq + 1) >>> 0);
    expect(synAck.h.options.mss).toBe(1460);
    expect(flags(ack.h.flags)).toBe('A');
    expect(ack.h.seq).toBe((syn.h.seq + 1) >>> 0);
    expect(ack.h.ack).toBe((synAck.h.seq + 1) >>> 0);
    expect(data.len).toBe(3);
    expect(data.h.seq).toBe((syn.h.seq + 1) >>> 0);
    const states = net
      .states('h1', 'tcp ')
      .filter((r) => r.key.endsWith(' state'))
      .map((r) => r.value);
    expect(states.slice(0, 2)).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(net.logs('h2')).toContain('hi');
  });

  it('ISNs come from the seeded RNG: same seed same ISN, other seed other ISN', () => {
    const yaml = pair('', `run:\n  - { on: h2, at: 0ms, cmd: "nc -l -p 5001" }\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 5001 -m hi" }`);
    const isn = (seed: number) => segments(TestNet.fromYaml(yaml, { seed }).runUntil('20ms'), 'h1-h2')[0].h.seq;
    expect(isn(1)).toBe(isn(1));
    expect(isn(1)).not.toBe(isn(2));
  });

  it('simultaneous open: SYN, SYN, SYN+ACK, SYN+ACK, both ESTABLISHED', () => {
    const net = TestNet.fromYaml(pair()).runUntil('1ms');
    const a = tcpOf(net, 'h1');
    const b = tcpOf(net, 'h2');
    let connected = 0;
    // ARP first so both SYNs cross on the wire.
    net.network.ctx.kernel.at(2 * MS, () => {
      a.connect(0x0a000002, 6000, { onConnect: () => connected++ }, { localPort: 5000 });
      b.connect(0x0a000001, 5000, { onConnect: () => connected++ }, { localPort: 6000 });
    });
    net.runUntil('100ms');
    const tcp = segments(net, 'h1-h2').map((s) => `${s.src}:${flags(s.h.flags)}`);
    expect(tcp.slice(0, 4).sort()).toEqual(['10.0.0.1:S', '10.0.0.1:SA', '10.0.0.2:S', '10.0.0.2:SA']);
    expect(connected).toBe(2);
    for (const h of ['h1', 'h2']) {
      const st = net
        .states(h, 'tcp ')
        .filter((r) => r.key.endsWith(' state'))
        .map((r) => r.value);
      expect(st).toEqual(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED']);
    }
  });

  it('simultaneous close: both FIN_WAIT_1 -> CLOSING -> TIME_WAIT', () => {
    const net = TestNet.fromYaml(pair()).runUntil('1ms');
    const a = tcpOf(net, 'h1');
    const b = tcpOf(net, 'h2');
    a.configure({ msl: 5 * MS });
    b.configure({ msl: 5 * MS });
    b.listen(5001, { onAccept: () => ({}) });
    const c = a.connect(0x0a000002, 5001, {});
    if (typeof c === 'string') throw new Error(c);
    net.runUntil('20ms');
    const server = b.sockets[0];
    expect(server.state).toBe('ESTABLISHED');
    net.network.ctx.kernel.at(30 * MS, () => {
      c.close();
      server.close();
    });
    net.runUntil('35ms');
    for (const h of ['h1', 'h2']) {
      const st = net
        .states(h, 'tcp 10')
        .filter((r) => r.key.endsWith(' state'))
        .map((r) => r.value);
      expect(st.slice(-3)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    }
  });

  it('TIME_WAIT lasts 2·MSL (configurable), then CLOSED; the passive closer goes LAST_ACK -> CLOSED', () => {
    const net = TestNet.fromYaml(pair()).runUntil('1ms');
    const a = tcpOf(net, 'h1');
    a.configure({ msl: 7 * MS });
    tcpOf(net, 'h2').listen(5001, { onAccept: () => ({ onEnd: (s) => s.close() }) });
    const c = a.connect(0x0a000002, 5001, { onConnect: (s) => s.close() });
    if (typeof c === 'string') throw new Error(c);
    net.runUntil('200ms');
    const rows = net.states('h1', `tcp ${c.id} state`);
    expect(rows.map((r) => r.value)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    const tw = rows.find((r) => r.value === 'TIME_WAIT')!;
    const closed = rows.find((r) => r.value === 'CLOSED')!;
    expect(closed.time - tw.time).toBe(14 * MS);
    const srv = net
      .states('h2', 'tcp 10')
      .filter((r) => r.key.endsWith(' state'))
      .map((r) => r.value);
    expect(srv).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('a SYN to a closed port gets RST+ACK (ack = seq + 1) and the client sees Connection refused', () => {
    const net = TestNet.fromYaml(pair('', `run:\n  - { on: h1, at: 1ms, cmd: "nc 10.0.0.2 7000 -m x" }`)).runUntil('50ms');
    const [syn, rst] = segments(net, 'h1-h2');
    expect(flags(rst.h.flags)).toBe('AR');
    expect(rst.h.seq).toBe(0);
    expect(rst.h.ack).toBe((syn.h.seq + 1) >>> 0);
    expect(net.logs('h1')).toContain('nc: connect to 10.0.0.2 port 7000 (tcp) failed: Connection refused');
    expect(net.drops('h2').map((d) => d.reason)).toContain('TCP port 7000 closed: sent RST');
  });

  it('abort sends RST and the peer reports Connection reset by peer', () => {
    const net = TestNet.fromYaml(pair()).runUntil('1ms');
    let error: string | undefined;
    tcpOf(net, 'h2').listen(5001, { onAccept: () => ({ onClose: (_s, e) => (error = e) }) });
    const c = tcpOf(net, 'h1').connect(0x0a000002, 5001, { onConnect: (s) => s.abort() });
    if (typeof c === 'string') throw new Error(c);
    net.runUntil('50ms');
    const last = segments(net, 'h1-h2').at(-1)!;
    expect(flags(last.h.flags)).toBe('R');
    expect(error).toBe('Connection reset by peer');
  });

  it('SYN retransmissions back off exponentially: 1 s, 2 s, 4 s (RFC 6298 §5.5)', () => {
    const net = TestNet.fromYaml(pair('', `faults:\n  - { at: 0ms, link: h1-h2, drop: { match: "tcp.flags == SYN", count: 3 } }`), {
      duration: '20s',
    }).runUntil('1ms');
    tcpOf(net, 'h2').listen(5001, { onAccept: () => ({}) });
    const c = tcpOf(net, 'h1').connect(0x0a000002, 5001, {});
    if (typeof c === 'string') throw new Error(c);
    net.runUntil('10s');
    const syns = segments(net, 'h1-h2').filter((s) => s.h.flags === TCP_SYN);
    expect(syns.length).toBe(4);
    const gaps = syns.slice(1).map((s, i) => Math.round((s.time - syns[i].time) / MS));
    // The first SYN waited ~2 ms for ARP; the timer started when connect() was called.
    expect(gaps[0]).toBeGreaterThanOrEqual(995);
    expect(gaps.slice(1)).toEqual([2000, 4000]);
    expect(c.state).toBe('ESTABLISHED');
    expect(
      net
        .states('h1', `tcp ${c.id} rto`)
        .map((r) => Number(r.value))
        .slice(0, 4),
    ).toEqual([1e9, 2e9, 4e9, 8e9]);
  });
});
