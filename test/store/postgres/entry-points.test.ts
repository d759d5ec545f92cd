import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g;

/** Every package a source file and the files it imports (transitively) import. */
function packagesReachedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = match[1] ?? match[2] ?? '';
      if (target.startsWith('.')) visit(resolve(dirname(file), target.replace(/\.js$/, '.ts')));
      else packages.add(target);
    }
  };
  visit(resolve(SRC, entry));
  return packages;
}

describe('the pg driver', () => {
  it('is not reached from the main entry', () => {
    expect(packagesReachedFrom('index.ts')).not.toContain('pg');
  });

  it('is loaded by the postgres entry', () => {
    expect(packagesReachedFrom('postgres.ts')).toContain('pg');
  });
});
