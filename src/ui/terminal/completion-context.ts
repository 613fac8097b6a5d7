/**
 * What Tab completes in a host's terminal, from the registered programs (their option specs), the
 * terminal's own commands and the scene (host names and addresses).
 */
import '../../apps';
import { appKinds } from '../../apps/registry';
import { shellCommands, type HostStateSource } from '../../timeline/host-state';
import { optionWords, type CompletionContext } from './completion';
import { sceneAddresses } from './interpret';

/** Options and words of the state commands (the programs' come from their specs). */
const SHELL_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  ip: ['-4', '-n'],
  arp: ['-n'],
  ss: ['-t', '-u', '-a', '-l', '-n', '-e', '-tan', '-uan'],
  tcpdump: ['-n', '-i'],
};
const SHELL_WORDS: Readonly<Record<string, readonly string[]>> = {
  ip: ['address', 'route', 'neigh', 'show', 'dev'],
  cat: ['/etc/resolv.conf', '/etc/hostname'],
  tcpdump: ['icmp', 'tcp', 'udp', 'arp', 'ip', 'host', 'src', 'dst', 'port', 'and', 'or', 'not'],
};

/** The completion context of a scene's terminals. */
export function completionContext(src: HostStateSource): CompletionContext {
  const apps = appKinds();
  const shell = shellCommands().map((c) => c.name);
  const commands = [...shell, ...apps.map((a) => a.name), 'history', 'clear'];
  const names = sceneAddresses(src).flatMap((h) => [h.host, ...h.addrs]);
  return {
    commands,
    names,
    options: (command) => SHELL_OPTIONS[command] ?? optionWords(apps.find((a) => a.name === command)?.options),
    argWords: (command) => (command === 'man' ? [...shell, ...apps.map((a) => a.name)] : (SHELL_WORDS[command] ?? [])),
  };
}
