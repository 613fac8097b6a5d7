// Completion on the timeline strip: program names from the registry, options and their values from
// each program's own usage line, the scene's addresses where an address goes, and the program's
// error and usage for a line it would refuse.
import { describe, expect, it } from 'vitest';
import { completeCommand, usageOptions } from '../../../src/scenario/edit/complete';
import type { SceneData } from '../../../src/scenario/edit/commands';

const data: SceneData = {
  nodes: [
    { id: 'h1', kind: 'host', ip: '10.0.0.1/24', gateway: '10.0.0.254' },
    { id: 'sw1', kind: 'switch' },
    { id: 'r1', kind: 'router', interfaces: ['10.0.0.254/24', '10.0.1.254/24'] },
    { id: 'h2', kind: 'host', ip: '10.0.1.5/24', gateway: '10.0.1.254' },
  ],
};
const labels = (line: string, on = 'h1') => completeCommand(line, data, on).completions.map((c) => c.label);

describe('command completion', () => {
  it('completes program names from the registry', () => {
    expect(labels('p')).toEqual(expect.arrayContaining(['ping', 'page-load']));
    expect(labels('tr')).toEqual(['tracepath', 'traceroute']);
    expect(completeCommand('tr', data).completions.find((c) => c.label === 'traceroute')!.line).toBe('traceroute ');
  });

  it("reads a program's options from its usage line, and offers only those not given yet", () => {
    expect(usageOptions('ping DESTINATION [-c count] [-i interval] [-M do|want|dont]')).toEqual([
      { flag: '-c', value: 'count' },
      { flag: '-i', value: 'interval' },
      { flag: '-M', value: 'do|want|dont', choices: ['do', 'want', 'dont'] },
    ]);
    expect(usageOptions('nc -l -p PORT [-k] | nc HOST PORT')).toEqual([{ flag: '-l' }, { flag: '-p', value: 'PORT' }, { flag: '-k' }]);
    expect(usageOptions('page-load URL [--http1.1|--http2]')).toEqual([{ flag: '--http1.1' }, { flag: '--http2' }]);
    const ping = labels('ping 10.0.1.5 -c 3 -');
    expect(ping).toContain('-i interval');
    expect(ping).toContain('-W timeout');
    expect(ping).not.toContain('-c count');
    expect(labels('ping 10.0.1.5 -M ')).toEqual(['do', 'want', 'dont']);
  });

  it("offers the scene's addresses where the program takes one, not the device's own", () => {
    expect(labels('ping ')).toEqual(['10.0.0.254', '10.0.1.254', '10.0.1.5']);
    expect(labels('ping 10.0.1')).toEqual(['10.0.1.254', '10.0.1.5']);
    expect(completeCommand('ping 10.0.1.', data, 'h1').completions.find((c) => c.label === '10.0.1.5')).toMatchObject({ line: 'ping 10.0.1.5 ', detail: 'h2' });
    expect(labels('curl ')).toContain('http://10.0.1.5/');
    expect(labels('iperf3 -c ')).toContain('10.0.1.5');
    expect(labels('ping 10.0.1.5 -c ')).toEqual([]);
  });

  it("offers the names the scene's DNS servers hold, to dig and in URLs, and dig's + options", () => {
    const withDns: SceneData = {
      nodes: [
        ...data.nodes!,
        {
          id: 'ns1',
          kind: 'dns-server',
          ip: '10.0.1.53/24',
          zones: [
            {
              origin: 'example.com',
              records: ['@ SOA ns1 hostmaster 1 1800 900 604800 86400', '@ NS ns1', 'ns1 A 10.0.1.53', 'www 300 IN A 10.0.1.5', 'mail MX 10 www'],
            },
          ],
        },
      ],
    };
    const dig = completeCommand('dig ', withDns, 'h1').completions.map((c) => c.label);
    expect(dig).toEqual(expect.arrayContaining(['ns1.example.com', 'www.example.com']));
    expect(dig).not.toContain('mail.example.com');
    expect(completeCommand('curl http://w', withDns, 'h1').completions.map((c) => c.line)).toEqual(['curl http://www.example.com/ ']);
    expect(completeCommand('dig www.example.com +sh', withDns, 'h1').completions.map((c) => c.label)).toEqual(['+short']);
  });

  it("shows the program's own error and usage for a wrong line, and none for a good one", () => {
    const bad = completeCommand('ping 10.0.1.5 -c x', data, 'h1');
    expect(bad.error).toMatch(/^ping: option -c: "x" is not a whole number; usage: ping DESTINATION \[-c count\]/);
    expect(completeCommand('ping 10.0.1.5 -c 3', data, 'h1').error).toBeUndefined();
    expect(completeCommand('pnig 10.0.1.5', data, 'h1').error).toMatch(/^unknown program "pnig" \(known: .*ping/);
    expect(completeCommand('ping', data).usage).toMatch(/^ping DESTINATION/);
  });
});
