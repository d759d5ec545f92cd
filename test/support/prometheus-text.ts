/** One sample line of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape, parsed: the samples, and the `# TYPE` and `# HELP` of each metric family. */
export interface Scrape {
  samples: Sample[];
  types: Record<string, string>;
  help: Record<string, string>;
  /** The value of the one sample of `name` whose labels include `labels`; throws if not one. */
  value(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/y;

/** Parses text in the Prometheus exposition format (version 0.0.4). */
export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  const help: Record<string, string> = {};

  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const comment = /^#\s+(HELP|TYPE)\s+(\S+)\s+(.*)$/.exec(line);
    if (comment !== null) {
      (comment[1] === 'TYPE' ? types : help)[comment[2]!] = comment[3]!;
      continue;
    }
    if (line.startsWith('#')) continue;
    samples.push(parseSample(line));
  }

  return { samples, types, help, value: (name, labels = {}) => only(samples, name, labels) };
}

function parseSample(line: string): Sample {
  const match = SAMPLE.exec(line);
  if (match === null) throw new Error(`not a sample line: ${line}`);
  return { name: match[1]!, labels: parseLabels(match[2] ?? ''), value: parseValue(match[3]!) };
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (match === null || match.index !== start) throw new Error(`bad labels: {${text}}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, char: string) =>
      char === 'n' ? '\n' : char,
    );
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new Error(`bad sample value: ${text}`);
  return value;
}

function only(samples: Sample[], name: string, labels: Record<string, string>): number {
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1) {
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}, not one`);
  }
  return found[0]!.value;
}
