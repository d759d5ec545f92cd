import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A file a scan will read. */
export interface InputFile {
  path: string;
  sizeBytes: number;
}

/** Folders a scan does not descend into. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage']);

/** The most files one scan reads, so that pointing it at `/` ends in reasonable time. */
export const MAX_INPUT_FILES = 5_000;

/**
 * The regular files under `paths` (files as they are, folders walked recursively, in name
 * order), skipping hidden entries, symbolic links and build folders.
 */
export async function listInputFiles(paths: readonly string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const path of paths) await collect(path, files);
  return files;
}

async function collect(path: string, files: InputFile[]): Promise<void> {
  if (files.length >= MAX_INPUT_FILES) return;

  const info = await stat(path);
  if (info.isFile()) {
    files.push({ path, sizeBytes: info.size });
    return;
  }
  if (!info.isDirectory()) return;

  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => !entry.isSymbolicLink() && !entry.name.startsWith('.'))
    .filter((entry) => !SKIPPED_FOLDERS.has(entry.name))
    .map((entry) => entry.name)
    .sort();

  for (const name of names) await collect(join(path, name), files);
}
