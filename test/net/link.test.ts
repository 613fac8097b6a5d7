import { describe, expect, it } from 'vitest';
import { TestNet } from '../helpers/net';

const MS = 1_000_000;

/** Two hosts on one cable; `link` is the link's own YAML fields, `run` the commands. */
function pair(link: string, run: string, extra = ''): string {
  return `
nodes:
  - { id: h1, kind: host, ip: 10.0.0.1/24 }
  - { id: h2, kind: host, ip: 10.0.0.2/24 }
links:
  - { a: h1, b: h2, ${link} }
run:
${run}
${extra}`;
}

const ECHO_SERVER = '  - { on: h2, at: 0ms, cmd: "udp-echo-server -p 7" }';

describe('FullDuplexLink timing', () => {
  it('serialization then propagation, exact to the ns: a 98-byte echo request on 10 Mbps with 1 ms latency', () => {
    const net = TestNet.fromYaml(pair('latency: 1ms, bandwidth: 10Mbps', '  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 1" }')).runToEnd();
    const frames = net.frames('h1-h2');
    const request = frames.find((f) => f.icmp?.type === 8)!;
    expect(request.bytes.length).toBe(98); // 14 Ethernet + 20 IP + 8 ICMP + 56 data
    // (frame + 8 preamble/SFD + 4 FCS + 12 inter-frame gap) bytes, 100 ns per bit at 10 Mbps.
    expect(request.end - request.time).toBe((98 + 24) * 8 * 100);
    expect(request.arrival - request.end).toBe(1 * MS);
    // A 42-byte ARP request is padded to the 60-byte minimum before it is clocked out.
    const arp = frames.find((f) => f.arp?.op === 1)!;
    expect(arp.bytes.length).toBe(60);
    expect(arp.end - arp.time).toBe((60 + 24) * 8 * 100);
    expect(arp.arrival - arp.end).toBe(1 * MS);
  });

  it('a reply leaves the moment its request has fully arrived (no hidden processing delay)', () => {
    const net = TestNet.fromYaml(pair('latency: 3ms, bandwidth: 100Mbps', '  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 1" }')).runToEnd();
    const req = net.frames('h1-h2', 'a>b').find((f) => f.icmp?.type === 8)!;
    const rep = net.frames('h1-h2', 'b>a').find((f) => f.icmp?.type === 0)!;
    expect(rep.time).toBe(req.arrival);
    expect(rep.packetId).not.toBe(req.packetId);
    // ping reports the request-to-reply time the wire took.
    // ping's clock starts when it sends (at 1 ms, before ARP), as on Linux.
    const rtt = ((rep.arrival - 1 * MS) / MS).toFixed(3);
    expect(net.logs('h1')).toContain(`rtt min/avg/max/mdev = ${rtt}/${rtt}/${rtt}/0.000 ms`);
  });

  it('frames waiting in the queue go out back to back, each starting when the one before ends', () => {
    const net = TestNet.fromYaml(
      pair('latency: 1ms, bandwidth: 10Mbps, queue: 50', `${ECHO_SERVER}\n  - { on: h1, at: 1ms, cmd: "udp-echo 10.0.0.2 -c 10 -i 1us" }`),
    ).runToEnd();
    const data = net.frames('h1-h2', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(data).toHaveLength(10);
    for (let i = 1; i < data.length; i++) expect(data[i].time).toBe(data[i - 1].end);
    expect(net.logs('h1')).toContain('10 packets transmitted, 10 received, 0% packet loss, time 0ms');
  });
});

describe('FullDuplexLink queue', () => {
  it('tail-drops what does not fit: one frame on the wire, `queue` waiting, the rest dropped', () => {
    // All 10 datagrams wait for ARP, then reach the link at once.
    const net = TestNet.fromYaml(
      pair('latency: 1ms, bandwidth: 10Mbps, queue: 3', `${ECHO_SERVER}\n  - { on: h1, at: 1ms, cmd: "udp-echo 10.0.0.2 -c 10 -i 1us" }`),
    ).runToEnd();
    const sent = net.frames('h1-h2', 'a>b').filter((f) => f.ip?.protocol === 17);
    expect(sent).toHaveLength(4);
    const drops = net.drops('h1-h2');
    expect(drops).toHaveLength(6);
    for (const d of drops) {
      expect(d.reason).toBe('queue full (3 frames): tail drop');
      expect(d.frame).toBeDefined();
    }
    // Tail drop keeps the first arrivals: the survivors are datagrams 1..4.
    const seqOf = (b: Uint8Array) => (b[42] << 24) | (b[43] << 16) | (b[44] << 8) | b[45];
    expect(sent.map((f) => seqOf(f.bytes))).toEqual([0, 1, 2, 3]);
    expect(drops.map((d) => seqOf(d.frame!))).toEqual([4, 5, 6, 7, 8, 9]);
    expect(net.logs('h1')).toContain('10 packets transmitted, 4 received, 60% packet loss, time 0ms');
  });
});

describe('FullDuplexLink loss', () => {
  it('loss 1.0 loses every frame in flight, each recorded with its reason where it would have arrived', () => {
    const net = TestNet.fromYaml(pair('latency: 1ms, loss: 1.0', '  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 1 -W 1" }'), {
      duration: '5s',
    }).runToEnd();
    const frames = net.frames('h1-h2');
    const drops = net.drops('h1-h2');
    expect(frames.length).toBeGreaterThan(0);
    expect(drops).toHaveLength(frames.length);
    drops.forEach((d, i) => {
      expect(d.reason).toBe('lost on link (loss 1)');
      expect(d.time).toBe(frames[i].arrival);
      expect(d.started).toBe(frames[i].time);
    });
    // Nothing ever reached h2: three unanswered ARP requests, ping sees no reply.
    expect(frames.every((f) => f.dir === 'a>b' && f.arp?.op === 1)).toBe(true);
    expect(frames).toHaveLength(3);
    expect(net.logs('h1').some((l) => l.startsWith('1 packets transmitted, 0 received'))).toBe(true);
  });

  function lossyRun(seed: number): TestNet {
    // Loss starts at 10 ms (after ARP is done), so only the datagrams face it.
    return TestNet.fromYaml(
      pair(
        'latency: 100us, bandwidth: 100Mbps',
        `${ECHO_SERVER}\n  - { on: h1, at: 1ms, cmd: "udp-echo 10.0.0.2 -c 1000 -i 100us" }`,
        'faults:\n  - { at: 10ms, link: h1-h2, set: { loss: 0.3 } }',
      ),
      { seed },
    ).runToEnd();
  }

  it('loss 0.3 loses about 30% of frames, and the same seed loses the same ones', () => {
    const a = lossyRun(5);
    const lost = a.drops('h1-h2');
    const sentAfter = a.frames('h1-h2').filter((f) => f.time >= 10 * MS);
    expect(sentAfter.length).toBeGreaterThan(1000);
    for (const d of lost) expect(d.reason).toBe('lost on link (loss 0.3)');
    const rate = lost.length / sentAfter.length;
    expect(rate).toBeGreaterThan(0.26);
    expect(rate).toBeLessThan(0.34);
    const again = lossyRun(5);
    expect(again.drops('h1-h2').map((d) => d.packetId)).toEqual(lost.map((d) => d.packetId));
    expect(again.trace.hash()).toBe(a.trace.hash());
    const other = lossyRun(6);
    expect(other.drops('h1-h2').map((d) => d.packetId)).not.toEqual(lost.map((d) => d.packetId));
  });

  it('the loss fault is published as link state at its time', () => {
    const net = lossyRun(5);
    const t = net.trace;
    const rows: string[] = [];
    for (let i = 0; i < t.length; i++) {
      if (t.kind[i] === 3 && t.dir[i] === 3) rows.push(`${t.time[i]} ${t.string(t.code[i])}=${t.string(t.frame[i])}`);
    }
    expect(rows).toEqual([`${10 * MS} loss=0.3`]);
  });
});

describe('FullDuplexLink up and down', () => {
  // 1 Mbps and 10 ms latency: ARP done at 1 + 2 * (0.672 + 10) = 22.344 ms; then 106-byte datagrams
  // take 1.04 ms each, so at 25 ms two are in flight, a third is on the wire and seven are queued.
  const scene = (fault: string) =>
    pair('latency: 10ms, bandwidth: 1Mbps', `${ECHO_SERVER}\n  - { on: h1, at: 1ms, cmd: "udp-echo 10.0.0.2 -c 10 -i 1us" }`, fault);

  it('taking a link down loses the frames in flight and the ones queued', () => {
    const net = TestNet.fromYaml(scene('faults:\n  - { at: 25ms, link: h1-h2, set: { up: false } }')).runToEnd();
    const data = net.frames('h1-h2', 'a>b').filter((f) => f.ip?.protocol === 17);
    const inFlight = net.drops('h1-h2').filter((d) => d.reason === 'link went down in flight');
    const queued = net.drops('h1-h2').filter((d) => d.reason === 'link down');
    // Every datagram that started before 25 ms was lost in flight, at its would-be arrival time.
    expect(data.every((f) => f.time < 25 * MS)).toBe(true);
    expect(inFlight.map((d) => d.packetId)).toEqual(data.map((f) => f.packetId));
    inFlight.forEach((d, i) => expect(d.time).toBe(data[i].arrival));
    expect(data).toHaveLength(3);
    // The rest were waiting in the queue and are dropped the moment the link goes down.
    expect(queued).toHaveLength(7);
    for (const d of queued) expect(d.time).toBe(25 * MS);
    expect(net.logs('h1')).toContain('10 packets transmitted, 0 received, 100% packet loss, time 0ms');
  });

  it('without the fault the same traffic all gets through', () => {
    const net = TestNet.fromYaml(scene('')).runToEnd();
    expect(net.drops('h1-h2')).toEqual([]);
    expect(net.logs('h1')).toContain('10 packets transmitted, 10 received, 0% packet loss, time 0ms');
  });

  it('a frame offered to a down link is dropped at the sender; after it comes back up frames flow again', () => {
    const net = TestNet.fromYaml(
      pair(
        'latency: 1ms',
        '  - { on: h1, at: 1ms, cmd: "ping 10.0.0.2 -c 5 -i 100ms -W 1" }',
        'faults:\n  - { at: 50ms, link: h1-h2, set: { up: false } }\n  - { at: 250ms, link: h1-h2, set: { up: true } }',
      ),
    ).runToEnd();
    // Pings 2 and 3 (at 101 and 201 ms) meet a down link and never leave h1.
    const downDrops = net.drops('h1-h2').filter((d) => d.reason === 'link down');
    expect(downDrops.map((d) => d.time)).toEqual([101 * MS, 201 * MS]);
    for (const d of downDrops) expect(d.started).toBe(d.time);
    for (const f of net.frames('h1-h2')) expect(f.time < 50 * MS || f.time >= 250 * MS).toBe(true);
    const replies = net.logs('h1').filter((l) => l.startsWith('64 bytes from 10.0.0.2'));
    expect(replies.map((l) => /icmp_seq=(\d+)/.exec(l)![1])).toEqual(['1', '4', '5']);
    expect(net.logs('h1')).toContain('5 packets transmitted, 3 received, 40% packet loss, time 400ms');
  });
});

describe('FullDuplexLink jitter', () => {
  it('never makes a frame arrive before its last bit was sent, and stays within latency ± jitter', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const net = TestNet.fromYaml(
        pair('latency: 50us, jitter: 200us, bandwidth: 100Mbps', `${ECHO_SERVER}\n  - { on: h1, at: 1ms, cmd: "udp-echo 10.0.0.2 -c 100 -i 1ms" }`),
        { seed },
      ).runToEnd();
      const frames = net.frames('h1-h2');
      expect(frames.length).toBeGreaterThan(200);
      const delays = frames.map((f) => f.arrival - f.end);
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(250_000);
        expect(Number.isInteger(d)).toBe(true);
      }
      // Jitter really varies the delay, and clamps at zero some of the time.
      expect(new Set(delays).size).toBeGreaterThan(50);
      expect(delays.filter((d) => d === 0).length).toBeGreaterThan(0);
    }
  });
});
