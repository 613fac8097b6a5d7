/** `npm run sim -- SCENE --act ... --exec ...`: a branch run headless, and the terminal at a time. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRunnerArgs } from '../../src/cli/args';

const CWD = fileURLToPath(new URL('../..', import.meta.url));
const sim = (...args: string[]) => spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: CWD, encoding: 'utf8', timeout: 60_000 });

describe('--act and --exec', () => {
  it('collects each flag in order, beside the other flags', () => {
    const r = parseRunnerArgs(['s.yaml', '--act', '20ms link a-b down', '--exec', 'h1@25ms ip neigh', '--act', '30ms link a-b up', '--quiet']);
    expect(r).toMatchObject({ ok: true, args: { acts: ['20ms link a-b down', '30ms link a-b up'], execs: ['h1@25ms ip neigh'], quiet: true } });
    expect(parseRunnerArgs(['s.yaml', '--act'])).toMatchObject({ ok: false });
  });

  it('a bad action exits 2 naming it; nothing runs', () => {
    const r = sim('scenes/router-ping.yaml', '--act', '20ms link h1-sw9 down');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--act "20ms link h1-sw9 down": no link "h1-sw9" (did you mean "h1-sw1"?)');
    expect(r.stdout).toBe('');
  });

  it('runs the branch and prints the terminal at the given time', () => {
    const r = sim('scenes/router-ping.yaml', '--quiet', '--act', '15ms link sw1-r1 down', '--exec', 'h1@39ms tcpdump -n icmp', '--exec', 'h1@39ms foo');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('h1@39.000ms$ tcpdump -n icmp');
    // Requests 1 and 2 left before the cut; their replies were lost with it, and request 3 (21 ms) never got past sw1.
    expect(lines.filter((l) => l.includes('ICMP echo reply'))).toEqual([]);
    expect(lines.filter((l) => l.includes('ICMP echo request'))).toHaveLength(3);
    expect(r.stdout).toContain('h1@39.000ms$ foo\nbash: foo: command not found\n');
  });
});
