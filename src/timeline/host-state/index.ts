/**
 * Host state at a time, as a terminal prints it: `ip addr|route|neigh`, `arp -n`, `ss`, `tcpdump`,
 * `cat /etc/resolv.conf`, `help`, `man`. Pure functions of (scene, trace, time, host); see shell.ts.
 */
export { runHostCommand, shellCommands } from './shell';
export { hostInfo, terminalHosts, type HostInfo, type HostInterface, type HostStateSource } from './host-info';
export { neighbours, type Neighbour } from './neighbours';
export { tcpdumpFilter, tcpdumpLine, tcpdumpTime } from './tcpdump-command';
export type { CommandResult } from './result';
