/** NewReno for QUIC as RFC 9002 section 7 gives it. */
import { describe, expect, it } from 'vitest';
import { initialWindow, NewReno, RttEstimator } from '../../../src/protocols/quic/recovery';

describe('QUIC NewReno (RFC 9002 section 7)', () => {
  it('initial window: min(10 * max_datagram_size, max(14720, 2 * max_datagram_size))', () => {
    expect(initialWindow(1200)).toBe(12000);
    expect(initialWindow(1472)).toBe(14720);
    expect(initialWindow(9000)).toBe(18000);
    expect(new NewReno().window).toBe(12000);
  });

  it('slow start adds the bytes acknowledged; congestion avoidance one datagram per window', () => {
    const cc = new NewReno();
    cc.onSent(1200);
    cc.onAcked(1200, 0);
    expect(cc.window).toBe(13200);
    cc.onCongestion(0, 10);
    expect(cc.window).toBe(6600);
    cc.onSent(6600);
    cc.onAcked(6600, 20); // sent after the recovery period began
    expect(cc.window).toBe(6600 + Math.floor((1200 * 6600) / 6600));
  });

  it('one reduction per recovery period; packets sent in it do not grow the window', () => {
    const cc = new NewReno();
    expect(cc.onCongestion(5, 100)).toBe(true);
    expect(cc.window).toBe(6000);
    expect(cc.onCongestion(50, 120)).toBe(false); // sent before the period began
    expect(cc.window).toBe(6000);
    cc.onSent(1200);
    cc.onAcked(1200, 90);
    expect(cc.window).toBe(6000);
    expect(cc.onCongestion(150, 200)).toBe(true);
    expect(cc.window).toBe(3000);
    expect(cc.onCongestion(250, 300)).toBe(true);
    expect(cc.window).toBe(2400); // kMinimumWindow = 2 * max_datagram_size
  });

  it('persistent congestion collapses the window to the minimum', () => {
    const cc = new NewReno();
    cc.onPersistentCongestion(10);
    expect(cc.window).toBe(2400);
  });

  it('a larger datagram size recomputes the initial window in slow start, and the minimum window', () => {
    const cc = new NewReno();
    cc.setMaxDatagramSize(1472);
    expect(cc.window).toBe(14720);
    expect(cc.minimumWindow).toBe(2944);
    const after = new NewReno();
    after.onCongestion(0, 1);
    after.setMaxDatagramSize(1472);
    expect(after.window).toBe(6000);
  });

  it('a new path starts from the initial values and ignores the old path for recovery', () => {
    const cc = new NewReno();
    cc.onSent(12000);
    cc.onCongestion(0, 5);
    cc.reset(100);
    expect({ window: cc.window, ssthresh: cc.ssthresh, flight: cc.bytesInFlight }).toEqual({ window: 12000, ssthresh: Infinity, flight: 0 });
    expect(cc.onCongestion(50, 150)).toBe(false);
    const rtt = new RttEstimator();
    rtt.update(40e6, 0, true, 25e6);
    rtt.reset();
    expect(rtt.smoothed).toBe(333e6);
    expect(rtt.sampled).toBe(false);
  });
});
