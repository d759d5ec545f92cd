#!/usr/bin/env node
import { OutputStream } from './output-stream.js';
import { runCli } from './run-cli.js';

const stdout = new OutputStream(process.stdout);
const stderr = new OutputStream(process.stderr);

void runCli(process.argv.slice(2), {
  out: (line) => stdout.write(`${line}\n`),
  err: (line) => stderr.write(`${line}\n`),
  terminal: process.stdout.isTTY ? stdout : undefined,
  signals: process,
  outClosed: stdout.closed,
}).then(async (exitCode) => {
  // Exit once the output is flushed, even if a jobs module left a socket or timer open.
  await Promise.all([stdout.flush(), stderr.flush()]);
  process.exit(exitCode);
});
