import { EventEmitter } from 'node:events';
import type { CliOutput, Terminal } from '../../src/cli/cli-command.js';

/** A {@link CliOutput} that keeps its lines, with signals that only a test sends. */
export interface CapturedOutput extends CliOutput {
  out(line: string): void;
  err(line: string): void;
  readonly signals: EventEmitter;
  /** Everything written to `out`, a line each. */
  stdout(): string;
  /** Everything written to `err`, a line each. */
  stderr(): string;
}

/** An output; with `terminal`, it also looks like a terminal that keeps what is drawn. */
export function captureOutput(terminal?: Terminal): CapturedOutput {
  let stdout = '';
  let stderr = '';
  return {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
    ...(terminal === undefined ? {} : { terminal }),
    signals: new EventEmitter(),
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** A terminal that keeps the raw text written to it. */
export function recordingTerminal(columns = 120): Terminal & { text(): string } {
  let text = '';
  return {
    columns,
    write: (chunk: string) => (text += chunk),
    text: () => text,
  };
}
