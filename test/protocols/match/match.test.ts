import { describe, expect, it } from 'vitest';
import { compileMatch, parseMatch } from '../../../src/protocols/match';
import { loadScene } from '../../../src/scenario/load';
import { TestNet } from '../../helpers/net';

function err(text: string): { message: string; column: number } {
  const r = parseMatch(text);
  if (r.ok) throw new Error(`parsed: ${text}`);
  return { message: r.error.message, column: r.error.position + 1 };
}

describe('match language: parsing', () => {
  it('parses precedence: not > and > or, with parentheses', () => {
    const r = parseMatch('not arp and (udp.port == 53 or icmp.type == 8) or tcp');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.expr.type).toBe('or');
  });

  it('reports errors with the column', () => {
    expect(err('tcp.sq == 1')).toEqual({ message: 'unknown field "tcp.sq" (did you mean tcp.seq?)', column: 1 });
    expect(err('tcp and ')).toEqual({ message: 'expected a protocol or field name, found the end', column: 9 });
    expect(err('ip.ttl = 3')).toEqual({ message: '"=" is not an operator; compare with "=="', column: 8 });
    expect(err('(tcp or udp')).toMatchObject({ column: 12 });
    expect(err('tcp.flags == SYN+FOO').message).toMatch(/"FOO" is not a TCP flag/);
    expect(err('ip.src < "x"').message).toMatch(/compares numbers/);
    expect(err('tcp udp')).toEqual({ message: 'expected "and", "or" or the end, found "udp"', column: 5 });
    expect(err('')).toMatchObject({ message: 'empty expression' });
  });
});

describe('match language: evaluation on real frames', () => {
  const net = TestNet.twoHosts('nc -l -p 5001', 'nc 10.0.0.2 5001 -n 5000').runUntil('50ms');
  const frames = net.frames('h1-h2');

  function matching(expr: string): number[] {
    const m = compileMatch(expr);
    if (!m.ok) throw new Error(m.error);
    return frames.flatMap((f, i) => (m.matcher.test(f.bytes) ? [i] : []));
  }

  it('protocol names, flags and addresses', () => {
    expect(matching('arp').length).toBe(2);
    expect(matching('tcp.flags == SYN').length).toBe(1);
    const synAck = matching('tcp.flags == SYN+ACK and ip.dst == 10.0.0.1');
    expect(synAck.length).toBe(1);
    expect(frames[synAck[0]].field('tcp.srcport')).toBe('5001');
    expect(matching('tcp.flags.syn == 1').length).toBe(2);
    expect(matching('arp.opcode == 2 and eth.dst == 02:00:00:00:01:01').length).toBe(1);
    expect(matching('not tcp and not arp')).toEqual([]);
    expect(matching('ip.addr == 10.0.0.2').length).toBe(matching('ip').length);
  });

  it('relative sequence numbers as Wireshark shows them', () => {
    const idx = matching('tcp.seq == 2921 and tcp.len > 0');
    expect(idx.length).toBe(1);
    expect(frames[idx[0]].field('tcp.len')).toBe('1460');
    expect(matching('tcp.seq == 0').length).toBe(2); // both SYNs
    expect(matching('tcp.ack == 5001 and ip.src == 10.0.0.2').length).toBeGreaterThan(0);
    expect(matching('tcp.port == 5001 and tcp.len >= 1460').length).toBe(3);
  });
});

describe('drop fault: match errors at scene validation', () => {
  it('names the fault path and the column', () => {
    const r = loadScene(
      `version: 1
title: t
duration: 1s
nodes: [{ id: h1, kind: host, ip: 10.0.0.1/24 }, { id: h2, kind: host, ip: 10.0.0.2/24 }]
links: [{ a: h1, b: h2 }]
faults:
  - { at: 1ms, link: h1-h2, drop: { match: "tcp and tcp.sqe == 1" } }
`,
      't.yaml',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'faults[0].drop.match: "tcp and tcp.sqe == 1": column 9: unknown field "tcp.sqe" (did you mean tcp.seq?)',
    ]);
  });
});
