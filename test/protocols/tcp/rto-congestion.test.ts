import { describe, expect, it } from 'vitest';
import { NewReno, type CcEvent } from '../../../src/protocols/tcp/congestion';
import { RtoEstimator } from '../../../src/protocols/tcp/rto';

const MS = 1e6;
const MSS = 1000;

describe('RFC 6298 retransmission timeout', () => {
  it('starts at 1 s and follows SRTT/RTTVAR on a known RTT sequence', () => {
    const r = new RtoEstimator({ minRto: 200 * MS, maxRto: 60e9, initialRto: 1e9, granularity: 1 * MS });
    expect(r.rto).toBe(1e9);
    r.sample(100 * MS); // first: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4·RTTVAR = 300 ms
    expect(r.srtt).toBe(100 * MS);
    expect(r.rttvar).toBe(50 * MS);
    expect(r.rto).toBe(300 * MS);
    r.sample(120 * MS); // RTTVAR = 3/4·50 + 1/4·|100−120| = 42.5; SRTT = 7/8·100 + 1/8·120 = 102.5
    expect(r.rttvar).toBeCloseTo(42.5 * MS, 0);
    expect(r.srtt).toBeCloseTo(102.5 * MS, 0);
    expect(r.rto).toBe(Math.round(102.5 * MS + 4 * 42.5 * MS));
    r.sample(80 * MS); // RTTVAR = 3/4·42.5 + 1/4·22.5 = 37.5; SRTT = 7/8·102.5 + 10 = 99.6875
    expect(r.rttvar).toBeCloseTo(37.5 * MS, 0);
    expect(r.srtt).toBeCloseTo(99.6875 * MS, 0);
    expect(r.rto).toBe(Math.round(99.6875 * MS + 150 * MS));
  });

  it('never goes below the configured minimum (default 200 ms) and uses G when RTTVAR is tiny', () => {
    const r = new RtoEstimator();
    r.sample(1 * MS);
    expect(r.rto).toBe(200 * MS);
    const g = new RtoEstimator({ minRto: 0, maxRto: 60e9, initialRto: 1e9, granularity: 10 * MS });
    g.sample(50 * MS);
    for (let i = 0; i < 60; i++) g.sample(50 * MS); // RTTVAR decays towards 0
    expect(g.rto).toBe(60 * MS); // SRTT + max(G, 4·RTTVAR) = 50 + 10
  });

  it('doubles on every expiry up to the maximum, and a new sample clears the backoff', () => {
    const r = new RtoEstimator({ minRto: 200 * MS, maxRto: 5e9, initialRto: 1e9, granularity: 1 * MS });
    const seen = [r.rto];
    for (let i = 0; i < 4; i++) {
      r.backoff();
      seen.push(r.rto);
    }
    expect(seen).toEqual([1e9, 2e9, 4e9, 5e9, 5e9]);
    r.sample(100 * MS);
    expect(r.rto).toBe(300 * MS);
    expect(r.backoffs).toBe(0);
  });
});

function ev(partial: Partial<CcEvent>): CcEvent {
  return { now: 0, mss: MSS, flight: 0, ack: 0, highestSent: 0, cwndLimited: true, ...partial };
}

describe('NewReno (RFC 5681 + RFC 6582)', () => {
  it('starts with the initial window (RFC 6928: 10 segments) and ssthresh infinite', () => {
    const cc = new NewReno(10, MSS);
    expect(cc.cwnd).toBe(10 * MSS);
    expect(cc.ssthresh).toBe(Infinity);
  });

  it('slow start: +1 MSS per ACK of a full segment (cwnd doubles per round trip)', () => {
    const cc = new NewReno(2, MSS);
    for (let i = 0; i < 2; i++) cc.onAck(MSS, ev({}));
    expect(cc.cwnd).toBe(4 * MSS);
    for (let i = 0; i < 4; i++) cc.onAck(MSS, ev({}));
    expect(cc.cwnd).toBe(8 * MSS);
    cc.onAck(5 * MSS, ev({})); // a stretch ACK still adds at most one MSS (L = 1)
    expect(cc.cwnd).toBe(9 * MSS);
    cc.onAck(MSS, ev({ cwndLimited: false })); // limited by the receiver or the program: no growth
    expect(cc.cwnd).toBe(9 * MSS);
  });

  it('congestion avoidance: about 1 MSS per round trip', () => {
    const cc = new NewReno(10, MSS);
    cc.ssthresh = 10 * MSS; // in CA from the start
    for (let rtt = 0; rtt < 5; rtt++) {
      const before = cc.cwnd;
      const acks = Math.floor(before / MSS);
      for (let i = 0; i < acks; i++) cc.onAck(MSS, ev({}));
      expect(cc.cwnd - before).toBeGreaterThanOrEqual(MSS * 0.8);
      expect(cc.cwnd - before).toBeLessThanOrEqual(MSS * 1.1);
    }
  });

  it('fast retransmit on exactly the third duplicate ACK: ssthresh = flight/2, cwnd = ssthresh + 3 MSS', () => {
    const cc = new NewReno(10, MSS);
    const e = ev({ flight: 10 * MSS, ack: 1, highestSent: 1 + 10 * MSS });
    expect(cc.onDupAck(1, e)).toBe(false);
    expect(cc.onDupAck(2, e)).toBe(false);
    expect(cc.onDupAck(3, e)).toBe(true);
    expect(cc.ssthresh).toBe(5 * MSS);
    expect(cc.cwnd).toBe(8 * MSS);
    expect(cc.inRecovery).toBe(true);
    expect(cc.onDupAck(4, e)).toBe(false); // inflation, no second retransmit
    expect(cc.cwnd).toBe(9 * MSS);
  });

  it('partial ACK retransmits the next hole and stays in recovery; the full ACK deflates to ssthresh', () => {
    const cc = new NewReno(10, MSS);
    const highest = 1 + 10 * MSS;
    cc.onDupAck(3, ev({ flight: 10 * MSS, ack: 1, highestSent: highest }));
    const cwnd = cc.cwnd;
    // Partial: acknowledges 2 segments, not all up to `recover`.
    expect(cc.onAck(2 * MSS, ev({ flight: 10 * MSS, ack: 1 + 2 * MSS, highestSent: highest }))).toBe(true);
    expect(cc.inRecovery).toBe(true);
    expect(cc.cwnd).toBe(cwnd - 2 * MSS + MSS);
    // Full ACK.
    expect(cc.onAck(8 * MSS, ev({ flight: 8 * MSS, ack: highest, highestSent: highest }))).toBe(false);
    expect(cc.inRecovery).toBe(false);
    expect(cc.cwnd).toBe(Math.min(cc.ssthresh, MSS + MSS));
  });

  it('no second fast retransmit for duplicate ACKs below recover (RFC 6582 §3.2 step 2)', () => {
    const cc = new NewReno(10, MSS);
    cc.onTimeout(ev({ flight: 10 * MSS, ack: 1, highestSent: 1 + 10 * MSS }));
    expect(cc.cwnd).toBe(MSS);
    expect(cc.ssthresh).toBe(5 * MSS);
    expect(cc.onDupAck(3, ev({ flight: 3 * MSS, ack: 1 + MSS, highestSent: 1 + 10 * MSS }))).toBe(false);
    expect(cc.onDupAck(3, ev({ flight: 3 * MSS, ack: 1 + 10 * MSS, highestSent: 1 + 13 * MSS }))).toBe(true);
  });
});
