import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MIN_FRAME_BYTES, Place, RecordKind, Trace, sharedBytes, type SharedBytes } from '../../src/sim/trace';

function twoNodeTrace(): { trace: Trace; h1: number; r1: number; l1: number; l2: number } {
  const trace = new Trace();
  const h1 = trace.defineNode('h1', 'host');
  const r1 = trace.defineNode('r1', 'router');
  const h2 = trace.defineNode('h2', 'host');
  const l1 = trace.defineLink('h1-r1', h1, r1, 'eth0', 'eth0');
  const l2 = trace.defineLink('r1-h2', r1, h2, 'eth1', 'eth0');
  return { trace, h1, r1, l1, l2 };
}

const filled = (n: number, v: number) => new Uint8Array(n).fill(v);

describe('Trace frame storage', () => {
  it('stores a shared body once however many hops it crosses, and returns the right bytes for each hop', () => {
    const { trace, l1, l2 } = twoNodeTrace();
    const body = sharedBytes(Uint8Array.from({ length: 200_000 }, (_, i) => i & 0xff));
    const head1 = filled(34, 1);
    const head2 = filled(34, 2);
    const f1 = trace.frameTx(0, 10, 20, l1, Place.AtoB, head1, body, 7);
    const afterFirst = trace.byteSize();
    const f2 = trace.frameTx(20, 30, 40, l2, Place.AtoB, head2, body, 7);
    const afterSecond = trace.byteSize();
    // The second hop adds its 34-byte head, not another 200 kB body.
    expect(afterSecond - afterFirst).toBeLessThan(body.bytes.length);
    const b1 = trace.frameBytes(f1);
    const b2 = trace.frameBytes(f2);
    expect(b1.length).toBe(34 + 200_000);
    expect(b1.subarray(0, 34)).toEqual(head1);
    expect(b2.subarray(0, 34)).toEqual(head2);
    expect(b1.subarray(34)).toEqual(body.bytes);
    expect(b2.subarray(34)).toEqual(body.bytes);
    // By contrast a second, equal but distinct body is stored again.
    const copy = sharedBytes(body.bytes.slice());
    trace.frameTx(40, 50, 60, l2, Place.BtoA, head2, copy, 8);
    expect(trace.byteSize() - afterSecond).toBeGreaterThanOrEqual(body.bytes.length);
  });

  it('many hops of one shared body cost about one body plus the heads', () => {
    const { trace, l1 } = twoNodeTrace();
    const bodyLen = 1400;
    const body = sharedBytes(filled(bodyLen, 0xab));
    const empty = new Trace().byteSize();
    for (let i = 0; i < 2000; i++) trace.frameTx(i, i + 1, i + 2, l1, Place.AtoB, filled(34, i & 0xff), body, 1);
    // 2000 copies would be 2.8 MB; stored once, the trace stays well under that.
    expect(trace.byteSize() - empty).toBeLessThan((2000 * bodyLen) / 4);
    expect(trace.frameTotal).toBe(2000);
  });

  it('frameBytes pads short frames with zeros to 60 bytes, and leaves longer frames as they are', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 14, maxLength: 100 }), fc.option(fc.uint8Array({ maxLength: 40 })), (head, body) => {
        const { trace, l1 } = twoNodeTrace();
        const f = trace.frameTx(0, 1, 2, l1, Place.AtoB, head, body ? sharedBytes(body) : null, 0);
        const real = head.length + (body?.length ?? 0);
        const out = trace.frameBytes(f);
        expect(out.length).toBe(Math.max(MIN_FRAME_BYTES, real));
        expect(trace.frameLength(f)).toBe(out.length);
        expect(out.subarray(0, head.length)).toEqual(head);
        if (body) expect(out.subarray(head.length, real)).toEqual(body);
        expect([...out.subarray(real)].every((b) => b === 0)).toBe(true);
      }),
    );
  });

  it('a drop can point at a frame already stored (lost in flight) or store its own', () => {
    const { trace, l1, r1 } = twoNodeTrace();
    const f = trace.frameTx(0, 10, 20, l1, Place.AtoB, filled(60, 9), null, 3);
    trace.drop({ time: 20, started: 0, place: l1, dir: Place.AtoB, reason: 'lost on link (loss 1)', frameId: f, packetId: 3 });
    expect(trace.frameTotal).toBe(1);
    trace.drop({ time: 25, place: r1, dir: Place.Node, reason: 'queue full', head: filled(42, 5), packetId: 4 });
    expect(trace.frameTotal).toBe(2);
    trace.drop({ time: 26, place: r1, dir: Place.Node, reason: 'no route', packetId: 5 });
    expect(trace.frame[trace.length - 1]).toBe(-1);
    expect(trace.kind[1]).toBe(RecordKind.Drop);
    expect(trace.string(trace.code[1])).toBe('lost on link (loss 1)');
    expect(trace.frame[1]).toBe(f);
  });

  it('rows keep their columns as the arrays grow past their first capacity', () => {
    const { trace, h1 } = twoNodeTrace();
    for (let i = 0; i < 5000; i++) trace.log(i * 10, h1, `line ${i}`);
    expect(trace.length).toBe(5000);
    expect(trace.time[4321]).toBe(43210);
    expect(trace.string(trace.code[4321])).toBe('line 4321');
    expect(trace.kind[4999]).toBe(RecordKind.Log);
  });
});

/** One recorded operation; a trace is built by replaying a list of them. */
type Op =
  | { k: 'tx'; t: number; head: number[]; body: number[] | null; shareWithPrev: boolean; dir: 0 | 1; packet: number }
  | { k: 'drop'; t: number; reason: string; packet: number }
  | { k: 'state'; t: number; key: string; value: string }
  | { k: 'log'; t: number; text: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    k: fc.constant('tx' as const),
    t: fc.nat(1e9),
    head: fc.array(fc.nat(255), { minLength: 14, maxLength: 40 }),
    body: fc.option(fc.array(fc.nat(255), { minLength: 1, maxLength: 40 })),
    shareWithPrev: fc.boolean(),
    dir: fc.constantFrom(0 as const, 1 as const),
    packet: fc.nat(100),
  }),
  fc.record({ k: fc.constant('drop' as const), t: fc.nat(1e9), reason: fc.string({ maxLength: 12 }), packet: fc.nat(100) }),
  fc.record({ k: fc.constant('state' as const), t: fc.nat(1e9), key: fc.string({ maxLength: 8 }), value: fc.string({ maxLength: 8 }) }),
  fc.record({ k: fc.constant('log' as const), t: fc.nat(1e9), text: fc.string({ maxLength: 16 }) }),
);

function build(ops: Op[], nodeName = 'h1', stateWithIds = false): Trace {
  const trace = new Trace();
  const a = trace.defineNode(nodeName, 'host');
  const b = trace.defineNode('sw1', 'switch');
  const link = trace.defineLink('h1-sw1', a, b, 'eth0', 'port1');
  let prevBody: SharedBytes | null = null;
  for (const op of ops) {
    switch (op.k) {
      case 'tx': {
        let body: SharedBytes | null = null;
        if (op.body) body = op.shareWithPrev && prevBody ? prevBody : sharedBytes(Uint8Array.from(op.body));
        if (body) prevBody = body;
        trace.frameTx(op.t, op.t + 1, op.t + 2, link, op.dir, Uint8Array.from(op.head), body, op.packet);
        break;
      }
      case 'drop':
        trace.drop({ time: op.t, place: a, dir: Place.Node, reason: op.reason, packetId: op.packet });
        break;
      case 'state':
        if (stateWithIds) {
          const key = trace.intern(op.key);
          trace.stateIds(op.t, b, key, trace.intern(op.value));
        } else trace.state(op.t, b, op.key, op.value);
        break;
      case 'log':
        trace.log(op.t, a, op.text);
        break;
    }
  }
  return trace;
}

/** Changes exactly one thing about one op (a time, a byte, a string, a direction, a packet id). */
function mutate(ops: Op[], index: number, which: number): Op[] {
  const out = ops.map((o) => structuredClone(o));
  const op = out[index];
  switch (op.k) {
    case 'tx': {
      const m = which % 5;
      if (m === 0) op.t += 1;
      else if (m === 1) op.head[which % op.head.length] ^= 0x01;
      else if (m === 2 && op.body && !op.shareWithPrev) op.body[which % op.body.length] ^= 0x80;
      else if (m === 2) op.head[0] ^= 0x02;
      else if (m === 3) op.dir = op.dir === 0 ? 1 : 0;
      else op.packet += 1;
      break;
    }
    case 'drop':
      if (which % 2) op.reason += 'x';
      else op.t += 1;
      break;
    case 'state':
      if (which % 2) op.value += 'x';
      else op.key += 'y';
      break;
    case 'log':
      if (which % 2) op.text += '!';
      else op.t += 1;
      break;
  }
  return out;
}

describe('Trace hash', () => {
  it('equal content gives an equal hash', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        expect(build(ops).hash()).toBe(build(ops).hash());
      }),
    );
  });

  it('changing any one time, byte, string, direction or packet id changes the hash', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (ops, i, which) => {
        const index = i % ops.length;
        const changed = mutate(ops, index, which);
        fc.pre(JSON.stringify(changed) !== JSON.stringify(ops));
        expect(build(changed).hash()).not.toBe(build(ops).hash());
      }),
      { numRuns: 500 },
    );
  });

  it('dropping the last record or reordering two records changes the hash', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 2, maxLength: 20 }), (ops) => {
        const base = build(ops).hash();
        expect(build(ops.slice(0, -1)).hash()).not.toBe(base);
        const swapped = [ops[1], ops[0], ...ops.slice(2)];
        fc.pre(JSON.stringify(swapped) !== JSON.stringify(ops));
        expect(build(swapped).hash()).not.toBe(base);
      }),
    );
  });

  it('state rows recorded with interned ids (key first) are the rows state() records', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        expect(build(ops, 'h1', true).hash()).toBe(build(ops).hash());
      }),
    );
  });

  it('renaming a node changes the hash', () => {
    const ops: Op[] = [{ k: 'log', t: 1, text: 'hello' }];
    expect(build(ops, 'h1').hash()).not.toBe(build(ops, 'h9').hash());
  });

  it('is 16 hex digits', () => {
    expect(build([]).hash()).toMatch(/^[0-9a-f]{16}$/);
  });
});
