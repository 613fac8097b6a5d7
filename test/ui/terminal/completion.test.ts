/**
 * Tab completion in router-ping's terminals, as bash completes: programs first, then each program's
 * options from its own spec, then the scene's host names and addresses.
 */
import { describe, expect, it } from 'vitest';
import { loadSceneFile, simulate } from '../../../src/cli/run-scene';
import { complete, formatListing, optionWords } from '../../../src/ui/terminal/completion';
import { completionContext } from '../../../src/ui/terminal/completion-context';

const scene = loadSceneFile('scenes/router-ping.yaml');
const ctx = completionContext({ scene, trace: simulate(scene).trace });
const tab = (line: string, cursor = line.length) => complete(line, cursor, ctx);

describe('completion', () => {
  it('completes a unique program name and adds a space', () => {
    expect(tab('pi')).toEqual({ line: 'ping ', cursor: 5, listed: [] });
    expect(tab('tcpd')).toEqual({ line: 'tcpdump ', cursor: 8, listed: [] });
  });

  it('several matches: the common prefix first, then the list (trace- gives traceroute and tracepath)', () => {
    expect(tab('tra')).toEqual({ line: 'trace', cursor: 5, listed: [] });
    expect(tab('trace')).toEqual({ line: 'trace', cursor: 5, listed: ['tracepath', 'traceroute'] });
  });

  it("options come from the program's option spec; options the model refuses are not offered", () => {
    expect(tab('ping 10.0.1.5 -').listed).toEqual(['-4', '-M', '-W', '-c', '-i', '-n', '-q', '-s', '-t']);
    expect(tab('ping 10.0.1.5 -').listed).not.toContain('-f');
    expect(tab('iperf3 --o')).toMatchObject({ line: 'iperf3 --one-off ' });
    expect(optionWords({ c: 'int', 'one-off': 'flag', f: 'unmodelled' })).toEqual(['-c', '--one-off']);
  });

  it('addresses and host names of the scene', () => {
    expect(tab('ping 10.0.1.')).toEqual({ line: 'ping 10.0.1.', cursor: 12, listed: ['10.0.1.254', '10.0.1.5'] });
    expect(tab('ping 10.0.1.5')).toMatchObject({ line: 'ping 10.0.1.5 ' });
    expect(tab('ping h')).toMatchObject({ listed: ['h1', 'h2'] });
    expect(tab('ping r')).toMatchObject({ line: 'ping r1 ' });
  });

  it('completes in the middle of a line, and what the state commands take', () => {
    expect(tab('ping -c 2', 2)).toEqual({ line: 'ping -c 2', cursor: 5, listed: [] });
    expect(tab('ip ne')).toMatchObject({ line: 'ip neigh ' });
    expect(tab('cat /etc/r')).toMatchObject({ line: 'cat /etc/resolv.conf ' });
    expect(tab('man trace').listed).toEqual(['tracepath', 'traceroute']);
    expect(tab('tcpdump -n ic')).toMatchObject({ line: 'tcpdump -n icmp ' });
  });

  it('nothing to complete leaves the line alone', () => {
    expect(tab('zz')).toEqual({ line: 'zz', cursor: 2, listed: [] });
  });

  it('lists in columns, down then across, as bash does', () => {
    expect(formatListing(['a', 'bb', 'c', 'dd', 'e'], 12)).toEqual(['a   c   e', 'bb  dd']);
  });
});
