/** Where a command writes: one line per call, without the trailing newline. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
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
