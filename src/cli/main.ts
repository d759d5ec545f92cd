#!/usr/bin/env node
import { runCli } from './cli.js';

/** The `orbit` binary: runs the CLI on this process and exits with its code. */
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, process }).then(
  (code) => exit(code),
  (error: unknown) => {
    // Only a defect of Orbit gets here: coded errors were printed as one line already.
    process.stderr.write(`orbit: unexpected failure: ${String((error as Error).stack ?? error)}\n`);
    exit(70);
  },
);

/** Exits once everything written so far has been flushed. */
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}
