import { statSync } from 'node:fs';

/** A file's modification stamp (`mtime:size`), or undefined when it is not a readable file. */
export function stampOf(path: string): string | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? `${s.mtimeMs}:${s.size}` : undefined;
  } catch {
    return undefined;
  }
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
