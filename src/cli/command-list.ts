import type { CliCommand } from './cli-command.js';
import { listCommand } from './commands/list.js';
import { nextCommand } from './commands/next.js';
import { runCommand } from './commands/run.js';

/** Every `orbit` subcommand, in the order `orbit --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [runCommand, listCommand, nextCommand];
