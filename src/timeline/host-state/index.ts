/**
 * Host state at a time, as a terminal prints it: `ip addr|route|neigh`, `arp -n`, `ss`, `tcpdump`,
 * `cat /etc/resolv.conf`, `help`, `man`. Pure functions of (scene, trace, time, host); see shell.ts.
 */
export { runHostCommand } from './shell';
export { hostInfo, terminalHosts, type HostStateSource } from './host-info';
export { shellCommands } from './shell';
