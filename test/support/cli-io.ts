import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/command.js';

/** A {@link CliIo} that keeps what is written, with a process that only gets signals we send. */
export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
  readonly process: EventEmitter;
}

function collector(chunks: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
}

export function captureIo(): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: collector(out),
    stderr: collector(err),
    process: new EventEmitter(),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
