import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type FastGlob from 'fast-glob';
import { isCloudAssembly, readCloudAssembly } from '../parsers/cdk.js';
import type { CdkStack } from '../parsers/index.js';
import { globMatcher } from './glob.js';
import { byCodePoint } from '../parsers/text-scan.js';

export { byCodePoint };

// Loaded on first use, and only for globs typed on the command line (the user's own, trusted): folders
// are walked here, and the linted repository's `.gitignore` and config patterns go to `globMatcher`.
const require = createRequire(import.meta.url);
let fgModule: typeof FastGlob | undefined;
const fg = (): typeof FastGlob => (fgModule ??= require('fast-glob') as typeof FastGlob);

/**
 * @deprecated Use `globMatcher` from `./glob.js`. Kept for code that imported picomatch from here: it is the
 * same linear matcher (patterns from the linted repository never reach a regular-expression engine).
 */
export const picomatch = (patterns: string | string[], opts?: { dot?: boolean; matchBase?: boolean }): ((path: string) => boolean) =>
  globMatcher(typeof patterns === 'string' ? [patterns] : patterns, opts);

export interface Candidate {
  path: string;
  /**
   * The path as the OS spells it, when its name is not valid UTF-8 (`path` then shows U+FFFD in its
   * place and cannot be opened): read the file through this.
   */
  raw?: Buffer;
  /** Named on the command line (gets a notice when it is none of our formats). */
  explicit: boolean;
  cdk?: CdkStack;
}

export interface DiscoverResult {
  files: Candidate[];
  notices: string[];
  /** Inputs (files, folders, globs) that produced no candidate file: missing, no match, nothing lintable. */
  unmatched: string[];
}

const EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];
const SKIPPED_FOLDERS = new Set(['node_modules']);

/** Paths, directories and globs in; candidate files out (cloud assemblies expanded to their templates). */
export function discover(inputs: string[], cwd: string, ignorePatterns: string[] = [], ignoreBase = cwd): DiscoverResult {
  const notices: string[] = [];
  const unmatched: string[] = [];
  const files: Candidate[] = [];
  const seen = new Set<string>();
  const ignored = ignorePatterns.length ? globMatcher(ignorePatterns, { dot: true }) : undefined;
  const isIgnored = (p: string) => !!ignored && ignored(relative(ignoreBase, p).split(sep).join('/'));
  // Whether the current input gave a candidate (one already given by an earlier input counts).
  let hit = false;
  const push = (c: Candidate) => {
    hit = true;
    if (seen.has(c.path)) return;
    seen.add(c.path);
    files.push(c);
  };

  for (const input of inputs) {
    hit = false;
    const abs = resolve(cwd, input);
    let stat;
    try {
      stat = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') notices.push(`${input}: symbolic link loop; skipped`);
      else if (code === 'EACCES') notices.push(`${input}: permission denied; skipped`);
      else if (!fg().isDynamicPattern(input)) notices.push(`${input}: no such file or directory`);
      else {
        const matches = fg().sync(input, { cwd, absolute: true, dot: false, ignore: ALWAYS_IGNORED, followSymbolicLinks: false, onlyFiles: true });
        if (!matches.length) notices.push(`${input}: no files match`);
        for (const m of matches.sort(byCodePoint)) if (!isIgnored(m)) push({ path: m, explicit: false });
      }
      if (!hit) unmatched.push(input);
      continue;
    }
    if (stat.isFile()) {
      if (isIgnored(abs)) notices.push(`${input}: ignored by ignorePatterns`);
      else push({ path: abs, explicit: true });
      continue;
    }
    if (!stat.isDirectory()) {
      notices.push(`${input}: not a file or directory; skipped`);
      unmatched.push(input);
      continue;
    }
    if (isCloudAssembly(abs)) {
      for (const t of readCloudAssembly(abs, notices)) push({ path: t.path, explicit: false, ...(t.stack ? { cdk: t.stack } : {}) });
    } else walk(abs, input, isIgnored, push, notices);
    if (!hit) unmatched.push(input);
  }
  return { files, notices, unmatched };
}

interface Found {
  path: string;
  raw?: Buffer;
}

/**
 * The YAML/JSON/`.template` files below a folder: an iterative walk (no recursion, symbolic links are not
 * followed, so loops cannot hang it), skipping dot entries, `node_modules` and what the folder's
 * `.gitignore` names. Any name the OS gives is kept (backslashes, `*`, `[`, bytes that are not UTF-8).
 */
function walk(dir: string, display: string, isIgnored: (p: string) => boolean, push: (c: Candidate) => void, notices: string[]): void {
  const gitignored = gitignoreMatcher(dir);
  const found: Found[] = [];
  const stack: Array<{ buf: Buffer; rel: string }> = [{ buf: Buffer.from(dir.endsWith(sep) ? dir.slice(0, -1) : dir), rel: '' }];
  while (stack.length) {
    const folder = stack.pop()!;
    let entries: Array<Dirent<Buffer>>;
    try {
      entries = readdirSync(folder.buf, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const shown = folder.rel ? `${display.replace(/[\\/]$/, '')}/${folder.rel}` : display;
      notices.push(`${shown}: cannot read folder (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(e))}); skipped`);
      continue;
    }
    const sub: Array<{ buf: Buffer; rel: string }> = [];
    for (const entry of entries) {
      const nameBuf = entry.name;
      const name = nameBuf.toString('utf8');
      if (name.startsWith('.')) continue;
      const rel = folder.rel ? `${folder.rel}/${name}` : name;
      const buf = Buffer.concat([folder.buf, Buffer.from(sep), nameBuf]);
      if (entry.isDirectory()) {
        if (SKIPPED_FOLDERS.has(name) || gitignored(rel)) continue;
        sub.push({ buf, rel });
      } else if (entry.isFile()) {
        if (!EXTENSIONS.some((x) => name.endsWith(x) && name.length > x.length) || gitignored(rel)) continue;
        const path = join(dir, rel);
        found.push(Buffer.from(path).equals(buf) ? { path } : { path, raw: buf });
      }
    }
    // Deepest last on the stack: the walk order does not matter, the result is sorted below.
    stack.push(...sub);
  }
  found.sort((a, b) => byCodePoint(a.path, b.path));
  // A folder holding a cloud assembly is one input: its templates, not its JSON files.
  let assemblies = found
    .filter((f) => !f.raw && f.path.endsWith(`${sep}manifest.json`))
    .map((f) => dirname(f.path))
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
  for (const f of found) if (!inAssembly(f.path) && !isIgnored(f.path)) push({ path: f.path, explicit: false, ...(f.raw ? { raw: f.raw } : {}) });
  for (const d of assemblies) for (const t of readCloudAssembly(d, notices)) if (!isIgnored(t.path)) push({ path: t.path, explicit: false, ...(t.stack ? { cdk: t.stack } : {}) });
}

/**
 * The walked folder's `.gitignore` as a matcher of '/'-separated paths relative to it (negations are not
 * supported): a line without an inner slash matches at any depth, and everything below what it matches.
 */
function gitignoreMatcher(dir: string): (rel: string) => boolean {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return () => false;
  const patterns: string[] = [];
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return () => false;
  }
  for (let line of text.split('\n')) {
    line = line.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line.endsWith('/')) line = line.slice(0, -1);
    if (!line) continue;
    const base = anchored ? line : `**/${line}`;
    patterns.push(base, `${base}/**`);
  }
  if (!patterns.length) return () => false;
  return globMatcher(patterns, { dot: true });
}
