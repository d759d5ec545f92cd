import type { CliIo, Command } from './command.js';
import { parseFlags, type FlagSpec, type ParsedFlags } from './parse-flags.js';

/** A command as written: its texts, its flags, and what it does with them parsed. */
export interface CommandDefinition {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly flags: FlagSpec;
  run(flags: ParsedFlags, io: CliIo): Promise<number>;
}

/** Makes a {@link Command} that parses its flags and answers `--help` itself. */
export function defineCommand(definition: CommandDefinition): Command {
  const { name, summary, help, flags: spec } = definition;
  return {
    name,
    summary,
    help,
    run(args, io) {
      const flags = parseFlags(name, args, spec);
      if (flags.values.help === true) {
        io.stdout.write(`${help}\n`);
        return Promise.resolve(0);
      }
      return definition.run(flags, io);
    },
  };
}
