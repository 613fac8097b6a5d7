/**
 * Programs by registration: each app declares its name, usage and an argument parser, and starts
 * on a device. Scene `run` entries and (later) the terminal go through {@link parseCommand}.
 */
import type { IpDevice } from '../net/ip/ip-device';
import { splitCommand, type OptionSpec } from './command';
import type { Program } from './program';

/** A registered program. `O` is its parsed options. */
export interface AppKind<O> {
  readonly name: string;
  /** One line, for help and errors. */
  readonly summary: string;
  /** Usage line like a man page's synopsis. */
  readonly usage: string;
  /** The options it accepts (`-c`, `--backends`), for completion; `parse` is the authority. */
  readonly options?: OptionSpec;
  /** Parses the words after the program name. */
  parse(argv: readonly string[]): { ok: true; options: O } | { ok: false; error: string };
  /** Creates the program (not yet started). */
  create(device: IpDevice, options: O): Program;
}

const apps = new Map<string, AppKind<unknown>>();

/** Registers (or replaces) a program. */
export function registerApp<O>(kind: AppKind<O>): void {
  apps.set(kind.name, kind as AppKind<unknown>);
}

/** All registered programs, by name. */
export function appKinds(): AppKind<unknown>[] {
  return [...apps.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A command ready to start. */
export interface ParsedCommand {
  readonly app: AppKind<unknown>;
  readonly options: unknown;
}

/** Parses a command line into a program and its options, or says what is wrong. */
export function parseCommand(cmd: string): { ok: true; command: ParsedCommand } | { ok: false; error: string } {
  const split = splitCommand(cmd);
  if (!split.ok) return split;
  const [name, ...rest] = split.argv;
  if (!name) return { ok: false, error: 'empty command' };
  const app = apps.get(name);
  if (!app) return { ok: false, error: `unknown program "${name}" (known: ${[...apps.keys()].sort().join(', ')})` };
  const parsed = app.parse(rest);
  if (!parsed.ok) return { ok: false, error: `${name}: ${parsed.error}; usage: ${app.usage}` };
  return { ok: true, command: { app, options: parsed.options } };
}

/** Why a command would not run, or undefined when it is fine (for scene validation). */
export function checkCommand(cmd: string): string | undefined {
  const r = parseCommand(cmd);
  return r.ok ? undefined : r.error;
}

/** Starts a parsed command on a device. */
export function startCommand(device: IpDevice, command: ParsedCommand): Program {
  const program = command.app.create(device, command.options);
  program.name = command.app.name;
  return program.launch();
}
