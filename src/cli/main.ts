#!/usr/bin/env node
import { runCli } from './run-cli.js';

void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  terminal: process.stdout.isTTY ? process.stdout : undefined,
  signals: process,
}).then((exitCode) => {
  // Exit once the output is flushed, even if a jobs module left a socket or timer open.
  process.stdout.write('', () => process.exit(exitCode));
});
