import type { CliCommand } from './cli-command.js';
import { nextCommand } from './commands/next.js';

/** Every `orbit` subcommand, in the order `orbit --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [nextCommand];
