/**
 * Prints where a child's CPU went: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
 * Profiles come from `npm run bench -- --cpu-prof`. Self time is summed per function and
 * per source file; a bundled function is traced back to its file through the `// path`
 * comments esbuild writes at the start of each module in the bundle.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatTable } from './report/format.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const sourceIndexes = new Map<string, { line: number; file: string }[]>();

/** The module a line of a bundled file belongs to, from esbuild's `// file` comments. */
function sourceOf(url: string, lineNumber: number): string {
  if (!url.startsWith('file://')) return url === '' ? '(native)' : url;
  // A module's own top-level code is reported as an anonymous function at line 0.
  if (lineNumber === 0) return `(top level of ${url.replace(/^.*\//, '')})`;
  let index = sourceIndexes.get(url);
  if (index === undefined) {
    const lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
    index = lines.flatMap((text, line) => {
      const match = /^\/\/ ((?:src|bench|node_modules)\/\S+)$/.exec(text);
      return match?.[1] === undefined ? [] : [{ line, file: match[1] }];
    });
    sourceIndexes.set(url, index);
  }
  const section = index.filter((entry) => entry.line <= lineNumber).pop();

  return section?.file ?? url.replace(/^.*\/node_modules\//, '');
}

function selfTimes(profile: Profile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => {
    times.set(nodeId, (times.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });

  return times;
}

function addTo(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

function topRows(totals: Map<string, number>, totalUs: number, top: number): string[][] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => [key, (us / 1000).toFixed(1), ((100 * us) / totalUs).toFixed(1)]);
}

function main(): void {
  const [path, topText = '25'] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  for (const [nodeId, us] of selfTimes(profile)) {
    const frame = byId.get(nodeId)?.callFrame;
    if (frame === undefined) continue;
    const file = sourceOf(frame.url, frame.lineNumber);
    addTo(byFunction, `${frame.functionName || '(anonymous)'}  ${file}`, us);
    addTo(byFile, file, us);
    totalUs += us;
  }
  const top = Number(topText);
  console.log(formatTable(['function  file', 'self ms', '%'], topRows(byFunction, totalUs, top)));
  console.log(`\n${formatTable(['file', 'self ms', '%'], topRows(byFile, totalUs, top))}`);
}

main();
