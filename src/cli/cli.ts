import { OrbitError } from '../errors/orbit-error.js';
import { usageError, type CliIo, type Command } from './command.js';
import { listCommand } from './commands/list.js';
import { runCommand } from './commands/run.js';

/** Every subcommand of `orbit`, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [runCommand, listCommand];

/** Exit code of a bad command line. */
export const USAGE_EXIT_CODE = 2;

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: orbit <command> [options]

Orbit runs scheduled jobs: every N milliseconds or on a cron expression.

Commands:
${lines.join('\n')}

Run 'orbit <command> --help' for a command's options.`;
}

/**
 * Runs `orbit` with `args` (the words after `orbit`) and resolves to the exit code. An
 * {@link OrbitError} becomes one line, `orbit: CODE: message`, with no stack: exit code 2
 * for a bad command line, 1 otherwise.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(args, io);
  } catch (error) {
    if (!(error instanceof OrbitError)) throw error;
    io.stderr.write(`orbit: ${error.code}: ${error.message}\n`);
    return error.code === 'INVALID_ARGUMENT' ? USAGE_EXIT_CODE : 1;
  }
}

function dispatch(args: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    io.stderr.write(`${topHelp()}\n`);
    return Promise.resolve(USAGE_EXIT_CODE);
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    io.stdout.write(`${topic === undefined ? topHelp() : find(topic).help}\n`);
    return Promise.resolve(0);
  }
  return find(first).run(rest, io);
}

function find(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command !== undefined) return command;
  const known = COMMANDS.map((candidate) => candidate.name).join(', ');
  throw usageError('', `unknown command '${name}'; the commands are ${known}`);
}
