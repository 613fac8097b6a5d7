/**
 * What a device kind declares about its scene configuration: the fields it accepts (a zod schema
 * for everything besides `id`, `kind`, `label` and `position`), the interfaces it brings, and any
 * checks of its own. Scene validation reads only this; the simulation model is registered beside it
 * (see device-registry.ts).
 */
import type { z } from 'zod';

/** One interface a device declares in its config. */
export interface InterfaceDecl {
  /** Interface name, e.g. `eth0`. */
  readonly name: string;
  /** Address with prefix length, e.g. `10.0.0.1/24`, when the interface has one. */
  readonly cidr?: string;
  /** Explicit MAC address, when the scene gives one. */
  readonly mac?: string;
}

/** Reports a problem at a path relative to the node (e.g. `['interfaces', 1]`). */
export type ReportIssue = (path: readonly (string | number)[], message: string) => void;

/** The configuration side of a device kind. */
export interface DeviceConfigSpec<C = unknown> {
  /** The `kind` value in scenes, e.g. `host`. */
  readonly kind: string;
  /** One line for error messages and the scene editor. */
  readonly description: string;
  /** Schema of the kind's own fields (the node object minus id, kind, label, position). */
  readonly config: z.ZodType<C>;
  /**
   * The interfaces the config declares, in order. `'per-link'` means one unnamed port per link
   * (switches, hubs). A link that names no interface (`a: r1` rather than `a: r1:eth1`) takes the
   * one on the subnet of what is across it (see scenario/wiring.ts).
   */
  interfaces(config: C): readonly InterfaceDecl[] | 'per-link';
  /**
   * Addresses the device sends through (its gateway, its routes' next hops), which tell scene
   * validation which interface of a neighbouring router a link reaches. None when absent.
   */
  nextHops?(config: C): readonly string[];
  /**
   * Most links the device accepts (e.g. 1 for a host), fixed or read from the config (a switch's
   * `ports`); no limit beyond the declared interfaces when absent or `undefined`. (The function is
   * typed as a method so a spec stays assignable to `DeviceConfigSpec<unknown>`.)
   */
  readonly maxLinks?: number | { limit(config: C): number | undefined }['limit'];
  /**
   * Kinds this one cannot be linked to directly, each with the reason the scene is given (e.g. a
   * hub refuses another hub). Validation applies it from either end of a link.
   */
  readonly cannotLinkTo?: Readonly<Record<string, string>>;
  /** Kind-specific checks beyond the schema (e.g. a gateway outside the host's subnet). */
  validate?(config: C, report: ReportIssue): void;
}
