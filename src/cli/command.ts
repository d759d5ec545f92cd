import { OrbitError } from '../errors/orbit-error.js';

/** Where a command writes and what it may read of its process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  /** The process whose signals a long-running command listens to. */
  readonly process: NodeJS.EventEmitter;
}

/** One `orbit` subcommand. */
export interface Command {
  readonly name: string;
  /** One line for `orbit --help`. */
  readonly summary: string;
  /** The full text of `orbit <name> --help`. */
  readonly help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The error for a bad command line; `orbit` prints its message and exits with 2. */
export function usageError(command: string, message: string): OrbitError {
  const where = command === '' ? 'orbit' : `orbit ${command}`;
  return new OrbitError('INVALID_ARGUMENT', `${where}: ${message}; see '${where} --help'`);
}
