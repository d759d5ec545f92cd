import { parseArgs } from 'node:util';
import { usageError } from './command.js';

/** The flags a command takes: each one a string value or a switch. */
export type FlagSpec = Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;

/** The command line of one command, parsed. */
export interface ParsedFlags {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments with Node's `parseArgs`, turning its errors into
 * `INVALID_ARGUMENT` messages that name the command. `--help` and `-h` are always known.
 */
export function parseFlags(command: string, args: readonly string[], spec: FlagSpec): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values, positionals };
  } catch (error) {
    throw usageError(command, describeParseError(error));
  }
}

/** `parseArgs` messages are long and mention its API; say the same in the CLI's words. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `option ${option ?? ''} needs a value (write ${option ?? '--option'}=VALUE for one that starts with a dash)`;
    default:
      return message ?? String(error);
  }
}

/** A string flag's value; `undefined` when absent. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === 'string' ? value : undefined;
}
