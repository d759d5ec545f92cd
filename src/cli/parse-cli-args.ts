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
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = describeParseError(error);
    throw new OrbitError(
      'INVALID_CONFIG',
      `orbit ${command}: ${reason}. Run 'orbit ${command} --help' for its options.`,
    );
  }
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const option = /'(-[^']*)'/.exec(message)?.[1];

  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    return `unknown option '${option}'`;
  }
  return message.replace(/\.$/, '');
}
