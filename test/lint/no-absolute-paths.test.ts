/**
 * The repository must work wherever it is cloned: no tracked file may name a directory that exists
 * only on one machine (the checkout's own location, a home directory, a CI workspace). Paths in
 * tests resolve from `import.meta.url` or the package root instead.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** This file, whose examples of machine paths are the point. */
const SELF = 'test/lint/no-absolute-paths.test.ts';

/** Files git tracks (or would track: new files not yet ignored), relative to the root. */
function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && !/\.(png|jpe?g|gif|ico|woff2?|pcapng?|gz|br)$/i.test(f));
}

/** Absolute paths that belong to a machine, never to the project. */
function machinePathPatterns(checkoutRoot: string, home: string): RegExp[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pats = [
    /(?<![\w.~-])\/home\/[a-z_][\w.-]*\//, // a user's home on Linux
    /(?<![\w.~-])\/Users\/[A-Za-z][\w.-]*\//, // a user's home on macOS
    /(?<![\w.~-])\/root\//, // root's home
    /\b[A-Z]:\\Users\\/, // a user's home on Windows
    /(?<![\w.~-])\/work\/[\w.-]+(?=[/'"`\s]|$)/, // workspace checkouts of CI machines
  ];
  // The checkout itself and the folder that holds it (e.g. /srv/ci/packetarium, /srv/ci).
  for (const dir of [checkoutRoot, dirname(checkoutRoot)]) {
    if (dir.split('/').filter(Boolean).length >= 2) pats.push(new RegExp(`(?<![\\w.-])${escape(dir)}(?=[/'"\`\\s]|$)`));
  }
  if (home.split('/').filter(Boolean).length >= 2) pats.push(new RegExp(`(?<![\\w.-])${escape(home)}(?=[/'"\`\\s]|$)`));
  return pats;
}

describe('tracked files', () => {
  it('finds machine paths in text that has them (the check can fail)', () => {
    const pats = machinePathPatterns('/srv/build/packetarium', '/home/ada');
    const hits = (s: string) => pats.some((p) => p.test(s));
    expect(hits("const CWD = '/srv/build/packetarium';")).toBe(true);
    expect(hits("spawn('x', { cwd: '/home/ada/src/p' })")).toBe(true);
    expect(hits('see /Users/ada/Downloads/x.pcap')).toBe(true);
    expect(hits('cd /work/ci-7/packetarium && npm test')).toBe(true);
    expect(hits('C:\\Users\\ada\\scene.yaml')).toBe(true);
    // Paths of the product or of the system are not machine paths.
    expect(hits("executablePath: '/usr/bin/chromium'")).toBe(false);
    expect(hits('cat /etc/resolv.conf')).toBe(false);
    expect(hits('GET /index.html HTTP/1.1 and ./scenes/router-ping.yaml')).toBe(false);
  });

  it('name no absolute path of this machine or of a developer checkout', () => {
    const pats = machinePathPatterns(root, homedir());
    const offenders: string[] = [];
    for (const f of trackedFiles()) {
      if (f === SELF) continue;
      let text: string;
      try {
        text = readFileSync(join(root, f), 'utf8');
      } catch {
        continue; // deleted in the working tree but still in the index
      }
      text.split('\n').forEach((line, i) => {
        if (pats.some((p) => p.test(line))) offenders.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(offenders, 'resolve paths from import.meta.url or the package root instead').toEqual([]);
  });
});
