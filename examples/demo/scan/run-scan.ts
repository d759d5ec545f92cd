import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Clock, JobControl } from '../../../src/index.js';
import { delay } from '../delay.js';
import { createAnalyzer, type AnalyzerKind, type ScanSummary } from './analyzer.js';
import { listInputFiles, type InputFile } from './input-files.js';
import type { LineAnalyzer } from './line-analyzer.js';
import type { FinishedScan } from './scan-results.js';

/** What to scan and how. */
export interface ScanInput {
  /** What is scanned, for people: a file or folder name. */
  label: string;
  /** Files and folders to read. */
  paths: readonly string[];
  /** Paths in summaries are shown relative to this folder. */
  baseDir: string;
  analyzer: AnalyzerKind;
}

/** How a scan paces itself and whom it tells about progress. */
export interface ScanPacing {
  clock: Clock;
  /** Lines handled between two checkpoints. */
  chunkLines: number;
  /** A pause after each chunk, so that people can watch and steer the scan. */
  paceMs: number;
  /** Called when progress crosses a quarter: 25, 50, 75. */
  onMilestone?: (percent: number, processedBytes: number, totalBytes: number) => void;
}

/** The progress a scan reports through `ctrl.saveData` after every chunk. */
export interface ScanProgress {
  processed: number;
  total: number;
  lines: number;
  file: string;
}

const NUL = String.fromCharCode(0);

/**
 * Reads every input file in chunks of lines. Between chunks it reports progress, offers a
 * pause at `ctrl.checkpoint()` and waits `paceMs`; an aborted `ctrl.signal` ends it.
 */
export async function runScan(
  ctrl: JobControl,
  input: ScanInput,
  pacing: ScanPacing,
): Promise<FinishedScan> {
  const startedMs = pacing.clock.now();
  const files = await listInputFiles(input.paths);
  const scan = new ScanRun(ctrl, input, pacing, files);

  for (const file of files) await scan.scanFile(file);

  return {
    source: input.label,
    summary: scan.finish(),
    finishedAt: new Date(pacing.clock.now()),
    durationMs: pacing.clock.now() - startedMs,
    bytes: scan.totalBytes,
    skippedFiles: scan.skippedFiles,
  };
}

class ScanRun {
  readonly totalBytes: number;
  skippedFiles = 0;
  readonly #ctrl: JobControl;
  readonly #input: ScanInput;
  readonly #pacing: ScanPacing;
  readonly #analyzer: LineAnalyzer<ScanSummary>;
  #processedBytes = 0;
  #lines = 0;
  #quartersReported = 0;

  constructor(ctrl: JobControl, input: ScanInput, pacing: ScanPacing, files: InputFile[]) {
    this.#ctrl = ctrl;
    this.#input = input;
    this.#pacing = pacing;
    this.#analyzer = createAnalyzer(input.analyzer);
    this.totalBytes = files.reduce((sum, file) => sum + file.sizeBytes, 0);
    this.#report('');
  }

  async scanFile(file: InputFile): Promise<void> {
    this.#ctrl.signal.throwIfAborted();
    const name = relative(this.#input.baseDir, file.path) || file.path;
    const text = await readText(file.path);
    const fileStartBytes = this.#processedBytes;

    if (text === undefined) {
      this.skippedFiles += 1;
    } else {
      this.#analyzer.startFile(name);
      await this.#readLines(splitLines(text), name, fileStartBytes, file.sizeBytes);
    }

    this.#processedBytes = fileStartBytes + file.sizeBytes;
    this.#report(name);
  }

  finish(): ScanSummary {
    return this.#analyzer.finish();
  }

  async #readLines(
    lines: string[],
    name: string,
    startBytes: number,
    sizeBytes: number,
  ): Promise<void> {
    const { chunkLines, clock, paceMs } = this.#pacing;
    let readBytes = 0;

    for (let start = 0; start < lines.length; start += chunkLines) {
      const chunk = lines.slice(start, start + chunkLines);
      for (const line of chunk) this.#analyzer.addLine(line, name);

      this.#lines += chunk.length;
      readBytes += chunk.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
      this.#processedBytes = startBytes + Math.min(readBytes, sizeBytes);
      this.#report(name);

      await this.#ctrl.checkpoint();
      await delay(clock, paceMs, this.#ctrl.signal);
    }
  }

  #report(file: string): void {
    const processed = this.#processedBytes;
    const progress: ScanProgress = { processed, total: this.totalBytes, lines: this.#lines, file };
    this.#ctrl.saveData({ ...progress });
    this.#announceQuarters(processed);
  }

  #announceQuarters(processed: number): void {
    if (this.totalBytes === 0) return;

    const quarters = Math.floor((processed / this.totalBytes) * 4);
    while (this.#quartersReported < Math.min(quarters, 3)) {
      this.#quartersReported += 1;
      this.#pacing.onMilestone?.(this.#quartersReported * 25, processed, this.totalBytes);
    }
  }
}

/** A file's text, or `undefined` when it cannot be read or looks binary. */
async function readText(path: string): Promise<string | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return text.includes(NUL) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Lines of a text, without the empty piece after a final newline. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
