/** Colours shared by the 3D view and the panels (legend, event list). */
import { ProtoClass } from '../timeline';

/** Packet colour per protocol class (index = ProtoClass). */
export const PROTO_COLORS: Record<ProtoClass, string> = {
  [ProtoClass.Other]: '#b0b8c8',
  [ProtoClass.ARP]: '#f5c542',
  [ProtoClass.ICMP]: '#4fd1c5',
  [ProtoClass.UDP]: '#b388ff',
  [ProtoClass.TCP]: '#63b3ff',
};
export const DROP_COLOR = '#ff5a5a';
export const SELECTED_COLOR = '#ffffff';

/** Device body colours by kind. */
export const DEVICE_COLORS: Record<string, string> = {
  host: '#8fa3bf',
  server: '#5d6b80',
  switch: '#2f9e8f',
  hub: '#d9822b',
  router: '#5b6cf0',
};
