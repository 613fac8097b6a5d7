/** What a terminal command prints: standard output, standard error and its exit status. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** Standard error printed before standard output (tcpdump's "listening on ..." banner), if any. */
  readonly preamble?: string;
}
