/**
 * Packet faults and partitions on router-ping. The first echo request from h1 is found in the
 * parent's trace by its packet id; a branch then drops, delays or corrupts that packet. A corrupted
 * frame is really corrupt: its IPv4 header checksum no longer verifies, and r1 (the next IP hop,
 * after a switch that forwards it as switches without an FCS to check do) discards it for that
 * reason, as Linux's ip_rcv does (RFC 1122 3.2.1.2: a datagram with a bad checksum is discarded).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyIpv4Checksum } from '../../../src/protocols/ipv4/ipv4';
import { deriveBranch, parseActions } from '../../../src/scenario/branch';
import { parseRawScene } from '../../../src/scenario/raw-scene';
import { simulate } from '../../../src/scenario/simulate';
import { RecordKind, type Trace } from '../../../src/sim/trace';

const parentRaw = parseRawScene(readFileSync('scenes/router-ping.yaml', 'utf8'));

function run(...lines: string[]): Trace {
  const p = parseActions(lines);
  if (!p.ok) throw new Error(p.errors.join('\n'));
  const d = deriveBranch({ parent: parentRaw, actions: p.actions });
  if (!d.ok) throw new Error(d.errors.join('\n'));
  return simulate(d.scene).trace;
}

const parent = run();
/** Rows of packet `id` of a kind. */
const rows = (t: Trace, kind: number, id: number) => [...Array(t.length).keys()].filter((r) => t.kind[r] === kind && t.packet[r] === id);
// The first ICMP frame (IPv4 protocol 1) that h1 puts on h1-sw1.
const first = [...Array(parent.length).keys()].find((r) => parent.kind[r] === RecordKind.FrameTx && parent.frameBytes(parent.frame[r])[23] === 1)!;
const echo = parent.packet[first];

describe('packet faults', () => {
  it('drop packet N: its first frame is lost on the wire and the ping gets no reply for it', () => {
    const t = run(`0ms drop packet ${echo}`);
    const drops = rows(t, RecordKind.Drop, echo);
    expect(drops).toHaveLength(1);
    expect(t.string(t.code[drops[0]])).toBe(`dropped by fault: drop packet ${echo}`);
    expect(rows(t, RecordKind.FrameTx, echo)).toHaveLength(1); // never forwarded past sw1
  });

  it('delay packet N 5ms: the frame arrives 5 ms after it would have', () => {
    const t = run(`0ms delay packet ${echo} 5ms`);
    const r = rows(t, RecordKind.FrameTx, echo)[0];
    expect(t.arrival[r] - parent.arrival[first]).toBe(5_000_000);
    expect(t.time[r]).toBe(parent.time[first]);
  });

  it('corrupt packet N: the header checksum fails and r1 discards the packet for it', () => {
    const t = run(`0ms corrupt packet ${echo}`);
    const tx = rows(t, RecordKind.FrameTx, echo);
    expect(verifyIpv4Checksum(t.frameBytes(t.frame[tx[0]]), 14)).toBe(false);
    expect(verifyIpv4Checksum(parent.frameBytes(parent.frame[first]), 14)).toBe(true);
    const drops = rows(t, RecordKind.Drop, echo);
    expect(drops.map((r) => [t.nodes[t.place[r]].name, t.string(t.code[r])])).toEqual([['r1', 'bad IPv4 header checksum']]);
  });

  it('a packet fault after the packet has gone changes nothing', () => {
    expect(run(`39ms drop packet ${echo}`).hash()).toBe(parent.hash());
  });
});

describe('partition', () => {
  it('h1 | h2: no echo request reaches h2 after the cut; ARP still crosses', () => {
    const t = run('0ms partition h1 | h2');
    const reasons = [...Array(t.length).keys()].filter((r) => t.kind[r] === RecordKind.Drop).map((r) => t.string(t.code[r]));
    expect(reasons.filter((x) => x === 'dropped by fault: partition h1 | h2')).toHaveLength(3);
    const h2 = t.nodes.findIndex((n) => n.name === 'h2');
    expect([...Array(t.length).keys()].some((r) => t.kind[r] === RecordKind.Log && t.place[r] === h2)).toBe(false);
  });

  it('heal ends the partition: the echo request sent after it crosses, and its reply comes back', () => {
    const t = run('0ms partition h1 | h2', '15ms heal');
    const drops = [...Array(t.length).keys()].filter((r) => t.kind[r] === RecordKind.Drop);
    expect(drops.map((r) => t.string(t.code[r]))).toEqual(['dropped by fault: partition h1 | h2', 'dropped by fault: partition h1 | h2']);
    expect(drops.every((r) => t.time[r] < 15_000_000)).toBe(true);
    const h1 = t.nodes.findIndex((n) => n.name === 'h1');
    const lines = [...Array(t.length).keys()].filter((r) => t.kind[r] === RecordKind.Log && t.place[r] === h1).map((r) => t.string(t.code[r]));
    expect(lines.some((l) => /^64 bytes from 10\.0\.1\.5: icmp_seq=3 /.test(l))).toBe(true);
    expect(lines.some((l) => /icmp_seq=1 /.test(l))).toBe(false);
  });

  it('a partition given after a heal applies again', () => {
    const t = run('0ms partition h1 | h2', '5ms partition off', '15ms partition h1 | h2');
    const drops = [...Array(t.length).keys()].filter((r) => t.kind[r] === RecordKind.Drop);
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((r) => t.time[r] >= 15_000_000 && t.string(t.code[r]) === 'dropped by fault: partition h1 | h2')).toBe(true);
  });
});
