import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { loadFile } from '../parsers/index.js';
import { globMatcher } from './glob.js';
import { isMap, isSeq, toPlain, type Node } from '../parsers/tree.js';
import type { Rule, SeveritySetting } from './rule.js';

export const CONFIG_NAMES = ['stowage.config.yaml', 'stowage.config.yml', 'stowage.config.json'];
const SEVERITIES = ['off', 'info', 'warning', 'error'];
const PRESETS = ['recommended', 'all'];

/** A configuration problem: reported with its location, exit code 2. */
export class ConfigError extends Error {}

export interface Override {
  files: string[];
  excludedFiles: string[];
  rules: Record<string, SeveritySetting>;
  match: (relPath: string) => boolean;
}

export interface ResolvedConfig {
  path?: string;
  /** Paths in the config are relative to this folder. */
  baseDir: string;
  preset: 'recommended' | 'all';
  rules: Record<string, SeveritySetting>;
  ignorePatterns: string[];
  overrides: Override[];
  plugins: Rule[];
}

export function defaultConfig(cwd: string): ResolvedConfig {
  return { baseDir: cwd, preset: 'recommended', rules: {}, ignorePatterns: [], overrides: [], plugins: [] };
}

/** Find the config upward from `cwd` (or take the named one) and load it. */
export async function loadConfig(cwd: string, explicit?: string): Promise<ResolvedConfig> {
  const path = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!path) return defaultConfig(cwd);
  if (!existsSync(path)) throw new ConfigError(`${path}: config file not found`);
  return readConfig(path, new Set());
}

export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = join(dir, n);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

interface RawConfig {
  extends?: string | string[];
  rules?: Record<string, SeveritySetting>;
  ignorePatterns?: string[];
  overrides?: Array<{ files: string | string[]; excludedFiles?: string | string[]; rules?: Record<string, SeveritySetting> }>;
  plugins?: string[];
}

async function readConfig(path: string, seen: Set<string>): Promise<ResolvedConfig> {
  if (seen.has(path)) throw new ConfigError(`${path}: extends itself`);
  seen.add(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${path}: cannot read config (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const loaded = loadFile(path, text);
  const doc = loaded.documents[0];
  const err = doc?.errors[0];
  if (err) {
    const p = loaded.file.position(err.start);
    throw new ConfigError(`${path}:${p.line}:${p.column}: ${err.message}`);
  }
  const root = doc?.root;
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return { ...defaultConfig(dirname(path)), path };
  const raw = toPlain(root) as RawConfig;
  await validate(raw, root, path);
  const baseDir = dirname(path);
  let config: ResolvedConfig = { ...defaultConfig(baseDir), path };
  for (const ext of typeof raw.extends === 'string' ? [raw.extends] : (raw.extends ?? [])) {
    const preset = ext.replace(/^stowage:/, '');
    if (PRESETS.includes(preset)) config.preset = preset as 'recommended' | 'all';
    else {
      const parent = await readConfig(resolve(baseDir, ext), seen);
      config = { ...parent, path, baseDir, plugins: [...parent.plugins], overrides: [...parent.overrides], rules: { ...parent.rules } };
    }
  }
  Object.assign(config.rules, raw.rules ?? {});
  config.ignorePatterns = [...config.ignorePatterns, ...(raw.ignorePatterns ?? [])];
  for (const o of raw.overrides ?? []) {
    const files = typeof o.files === 'string' ? [o.files] : o.files;
    const excludedFiles = typeof o.excludedFiles === 'string' ? [o.excludedFiles] : (o.excludedFiles ?? []);
    const inc = globMatcher(files, { dot: true, matchBase: !files.some((f) => f.includes('/')) });
    const exc = excludedFiles.length ? globMatcher(excludedFiles, { dot: true }) : () => false;
    config.overrides.push({ files, excludedFiles, rules: o.rules ?? {}, match: (p) => inc(p) && !exc(p) });
  }
  for (const spec of raw.plugins ?? []) config.plugins.push(...(await loadPlugin(spec, baseDir, path)));
  return config;
}

async function validate(raw: unknown, root: Node, path: string): Promise<void> {
  const { validateConfig } = await import('./config-schema.js');
  const errors = validateConfig(raw);
  if (!errors.length) return;
  const e = errors[0]!;
  const node = nodeAt(root, e.instancePath, e.key);
  const p = node.file.position(node.start);
  const where = e.instancePath ? `"${e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')}" ` : '';
  throw new ConfigError(`${path}:${p.line}:${p.column}: ${where}${e.message}`);
}

/** The node at a JSON pointer (for a property that is not allowed: its key). */
function nodeAt(root: Node, pointer: string, key?: string): Node {
  let cur: Node = root;
  const parts = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const part of parts) {
    const next: Node | undefined = isMap(cur) ? cur.get(part) : isSeq(cur) ? cur.items[Number(part)] : undefined;
    if (!next) break;
    cur = next;
  }
  if (key !== undefined && isMap(cur)) {
    const pair = cur.pair(key);
    if (pair) return pair.key;
  }
  return cur.kind === 'scalar' ? cur : cur.anchor;
}

/** Load a plugin module: a path relative to the config, or a package name. Exports rules. */
export async function loadPlugin(spec: string, baseDir: string, configPath: string): Promise<Rule[]> {
  let url: string;
  try {
    if (spec.startsWith('.') || isAbsolute(spec)) url = pathToFileURL(resolve(baseDir, spec)).href;
    else url = pathToFileURL(createRequire(join(baseDir, 'noop.js')).resolve(spec)).href;
  } catch {
    throw new ConfigError(`${configPath}: plugin "${spec}" not found`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`${configPath}: plugin "${spec}" failed to load: ${e instanceof Error ? e.message : String(e)}`);
  }
  const exported = (mod.default ?? mod) as unknown;
  const list = Array.isArray(exported)
    ? exported
    : exported && typeof exported === 'object' && Array.isArray((exported as { rules?: unknown }).rules)
      ? (exported as { rules: unknown[] }).rules
      : [exported];
  const rules: Rule[] = [];
  for (const r of list) {
    const rule = r as Partial<Rule>;
    if (!rule || typeof rule.id !== 'string' || typeof rule.check !== 'function' || !rule.severity)
      throw new ConfigError(`${configPath}: plugin "${spec}" exports something that is not a rule (expected { id, severity, description, check })`);
    rules.push({ ...(rule as Rule), docs: rule.docs ?? spec, description: rule.description ?? '' });
  }
  return rules;
}

/** Severity of a rule for a file, after preset, rules, overrides and command-line settings. */
export function severityFor(
  rule: Rule,
  config: ResolvedConfig,
  filePath: string,
  cli: Record<string, SeveritySetting> = {},
): SeveritySetting {
  let s: SeveritySetting = config.preset === 'all' || rule.recommended !== false ? rule.severity : 'off';
  const own = config.rules[rule.id];
  if (own) s = own;
  if (config.overrides.length) {
    const rel = relative(config.baseDir, filePath).split('\\').join('/');
    for (const o of config.overrides) if (o.match(rel) && o.rules[rule.id]) s = o.rules[rule.id]!;
  }
  return cli[rule.id] ?? s;
}

export function isSeverity(s: string): s is SeveritySetting {
  return SEVERITIES.includes(s);
}
