/**
 * Round trips before the first response byte in scenes/quic-handshake.yaml, as curl reports them
 * (`-w %{time_starttransfer}`: from the start of the transfer, when the first Initial leaves, to the
 * first byte of the response). The scene's RTT is 40 ms. QUIC: 2 (1 for the handshake, which is
 * also the TLS handshake, 1 for the request); resumed with the kept ticket and 0-RTT: 1.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../../src/apps';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { TraceView } from '../../helpers/net';

const SCENE = fileURLToPath(new URL('../../../scenes/quic-handshake.yaml', import.meta.url));
const RTT_NS = 40_000_000;

describe('QUIC round trips', () => {
  it('2 round trips to the first byte, then 1 with 0-RTT', () => {
    const logs = new TraceView(simulate(loadSceneFile(SCENE), {}).trace).logs('phone');
    const firstByte = logs.flatMap((l) => {
      const m = /^first byte after ([\d.]+) s$/.exec(l);
      return m ? [Number(m[1]) * 1e9] : [];
    });
    expect(firstByte).toHaveLength(2);
    expect(firstByte.map((t) => Math.round(t / RTT_NS))).toEqual([2, 1]);
    // The second run resumed the first run's session and sent its request as 0-RTT data.
    expect(logs).toContain('* SSL reusing session with ticket (TLSv1.3)');
    expect(logs).toContain('* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256 (resumed, early data accepted)');
  });
});
