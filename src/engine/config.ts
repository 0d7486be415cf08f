import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { loadFile } from '../parsers/index.js';
import { picomatch } from './discover.js';
import { isMap, isSeq, toPlain, type Node, type SourceFile } from '../parsers/tree.js';
import type { Rule, SeveritySetting } from './rule.js';

export const CONFIG_NAMES = ['stowage.config.yaml', 'stowage.config.yml', 'stowage.config.json'];
const SEVERITIES = ['off', 'info', 'warning', 'error'];
const PRESETS = ['recommended', 'all'];

/** Where a configuration problem is written (1-based; `detail` is the message without its `path:line:col: ` prefix). */
export interface ConfigErrorLocation {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  detail: string;
}

/** A configuration problem: reported with its location, exit code 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly location?: ConfigErrorLocation,
  ) {
    super(message);
  }
}

/** A problem at a span of a config file: `path:line:col: detail`, with its location. */
function located(file: SourceFile, start: number, end: number, detail: string): ConfigError {
  const r = file.range(start, end);
  return new ConfigError(`${file.path}:${r.start.line}:${r.start.column}: ${detail}`, { path: file.path, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column, detail });
}

/** Run `load`; a problem it reports without a location (a plugin, an extended file) is placed on `node`, the entry that named it. */
async function at<T>(node: Node, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (!(e instanceof ConfigError) || e.location) throw e;
    const prefix = `${node.file.path}: `;
    throw located(node.file, node.start, node.end, e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
  }
}

export const PLUGINS_NOT_LOADED = "plugins not loaded: pass --plugins to trust this repository's plugins";

/** A rule id the config names (in `rules` or `overrides[].rules`), where it is written. */
export interface RuleIdReference {
  id: string;
  node: Node;
}

export interface LoadConfigOptions {
  /** Load the plugins the config names (the CLI's --plugins, the editor's `allowPlugins`). */
  allowPlugins?: boolean;
}

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
  /** Things the user should know (plugins named but not loaded). */
  notices: string[];
  /** Every rule id the config (and what it extends) names, where it is written. */
  ruleIds: RuleIdReference[];
  /** The config names plugins that were not loaded (not trusted): ids of other domains may be theirs. */
  pluginsSkipped: boolean;
}

export function defaultConfig(cwd: string): ResolvedConfig {
  return { baseDir: cwd, preset: 'recommended', rules: {}, ignorePatterns: [], overrides: [], plugins: [], notices: [], ruleIds: [], pluginsSkipped: false };
}

/**
 * Find the config upward from `cwd` (or take the named one) and load it. Plugins load when
 * `opts.allowPlugins` is true, the config is named explicitly or STOWAGE_ALLOW_PLUGINS=1 (and, until
 * every caller passes `opts`, when no `opts` is given); otherwise they are left out with a notice.
 */
export async function loadConfig(cwd: string, explicit?: string, opts?: LoadConfigOptions): Promise<ResolvedConfig> {
  const path = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!path) return defaultConfig(cwd);
  if (!existsSync(path)) throw new ConfigError(`${path}: config file not found`);
  return readConfig(path, new Set(), pluginsAllowed(explicit, opts));
}

/** Load a config from its text (an editor's unsaved buffer) as if it were the file at `path`. */
export async function loadConfigText(path: string, text: string, opts?: LoadConfigOptions): Promise<ResolvedConfig> {
  return readConfig(resolve(path), new Set(), pluginsAllowed(undefined, opts), text);
}

function pluginsAllowed(explicit: string | undefined, opts: LoadConfigOptions | undefined): boolean {
  return !opts || opts.allowPlugins === true || explicit !== undefined || process.env.STOWAGE_ALLOW_PLUGINS === '1';
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

async function readConfig(path: string, seen: Set<string>, allowPlugins: boolean, given?: string): Promise<ResolvedConfig> {
  if (seen.has(path)) throw new ConfigError(`${path}: extends itself`);
  seen.add(path);
  let text: string;
  if (given !== undefined) text = given;
  else {
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`${path}: cannot read config (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  const loaded = loadFile(path, text);
  const doc = loaded.documents[0];
  const err = doc?.errors[0];
  if (err) throw located(loaded.file, err.start, err.end, err.message);
  const root = doc?.root;
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return { ...defaultConfig(dirname(path)), path };
  const raw = toPlain(root) as RawConfig;
  await validate(raw, root);
  const entry = (key: string, i: number): Node => {
    const v = isMap(root) ? root.get(key) : undefined;
    return (v && isSeq(v) ? v.items[i] : v) ?? root;
  };
  const baseDir = dirname(path);
  let config: ResolvedConfig = { ...defaultConfig(baseDir), path };
  for (const [i, ext] of (typeof raw.extends === 'string' ? [raw.extends] : (raw.extends ?? [])).entries()) {
    const preset = ext.replace(/^stowage:/, '');
    if (PRESETS.includes(preset)) config.preset = preset as 'recommended' | 'all';
    else {
      const parent = await at(entry('extends', i), () => readConfig(resolve(baseDir, ext), seen, allowPlugins));
      config = { ...parent, path, baseDir, plugins: [...parent.plugins], overrides: [...parent.overrides], rules: { ...parent.rules }, notices: [...parent.notices], ruleIds: [...parent.ruleIds] };
    }
  }
  Object.assign(config.rules, raw.rules ?? {});
  const ruleKeys = (m: Node | undefined) => {
    if (isMap(m)) for (const { key } of m.entries) config.ruleIds.push({ id: String(key.value), node: key });
  };
  ruleKeys(isMap(root) ? root.get('rules') : undefined);
  config.ignorePatterns = [...config.ignorePatterns, ...(raw.ignorePatterns ?? [])];
  for (const [i, o] of (raw.overrides ?? []).entries()) {
    const item = entry('overrides', i);
    ruleKeys(isMap(item) ? item.get('rules') : undefined);
    const files = typeof o.files === 'string' ? [o.files] : o.files;
    const excludedFiles = typeof o.excludedFiles === 'string' ? [o.excludedFiles] : (o.excludedFiles ?? []);
    const inc = picomatch(files, { dot: true, matchBase: !files.some((f) => f.includes('/')) });
    const exc = excludedFiles.length ? picomatch(excludedFiles, { dot: true }) : () => false;
    config.overrides.push({ files, excludedFiles, rules: o.rules ?? {}, match: (p) => inc(p) && !exc(p) });
  }
  const plugins = raw.plugins ?? [];
  if (plugins.length && !allowPlugins) {
    config.pluginsSkipped = true;
    if (!config.notices.includes(PLUGINS_NOT_LOADED)) config.notices.push(PLUGINS_NOT_LOADED);
  } else for (const [i, spec] of plugins.entries()) config.plugins.push(...(await at(entry('plugins', i), () => loadPlugin(spec, baseDir, path))));
  return config;
}

async function validate(raw: unknown, root: Node): Promise<void> {
  const { validateConfig } = await import('./config-schema.js');
  const errors = validateConfig(raw);
  if (!errors.length) return;
  const e = errors[0]!;
  const node = nodeAt(root, e.instancePath, e.key);
  const where = e.instancePath ? `"${e.instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')}" ` : '';
  throw located(node.file, node.start, node.end, `${where}${e.message}`);
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
