/** The syntax tree of a match expression (see `parse.ts` for the language). */

/** A literal as written: a number, an IPv4 or MAC address, TCP flag names, or a string. */
export type MatchValue =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'ipv4'; value: number; text: string }
  | { kind: 'mac'; value: string; text: string }
  | { kind: 'string'; value: string; text: string };

export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

/** `pos` is the 0-based character offset of the node in the source text. */
export type MatchExpr =
  | { type: 'and' | 'or'; left: MatchExpr; right: MatchExpr; pos: number }
  | { type: 'not'; expr: MatchExpr; pos: number }
  /** A protocol name (`tcp`) or field (`tcp.options.mss_val`) that must be present. */
  | { type: 'present'; field: string; pos: number }
  | { type: 'compare'; field: string; op: CompareOp; value: MatchValue; pos: number };
