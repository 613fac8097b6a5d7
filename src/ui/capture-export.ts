/**
 * The capture downloads the app offers: the default capture, which Wireshark reads as a real
 * capture, and the capture of every link, for following a packet hop by hop. Pure: bytes and file
 * names from a trace; the button in ExportCapture.tsx saves them.
 */
import { keyLogLines } from '../protocols/http/keylog';
import type { Trace } from '../sim/trace';
import { CAPTURE_ALL_LINKS, CAPTURE_CONVERSATIONS, writePcapng } from '../timeline/pcapng';

/** One download choice. */
export interface CaptureChoice {
  readonly capture: typeof CAPTURE_CONVERSATIONS | typeof CAPTURE_ALL_LINKS;
  readonly label: string;
  /** The sentence on what it holds and when to use it. */
  readonly explain: string;
}

/** The two captures, default first. */
export const CAPTURE_CHOICES: readonly CaptureChoice[] = [
  {
    capture: CAPTURE_CONVERSATIONS,
    label: 'Capture (.pcapng)',
    explain:
      'Each conversation once, on the interface of the device that started it, as tcpdump on each client would record it: Wireshark reads it as a real capture.',
  },
  {
    capture: CAPTURE_ALL_LINKS,
    label: 'Every link (.pcapng)',
    explain:
      'Every link as its own interface, so each packet appears once per hop: for following it across the network. Wireshark does not tell the links apart and flags the copies as retransmissions and overlapping segments that never happened.',
  },
];

/** `router-ping.pcapng`, `router-ping.all-links.pcapng`. */
export function captureFileName(scene: string, capture: CaptureChoice['capture']): string {
  const base = scene.replace(/[^\w.-]+/g, '_') || 'scene';
  return capture === CAPTURE_ALL_LINKS ? `${base}.all-links.pcapng` : `${base}.pcapng`;
}

/** The capture file's bytes. */
export function captureBytes(trace: Trace, capture: CaptureChoice['capture']): Uint8Array {
  return writePcapng(trace, { capture });
}

/** The TLS key log (NSS format) for decrypting the capture in Wireshark, or null when the run has none. */
export function keyLogText(trace: Trace): string | null {
  const lines = keyLogLines(trace);
  return lines.length ? lines.map((l) => `${l}\n`).join('') : null;
}
