/**
 * The names the match language knows: protocol names, the dissector's field keys
 * (`dissectFrame(bytes).layers[].fields[].key`), and a few computed fields Wireshark also has.
 */

/** Protocol names, as `Layer.protocol` spells them. */
const MATCH_PROTOCOLS: ReadonlySet<string> = new Set(['eth', 'arp', 'ip', 'icmp', 'udp', 'tcp', 'data']);

/** Fields the matcher computes itself (not dissector keys). */
const COMPUTED_FIELDS: Readonly<Record<string, string>> = {
  'tcp.seq': 'sequence number relative to the ISN of its direction (Wireshark default)',
  'tcp.ack': 'acknowledgement number relative to the ISN of the other direction',
  'tcp.nxtseq': 'relative sequence number after this segment',
  'tcp.port': 'either TCP port',
  'udp.port': 'either UDP port',
  'ip.addr': 'either IPv4 address',
  'eth.addr': 'either Ethernet address',
  'tcp.window_size': 'receive window, bytes (no scaling)',
};

const known = new Set<string>([
  ...Object.keys(COMPUTED_FIELDS),
  'eth.src',
  'eth.dst',
  'eth.type',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.dst.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
  'ip.version',
  'ip.hdr_len',
  'ip.dsfield',
  'ip.len',
  'ip.id',
  'ip.flags',
  'ip.flags.df',
  'ip.flags.mf',
  'ip.frag_offset',
  'ip.ttl',
  'ip.proto',
  'ip.checksum',
  'ip.src',
  'ip.dst',
  'icmp.type',
  'icmp.code',
  'icmp.checksum',
  'icmp.ident',
  'icmp.seq',
  'icmp.mtu',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'udp.checksum',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.len',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.hdr_len',
  'tcp.flags',
  'tcp.flags.fin',
  'tcp.flags.syn',
  'tcp.flags.rst',
  'tcp.flags.psh',
  'tcp.flags.ack',
  'tcp.flags.urg',
  'tcp.flags.ece',
  'tcp.flags.cwr',
  'tcp.window_size_value',
  'tcp.checksum',
  'tcp.urgent_pointer',
  'tcp.options',
  'tcp.options.mss_val',
  'tcp.payload',
  'data.len',
]);

/**
 * Adds field keys a newly registered protocol's dissector provides (and its protocol name).
 * @public
 */
export function registerMatchFields(protocol: string, keys: readonly string[]): void {
  (MATCH_PROTOCOLS as Set<string>).add(protocol);
  for (const k of keys) known.add(k);
}

/** Whether `name` is a protocol or a known field. */
export function isKnownField(name: string): boolean {
  return MATCH_PROTOCOLS.has(name) || known.has(name);
}

/** Every known name, sorted (for help and suggestions). */
function knownFields(): string[] {
  return [...MATCH_PROTOCOLS, ...known].sort();
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length];
}

/** The closest known name, when close enough to be a likely typo. */
export function suggestField(name: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of knownFields()) {
    const dd = distance(name, k);
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}
