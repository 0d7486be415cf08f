import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';
import type Picomatch from 'picomatch';
import { isCloudAssembly, readCloudAssembly } from '../parsers/cdk.js';
import type { CdkStack } from '../parsers/index.js';

// Loaded on first use: a run over named files (a pre-commit hook) never pays for them.
const require = createRequire(import.meta.url);
let fgModule: typeof FastGlob | undefined;
const fg = (): typeof FastGlob => (fgModule ??= require('fast-glob') as typeof FastGlob);
export const picomatch = ((...args: Parameters<typeof Picomatch>) => (require('picomatch') as typeof Picomatch)(...args)) as typeof Picomatch;

export interface Candidate {
  path: string;
  /** Named on the command line (gets a notice when it is none of our formats). */
  explicit: boolean;
  cdk?: CdkStack;
}

export interface DiscoverResult {
  files: Candidate[];
  notices: string[];
  /** Each input (file, folder or glob) that produced no candidate file. */
  unmatched: string[];
}

const EXTENSIONS = '{yaml,yml,json,template}';
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** Paths, directories and globs in; candidate files out (cloud assemblies expanded to their templates). */
export function discover(inputs: string[], cwd: string, ignorePatterns: string[] = [], ignoreBase = cwd): DiscoverResult {
  const notices: string[] = [];
  const unmatched: string[] = [];
  const files: Candidate[] = [];
  const seen = new Set<string>();
  const ignored = ignorePatterns.length ? picomatch(ignorePatterns, { dot: true }) : undefined;
  const isIgnored = (p: string) => !!ignored && ignored(relative(ignoreBase, p).split(sep).join('/'));
  const push = (c: Candidate) => {
    if (seen.has(c.path)) return;
    seen.add(c.path);
    files.push(c);
  };

  for (const input of inputs) {
    const abs = resolve(cwd, input);
    let stat;
    try {
      stat = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') {
        notices.push(`${input}: symbolic link loop; skipped`);
        continue;
      }
      if (code === 'EACCES') {
        notices.push(`${input}: permission denied; skipped`);
        continue;
      }
      if (!fg().isDynamicPattern(input)) {
        notices.push(`${input}: no such file or directory`);
        unmatched.push(input);
        continue;
      }
      const matches = fg().sync(input, { cwd, absolute: true, dot: false, ignore: ALWAYS_IGNORED, followSymbolicLinks: false, onlyFiles: true });
      if (!matches.length) {
        notices.push(`${input}: no files match`);
        unmatched.push(input);
      }
      for (const m of matches.sort()) if (!isIgnored(m)) push({ path: m, explicit: false });
      continue;
    }
    if (stat.isFile()) {
      if (isIgnored(abs)) notices.push(`${input}: ignored by ignorePatterns`);
      else push({ path: abs, explicit: true });
      continue;
    }
    if (!stat.isDirectory()) {
      notices.push(`${input}: not a file or directory; skipped`);
      continue;
    }
    if (isCloudAssembly(abs)) {
      const templates = readCloudAssembly(abs, notices);
      if (!templates.length) unmatched.push(input);
      for (const t of templates) push({ path: t.path, explicit: false, ...(t.stack ? { cdk: t.stack } : {}) });
      continue;
    }
    if (!walk(abs, isIgnored, push, notices)) unmatched.push(input);
  }
  return { files, notices, unmatched };
}

/** Walks `dir`; returns how many candidates it found (before de-duplication). */
function walk(dir: string, isIgnored: (p: string) => boolean, push: (c: Candidate) => void, notices: string[]): number {
  const ignore = [...ALWAYS_IGNORED, ...gitignorePatterns(dir)];
  let entries: string[];
  try {
    entries = fg().sync(`**/*.${EXTENSIONS}`, { cwd: dir, absolute: true, dot: false, ignore, followSymbolicLinks: false, onlyFiles: true, suppressErrors: true });
  } catch {
    return 0;
  }
  entries.sort();
  // A folder holding a cloud assembly is one input: its templates, not its JSON files.
  let assemblies = entries
    .filter((p) => p.endsWith(`${sep}manifest.json`) || p.endsWith('/manifest.json'))
    .map((p) => dirname(p))
    .filter((d) => isCloudAssembly(d));
  // A nested assembly is read through its parent's manifest, as when the parent is named itself
  // (ancestors looked up in a set: linear in the number of assemblies times the depth).
  const found0 = new Set(assemblies);
  const nested = (d: string) => {
    for (let up = dirname(d); up !== d && up.length >= dir.length; d = up, up = dirname(up)) if (found0.has(up)) return true;
    return false;
  };
  assemblies = assemblies.filter((d) => !nested(d));
  const assemblySet = new Set(assemblies);
  const inAssembly = (p: string) => {
    if (!assemblySet.size) return false;
    for (let d = dirname(p); d.length >= dir.length; d = dirname(d)) {
      if (assemblySet.has(d)) return true;
      if (d === dirname(d)) break;
    }
    return false;
  };
  let found = 0;
  const add = (c: Candidate) => {
    found++;
    push(c);
  };
  for (const p of entries) if (!inAssembly(p) && !isIgnored(p)) add({ path: p, explicit: false });
  for (const d of assemblies) for (const t of readCloudAssembly(d, notices)) if (!isIgnored(t.path)) add({ path: t.path, explicit: false, ...(t.stack ? { cdk: t.stack } : {}) });
  return found;
}

/** The walked folder's `.gitignore`, as fast-glob ignore patterns (negations are not supported). */
function gitignorePatterns(dir: string): string[] {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return [];
  const out: string[] = [];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  for (let line of text.split(/\r?\n/)) {
    line = line.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    line = line.replace(/^\//, '').replace(/\/$/, '');
    const base = anchored ? line : `**/${line}`;
    out.push(base, `${base}/**`);
  }
  return out;
}
