import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OrbitError } from '../errors/orbit-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `node:util`'s `parseArgs` gives for a set of options, with positionals allowed. */
export type ParsedArgs<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/**
 * Parses a command's arguments strictly: unknown options and missing values are refused.
 *
 * @throws OrbitError `INVALID_CONFIG` with the parser's explanation.
 */
export function parseCliArgs<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
): ParsedArgs<T> {
  const parse = (given: readonly string[]) =>
    parseArgs({ args: [...given], options, allowPositionals: true, strict: true });
  try {
    return parse(args);
  } catch (error) {
    // A negative number after an option is its value: the option's own check judges it.
    const joined = joinNegativeValue(error, args);
    if (joined === undefined) throw cliInputError(command, describeParseError(error, args));
    return parseCliArgs(command, joined, options);
  }
}

/** `args` with `--opt -5` written `--opt=-5`, when that is what `error` refused. */
function joinNegativeValue(error: unknown, args: readonly string[]): string[] | undefined {
  const { option, longForm } = ambiguousOption(error);
  const at = option === undefined ? -1 : args.indexOf(option);
  const value = args[at + 1];
  if (longForm === undefined || value === undefined || !/^-\d/.test(value)) return undefined;
  return [...args.slice(0, at), `${longForm}=${value}`, ...args.slice(at + 2)];
}

/** The option parseArgs found a dash-led value after, and its long form. */
function ambiguousOption(error: unknown): { option?: string; longForm?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return {};

  const longForm = /use '(--[^=']+)=-XYZ'/.exec(message)?.[1];
  return { option: /'(-[^']*)'/.exec(message)?.[1], longForm };
}

/** The error for a bad argument of `orbit <command>`, pointing at its help. */
export function cliInputError(command: string, reason: string): OrbitError {
  return new OrbitError(
    'INVALID_CONFIG',
    `orbit ${command}: ${reason}. Run 'orbit ${command} --help' for its options.`,
  );
}

function describeParseError(error: unknown, args: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const option = /'(-[^']*)'/.exec(message)?.[1];

  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    return `unknown option '${option}'`;
  }
  // parseArgs will not take a value that starts with '-' after a space: say how to give one.
  const { longForm } = ambiguousOption(error);
  if (option !== undefined && longForm !== undefined) {
    const value = args[args.indexOf(option) + 1] ?? '';
    return (
      `${option} got '${value}', which reads as an option; ` +
      `to give a value that starts with '-', write ${longForm}=${value}`
    );
  }
  return message.split('\n')[0]?.replace(/\.$/, '') ?? message;
}
