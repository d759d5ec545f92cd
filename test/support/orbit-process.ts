import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One JSON log line of `orbit run`. */
export type LogRecord = Record<string, unknown> & { msg: string; level: string };

/** An `orbit` child process, its JSON log as it comes, and its end. */
export interface OrbitProcess {
  readonly records: LogRecord[];
  /** Resolves with the first record, now or to come, that `match` accepts. */
  waitFor(match: (record: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
  signal(name: NodeJS.Signals): void;
  /** Resolves when the process is gone, with its exit code and everything it printed. */
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Options of {@link startOrbit}. */
export interface StartOptions {
  /** Whether standard output is JSON lines, read into `records`. @default true */
  readonly json?: boolean;
  /**
   * Run `npm run <script> -- <args>` instead of `orbit <args>`; npm's own banner lines
   * stay out of `records`.
   */
  readonly npmScript?: string;
  /** Variables added to the environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Close standard output after reading this many lines, as `orbit ... | head -n N`
   * does: the process's next write finds no reader. 0 closes it before any line.
   */
  readonly headLines?: number;
}

const REPO = new URL('../../', import.meta.url);

/** npm's lines around a script's own output: `> package@version script`, `> command`. */
const NPM_BANNER = /^(> |$)/;

/**
 * Starts `orbit <args>` from this repository's source through tsx (or an npm script), in
 * the repo root.
 */
export function startOrbit(args: readonly string[], options: StartOptions = {}): OrbitProcess {
  const { npmScript } = options;
  const [command, commandArgs] =
    npmScript === undefined
      ? [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]]
      : ['npm', ['run', npmScript, '--', ...args]];
  const child = spawn(command, commandArgs, {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: LogRecord[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let linesRead = 0;
  const { headLines = Infinity } = options;
  if (headLines === 0) child.stdout.destroy();
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (linesRead >= headLines) return;
    if (++linesRead === headLines) child.stdout.destroy();
    stdout += `${line}\n`;
    if (options.json === false || (npmScript !== undefined && NPM_BANNER.test(line))) return;
    records.push(JSON.parse(line) as LogRecord);
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

  const waitFor = (match: (record: LogRecord) => boolean, timeoutMs = 15_000) =>
    new Promise<LogRecord>((resolve, reject) => {
      const check = () => {
        const found = records.find(match);
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return { records, waitFor, signal: (name) => child.kill(name), exited };
}
