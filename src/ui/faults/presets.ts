/**
 * Fault presets, in the spirit of Toxiproxy's toxics: a few named combinations of branch actions
 * applied at the playhead to a link (or, for an outage, to a group of devices).
 */

/** A preset: applies to a link or to a group of devices and gives the actions (without their time). */
export interface FaultPreset {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly on: 'link' | 'group';
  actions(target: string, allNodes: readonly string[]): string[];
}

export const PRESETS: readonly FaultPreset[] = [
  {
    id: 'flaky-wifi',
    label: 'Flaky Wi-Fi',
    description: '5% loss and 15 ms of jitter on the link',
    on: 'link',
    actions: (l) => [`link ${l} loss 5% jitter 15ms`],
  },
  {
    id: 'satellite',
    label: 'Satellite link',
    description: '300 ms each way (about 600 ms round trip) and 10 Mbps',
    on: 'link',
    actions: (l) => [`link ${l} latency 300ms bandwidth 10Mbps`],
  },
  {
    id: 'congested-uplink',
    label: 'Congested uplink',
    description: 'capped at 1 Mbps with a 10-frame queue',
    on: 'link',
    actions: (l) => [`link ${l} bandwidth 1Mbps queue 10`],
  },
  {
    id: 'region-outage',
    label: 'Region outage',
    description: 'the group is cut off from every other device (a partition)',
    on: 'group',
    actions: (group, all) => {
      const g = group
        .split(/[,\s]+/)
        .map((x) => x.trim())
        .filter(Boolean);
      const rest = all.filter((n) => !g.includes(n));
      return [`partition ${g.join(',')} | ${rest.join(',')}`];
    },
  },
];
