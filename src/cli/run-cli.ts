import { describeThrown, isOrbitError, OrbitError } from '../errors/orbit-error.js';
import type { CliCommand, CliOutput } from './cli-command.js';
import { COMMANDS } from './command-list.js';
import { packageVersion } from './package-version.js';

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/**
 * Runs `orbit` with the arguments after the program name and returns the exit code: 0,
 * 1 for bad input or a failure, 2 for no command at all (the usage is printed). Bad
 * input is printed as `orbit: CODE: message`, never as a stack trace.
 */
export async function runCli(
  argv: readonly string[],
  output: CliOutput,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V') {
    output.out(packageVersion());
    return EXIT_OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.out(globalHelp(commands));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }

  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) return fail(output, unknownCommand(name, commands));
  if (args.includes('--help') || args.includes('-h')) {
    output.out(command.help);
    return EXIT_OK;
  }

  try {
    return await command.run(args, output);
  } catch (error) {
    return fail(output, error);
  }
}

/** Prints what went wrong on one line and gives the failure exit code. */
function fail(output: CliOutput, error: unknown): number {
  output.err(
    isOrbitError(error)
      ? `orbit: ${error.code}: ${error.message}`
      : `orbit: unexpected error: ${describeThrown(error)}`,
  );
  return EXIT_FAILURE;
}

function unknownCommand(name: string, commands: readonly CliCommand[]): OrbitError {
  const known = commands.map((command) => command.name).join(', ');
  return new OrbitError(
    'INVALID_CONFIG',
    `unknown command '${name}'; the commands are ${known}. Run 'orbit --help' for more.`,
  );
}

function globalHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'Usage: orbit <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -V, --version  print the version of orbit-scheduler',
    '',
    "Run 'orbit <command> --help' for the options of a command.",
    'Without a command, orbit prints this help and exits with 2.',
  ].join('\n');
}
