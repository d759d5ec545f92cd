/** Where a command writes: one line per call, without the trailing newline. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
  /** The terminal standard output is, if it is one: a command may redraw text on it. */
  readonly terminal?: Terminal;
  /** Where SIGINT and SIGTERM arrive, for a command that runs until stopped. */
  readonly signals?: NodeJS.EventEmitter;
  /**
   * Settles if standard output closes while the command runs, as when the reader of a
   * pipe has gone (`orbit run | head`). Lines given to `out` after that are dropped.
   */
  readonly outClosed?: Promise<void>;
}

/** A terminal a command can write raw text to, escape sequences included. */
export interface Terminal {
  write(text: string): unknown;
  /** Its width in characters, when known. */
  readonly columns?: number;
}

/** One `orbit <name>` subcommand. */
export interface CliCommand {
  /** The word after `orbit`. */
  readonly name: string;
  /** One line for `orbit --help`. */
  readonly summary: string;
  /** The full text of `orbit <name> --help`. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name and returns the exit code.
   *
   * @throws OrbitError for bad input; the dispatcher prints its code and message.
   */
  run(args: readonly string[], output: CliOutput): Promise<number> | number;
}
