/**
 * The configuration: found upward from the working directory (or named with `--config`),
 * read safely, validated (errors located in the file), merged over what it `extends`.
 *
 * Trust: a config found by search is data only. Its `plugins` (code) load only when the user
 * opts in: `--plugins` (`opts.allowPlugins`), `STOWAGE_ALLOW_PLUGINS=1`, or a config named with
 * `--config`. Otherwise the run goes on without them and says so once (`notices`). Whatever the
 * trust, plugin and `extends` paths resolve only inside the project (the folder of the config,
 * symlinks resolved) or to installed packages, and every file read is a regular file of at most
 * 1 MB, checked on the open file before reading.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { loadFile } from '../parsers/index.js';
import { globMatcher } from './glob.js';
import { isMap, isScalar, isSeq, toPlain, type MapNode, type Node, type SourceFile } from '../parsers/tree.js';
import { didYouMean } from './did-you-mean.js';
import { defineRule, type AnyRule, type Rule, type SeveritySetting } from './rule.js';
import { builtinRules } from '../rules/index.js';

export const CONFIG_NAMES = ['stowage.config.yaml', 'stowage.config.yml', 'stowage.config.json'];
const SEVERITIES = ['off', 'info', 'warning', 'error'];
const PRESETS = ['recommended', 'all'];
const PRESET_NAMES = [...PRESETS, ...PRESETS.map((p) => `stowage:${p}`)];
/** Largest config file (or file it extends) read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export const PLUGINS_NOT_LOADED = "plugins not loaded: pass --plugins to trust this repository's plugins";

export interface ConfigErrorLocation {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The message without its `path:line:col: ` prefix. */
  detail: string;
}

/** A configuration problem: reported with its location, exit code 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly location?: ConfigErrorLocation,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A ConfigError at a node of a config file: `path:line:col: detail`. */
function errorAt(node: Node, detail: string): ConfigError {
  const file = node.file;
  const start = file.position(node.start);
  const end = file.position(endOf(node));
  return new ConfigError(`${file.path}:${start.line}:${start.column}: ${detail}`, {
    path: file.path,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    detail,
  });
}

/** Options the config gives a rule (`rules: { id: [severity, options] }`), and where they are written. */
export interface RuleOptionsSetting {
  options: Record<string, unknown>;
  /** Where the options are written (absent for a config built by a program). */
  node?: Node;
}

export interface Override {
  files: string[];
  excludedFiles: string[];
  rules: Record<string, SeveritySetting>;
  ruleOptions: Record<string, RuleOptionsSetting>;
  match: (relPath: string) => boolean;
}

/** A `suppressions:` entry: findings of `rule` in `files` (optionally on one entity) are accepted, for `reason`. */
export interface ConfigSuppression {
  files: string[];
  rule: string;
  entity?: string;
  reason: string;
  /** relPath is relative to config.baseDir, '/'-separated. */
  match: (relPath: string) => boolean;
  /** Where the entry is written in the config file (for "unused suppression" findings). */
  source: SourceFile;
  start: number;
  end: number;
}

/** A rule id the config names (in `rules`, `overrides[].rules` or `suppressions[].rule`), where it is written. */
export interface RuleIdReference {
  id: string;
  node: Node;
}

export interface ResolvedConfig {
  path?: string;
  /** Paths in the config are relative to this folder. */
  baseDir: string;
  preset: 'recommended' | 'all';
  rules: Record<string, SeveritySetting>;
  /** Options of rules, by id (`[severity, options]` in `rules`). */
  ruleOptions: Record<string, RuleOptionsSetting>;
  ignorePatterns: string[];
  overrides: Override[];
  plugins: Rule[];
  /** One-line notices for stderr (`plugins not loaded: ...`). */
  notices: string[];
  suppressions: ConfigSuppression[];
  /** Every rule id the config names; `checkRuleIds` checks them against the rules of the run. */
  ruleIds: RuleIdReference[];
  /** The config names plugins that were not loaded (not trusted): ids of other domains may be theirs. */
  pluginsSkipped: boolean;
}

export interface LoadConfigOptions {
  /** Load the config's plugins even when it was found by search (`--plugins`). */
  allowPlugins?: boolean;
}

export function defaultConfig(cwd: string): ResolvedConfig {
  return {
    baseDir: cwd,
    preset: 'recommended',
    rules: {},
    ruleOptions: {},
    ignorePatterns: [],
    overrides: [],
    plugins: [],
    notices: [],
    suppressions: [],
    ruleIds: [],
    pluginsSkipped: false,
  };
}

/**
 * Find the config upward from `cwd` (or take the named one) and load it. Plugins load when
 * `opts.allowPlugins`, when `explicit` is given, or when `STOWAGE_ALLOW_PLUGINS=1`.
 */
export async function loadConfig(cwd: string, explicit?: string, opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const path = explicit ? resolve(cwd, explicit) : findConfig(cwd);
  if (!path) return defaultConfig(cwd);
  if (!existsSync(path)) throw new ConfigError(`${path}: config file not found`);
  const projectRoot = realDir(dirname(path));
  // A config found by search is read like a file it extends: it must not lead out of its folder
  // (a symlink to a file elsewhere would have its content echoed in error messages).
  if (!explicit && !isInside(realFile(path), projectRoot))
    throw new ConfigError(`${path}: the config is a symlink to ${realFile(path)}, outside its folder; name it with --config to use it`);
  const ctx: LoadContext = {
    // `allowPlugins: false` (--no-plugins) refuses plugins even from a named config or the environment.
    trusted: opts.allowPlugins !== false && (!!opts.allowPlugins || !!explicit || process.env.STOWAGE_ALLOW_PLUGINS === '1'),
    projectRoot,
    seen: new Set(),
    pluginsSkipped: false,
  };
  const { config } = await readConfig(path, ctx);
  config.pluginsSkipped = ctx.pluginsSkipped;
  if (ctx.pluginsSkipped) config.notices.push(PLUGINS_NOT_LOADED);
  return config;
}

/**
 * Load a config from its text (an editor's unsaved buffer) as if it were the file at `path`: what it
 * extends is read from disk. Plugins load when `opts.allowPlugins` or `STOWAGE_ALLOW_PLUGINS=1`.
 */
export async function loadConfigText(path: string, text: string, opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  path = resolve(path);
  const ctx: LoadContext = {
    trusted: opts.allowPlugins !== false && (!!opts.allowPlugins || process.env.STOWAGE_ALLOW_PLUGINS === '1'),
    projectRoot: realDir(dirname(path)),
    seen: new Set(),
    pluginsSkipped: false,
    given: { path, text },
  };
  const { config } = await readConfig(path, ctx);
  config.pluginsSkipped = ctx.pluginsSkipped;
  if (ctx.pluginsSkipped) config.notices.push(PLUGINS_NOT_LOADED);
  return config;
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

interface LoadContext {
  trusted: boolean;
  /** Real path of the folder of the config found or named. */
  projectRoot: string;
  /** Real paths of the configs being read (cycles in `extends`). */
  seen: Set<string>;
  pluginsSkipped: boolean;
  /** The text of the config at this path, instead of the file (`loadConfigText`). */
  given?: { path: string; text: string };
}

/**
 * Config globs (`overrides[].files`, `suppressions[].files`): the linear-time matcher of
 * `engine/glob.ts` (no regular expression is built from a config, which may come from the linted repository).
 */
function configGlob(patterns: string[], opts: { dot: boolean; matchBase: boolean }): (relPath: string) => boolean {
  return globMatcher(patterns, opts);
}

/** A matcher for `files` (and `excludedFiles`): a pattern without `/` matches the base name at any depth. */
function filesMatcher(files: string[], excluded: string[] = []): (relPath: string) => boolean {
  const inc = configGlob(files, { dot: true, matchBase: !files.some((f) => f.includes('/')) });
  const exc = excluded.length ? configGlob(excluded, { dot: true, matchBase: false }) : () => false;
  return (p) => inc(p) && !exc(p);
}

/** A config read, and whether it (or what it extends) chose a preset. */
interface Read {
  config: ResolvedConfig;
  presetChosen: boolean;
}

async function readConfig(path: string, ctx: LoadContext, from?: Node): Promise<Read> {
  const refuse = (detail: string) => (from ? errorAt(from, detail) : new ConfigError(`${path}: ${detail}`));
  const shown = from && isScalar(from) ? `extends "${String(from.value)}"` : 'the config';
  const real = realFile(path);
  if (ctx.seen.has(real)) throw refuse(`${shown} leads back to a config that extends it (a cycle)`);
  ctx.seen.add(real);
  try {
    return await readConfigText(path, ctx, shown, refuse);
  } finally {
    ctx.seen.delete(real);
  }
}

async function readConfigText(path: string, ctx: LoadContext, shown: string, refuse: (detail: string) => ConfigError): Promise<Read> {
  const given = ctx.given?.path === path ? ctx.given.text : undefined;
  if (given !== undefined && given.length > MAX_CONFIG_BYTES) throw refuse(`${shown} is larger than 1 MB`);
  const text = given ?? readBounded(path, shown, refuse);
  const loaded = loadFile(path, text);
  const doc = loaded.documents[0];
  const problem = doc?.errors[0] ?? doc?.warnings[0];
  if (problem) {
    const s = loaded.file.position(problem.start);
    const e = loaded.file.position(Math.max(problem.start, problem.end));
    const detail = problem.message;
    throw new ConfigError(`${path}:${s.line}:${s.column}: ${detail}`, { path, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, detail });
  }
  const baseDir = dirname(path);
  const root = doc?.root;
  if (root === undefined || (root.kind === 'scalar' && root.value === null)) return { config: { ...defaultConfig(baseDir), path }, presetChosen: false };
  await validate(root);
  const map = root as MapNode;
  // Relative paths resolve from this file's folder, and must stay inside the project (or, for a
  // config inside an installed package, inside that package's folder).
  const ownDir = realDir(baseDir);
  const allowedRoot = isInside(ownDir, ctx.projectRoot) ? ctx.projectRoot : ownDir;

  // Later entries of `extends` win; a config that chooses no preset keeps the one chosen before.
  let config: ResolvedConfig = { ...defaultConfig(baseDir), path };
  let presetChosen = false;
  for (const node of listOf(map.get('extends'))) {
    const value = String((node as { value: unknown }).value);
    const preset = value.startsWith('stowage:') ? value.slice('stowage:'.length) : value;
    if (PRESETS.includes(preset)) {
      config.preset = preset as 'recommended' | 'all';
      presetChosen = true;
      continue;
    }
    const target = resolveExtends(value, node, baseDir, allowedRoot);
    const read = await readConfig(target, ctx, node);
    const parent = read.config;
    config = {
      ...config,
      preset: read.presetChosen ? parent.preset : config.preset,
      rules: { ...config.rules, ...parent.rules },
      ruleOptions: { ...config.ruleOptions, ...parent.ruleOptions },
      ignorePatterns: [...config.ignorePatterns, ...parent.ignorePatterns],
      overrides: [...config.overrides, ...parent.overrides],
      plugins: withPluginRules(config.plugins, parent.plugins),
      notices: [...config.notices, ...parent.notices],
      suppressions: [...config.suppressions, ...parent.suppressions],
      ruleIds: [...config.ruleIds, ...parent.ruleIds],
    };
    presetChosen ||= read.presetChosen;
  }

  const rules = map.get('rules');
  if (isMap(rules))
    for (const { key, value } of rules.entries) {
      const id = String(key.value);
      ruleSetting(id, value, 'rules', config.rules, config.ruleOptions);
      config.ruleIds.push({ id, node: key });
    }
  for (const p of listOf(map.get('ignorePatterns'))) config.ignorePatterns.push(String((p as { value: unknown }).value));
  for (const o of itemsOf(map.get('overrides'))) {
    const files = strings(o.get('files'));
    const excludedFiles = strings(o.get('excludedFiles'));
    const oRules: Record<string, SeveritySetting> = {};
    const oOptions: Record<string, RuleOptionsSetting> = {};
    const r = o.get('rules');
    if (isMap(r))
      for (const { key, value } of r.entries) {
        const id = String(key.value);
        ruleSetting(id, value, `overrides[${config.overrides.length}].rules`, oRules, oOptions);
        config.ruleIds.push({ id, node: key });
      }
    config.overrides.push({ files, excludedFiles, rules: oRules, ruleOptions: oOptions, match: filesMatcher(files, excludedFiles) });
  }
  for (const [i, s] of itemsOf(map.get('suppressions')).entries()) {
    const files = strings(s.get('files'));
    const ruleNode = s.get('rule')!;
    const rule = String((ruleNode as { value: unknown }).value);
    const entity = s.get('entity');
    const reason = String((s.get('reason') as { value: unknown }).value);
    if (!reason.trim()) throw errorAt(s.get('reason')!, `"suppressions[${i}].reason" must not be blank`);
    config.ruleIds.push({ id: rule, node: ruleNode });
    config.suppressions.push({
      files,
      rule,
      ...(entity ? { entity: String((entity as { value: unknown }).value) } : {}),
      reason,
      match: filesMatcher(files),
      source: s.file,
      start: s.start,
      end: endOf(s),
    });
  }

  const plugins = listOf(map.get('plugins'));
  if (plugins.length && !ctx.trusted) ctx.pluginsSkipped = true;
  else for (const node of plugins) config.plugins = withPluginRules(config.plugins, await loadPlugin(String((node as { value: unknown }).value), node, baseDir, allowedRoot));
  return { config, presetChosen };
}

async function validate(root: Node): Promise<void> {
  const { validateConfig } = await import('./config-schema.js');
  const problems = validateConfig(toPlain(root), didYouMean);
  if (!problems.length) return;
  // The first problem in the file's order.
  let best: { node: Node; message: string } | undefined;
  for (const p of problems) {
    const node = nodeAt(root, p.instancePath, p.key);
    if (!best || node.start < best.node.start) best = { node, message: p.message };
  }
  throw errorAt(best!.node, best!.message);
}

/** The node at a JSON pointer (for an unknown key: the key). */
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
  // An empty value (`key:` and nothing) is shown at its key.
  return cur.kind === 'scalar' && cur.start < cur.end ? cur : cur.anchor;
}

/** A string-or-list value as its scalar nodes (the schema has checked the shape). */
/**
 * One rule's setting: a severity, or ESLint's `[severity]` / `[severity, options]` (the schema has
 * checked the severity of the plain form and that a list is not empty).
 */
function ruleSetting(id: string, value: Node, where: string, into: Record<string, SeveritySetting>, options: Record<string, RuleOptionsSetting>): void {
  if (!isSeq(value)) {
    into[id] = (value as { value: SeveritySetting }).value;
    return;
  }
  const [sev, opts, extra] = value.items;
  const sevValue = isScalar(sev) ? sev.value : undefined;
  if (typeof sevValue !== 'string' || !isSeverity(sevValue))
    throw errorAt(sev ?? value, `"${where}.${id}[0]" must be one of ${SEVERITIES.join(', ')}`);
  into[id] = sevValue;
  if (opts === undefined) return;
  if (!isMap(opts)) throw errorAt(opts, `"${where}.${id}[1]" must be a mapping of the rule's options`);
  if (extra !== undefined) throw errorAt(extra, `"${where}.${id}" takes a severity and one mapping of options, not more`);
  options[id] = { options: toPlain(opts) as Record<string, unknown>, node: opts };
}

function listOf(n: Node | undefined): Node[] {
  if (n === undefined) return [];
  return isSeq(n) ? n.items : [n];
}

function strings(n: Node | undefined): string[] {
  return listOf(n).map((x) => String((x as { value: unknown }).value));
}

function itemsOf(n: Node | undefined): MapNode[] {
  return isSeq(n) ? (n.items.filter(isMap) as MapNode[]) : [];
}

/** End offset of a node without the line breaks and spaces a block collection ends with. */
function endOf(node: Node): number {
  const text = node.file.text;
  let end = node.end;
  while (end > node.start && (text[end - 1] === '\n' || text[end - 1] === '\r' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}

// ---- Where `extends` and `plugins` may point ----

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether `path` is `root` or inside it (both real paths). */
function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** `name`, `@scope/name`, optionally followed by a subpath; no `.` or `..` segments. */
function isPackageSpecifier(spec: string): boolean {
  if (!/^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.@-]+)*$/i.test(spec)) return false;
  return !spec.split('/').some((s) => s === '.' || s === '..');
}

function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || isAbsolute(spec) || spec.includes('\\');
}

/** A package's file through node_modules resolution from `dir`; undefined when not installed. */
function resolvePackage(spec: string, dir: string): string | undefined {
  let resolved: string;
  try {
    resolved = createRequire(join(dir, 'noop.js')).resolve(spec);
  } catch {
    return undefined;
  }
  // Built-in modules resolve to their bare name.
  return isAbsolute(resolved) ? resolved : undefined;
}

/** A project file named by a config: its real path, which must lie inside `root`. */
function projectFile(spec: string, node: Node, baseDir: string, root: string, what: string): string {
  const target = resolve(baseDir, spec);
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    throw errorAt(node, `${what} "${spec}" not found (looked for ${target})`);
  }
  if (!isInside(real, root)) throw errorAt(node, `${what} "${spec}" is outside the project (${root}); name a file inside it or an installed package`);
  return real;
}

function resolveExtends(value: string, node: Node, baseDir: string, root: string): string {
  if (value.startsWith('stowage:')) {
    const hint = didYouMean(value, PRESET_NAMES);
    throw errorAt(node, `unknown preset "${value}" in extends (${hint ? `did you mean "${hint}"?` : 'presets: recommended, all'})`);
  }
  if (isPathSpecifier(value) || existsSync(resolve(baseDir, value))) return projectFile(value, node, baseDir, root, 'extends');
  const pkg = isPackageSpecifier(value) ? resolvePackage(value, baseDir) : undefined;
  if (pkg) return pkg;
  const hint = didYouMean(value, PRESET_NAMES);
  if (hint) throw errorAt(node, `unknown preset "${value}" in extends (did you mean "${hint}"?)`);
  throw errorAt(node, `extends "${value}" is not a preset (recommended, all), a file in the project or an installed package`);
}

/**
 * Read a config file: a regular file (checked on the open descriptor, so a FIFO, a device or a
 * folder is refused without reading), at most MAX_CONFIG_BYTES.
 */
function readBounded(path: string, shown: string, refuse: (detail: string) => ConfigError): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw refuse(`cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse(`${shown} is not a regular file`);
    if (st.size > MAX_CONFIG_BYTES) throw refuse(`${shown} is larger than 1 MB`);
    // The file may grow between fstat and read: read at most one byte past the limit.
    const buf = Buffer.alloc(Math.min(st.size, MAX_CONFIG_BYTES) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > MAX_CONFIG_BYTES) throw refuse(`${shown} is larger than 1 MB`);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw refuse(`cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  } finally {
    closeSync(fd);
  }
}

/** Where a plugin specifier points: a file inside the project, or an installed package. */
export function resolvePlugin(spec: string, node: Node, baseDir: string, root: string): string {
  if (isPathSpecifier(spec)) {
    const real = projectFile(spec, node, baseDir, root, 'plugin');
    let file = false;
    try {
      file = statSync(real).isFile();
    } catch {
      // reported below
    }
    if (!file) throw errorAt(node, `plugin "${spec}" is not a file`);
    return real;
  }
  if (!isPackageSpecifier(spec)) throw errorAt(node, `plugin "${spec}" must be a path inside the project starting with ./ or the name of an installed package`);
  const pkg = resolvePackage(spec, baseDir);
  if (!pkg) throw errorAt(node, `plugin "${spec}" is not an installed package (nothing found in node_modules)`);
  return pkg;
}

/** What a plugin module exports as its rules: a default (or module) that is a rule, a list of rules, or `{ rules }`. */
export function exportedRules(mod: Record<string, unknown>): unknown[] {
  const exported = (mod.default ?? mod) as unknown;
  if (Array.isArray(exported)) return exported;
  if (exported && typeof exported === 'object' && Array.isArray((exported as { rules?: unknown }).rules)) return (exported as { rules: unknown[] }).rules;
  return [exported];
}

/** Load a plugin module: a file inside the project, or an installed package. Exports rules. */
export async function loadPlugin(spec: string, node: Node, baseDir: string, root: string): Promise<Rule[]> {
  const file = resolvePlugin(spec, node, baseDir, root);
  const url = pathToFileURL(file).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw errorAt(node, `plugin "${spec}" failed to load: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = exportedRules(mod);
  let rules: Rule[] = [];
  for (const r of list) {
    if (!r || typeof r !== 'object') throw errorAt(node, `plugin "${spec}" exports something that is not a rule (expected { id, severity, description, check })`);
    // The checks of built-in rules: the fields a rule needs, then defineRule's (the id's form).
    const problem = ruleProblem(r);
    if (problem) throw errorAt(node, `plugin "${spec}" exports an invalid rule: ${problem}`);
    const given = r as Rule;
    let rule: Rule;
    try {
      rule = defineRule({ ...given, docs: given.docs ?? spec, source: url });
    } catch (e) {
      throw errorAt(node, `plugin "${spec}" exports an invalid rule: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (BUILTIN_IDS.has(rule.id))
      throw errorAt(node, `plugin "${spec}" defines rule "${rule.id}", which is a built-in rule of stowage; give the plugin's rule an id in its own domain`);
    PLUGIN_RULES.set(rule, { spec, file, node, exported: r });
    rules = withPluginRules(rules, [rule]);
  }
  return rules;
}

const BUILTIN_IDS = new Set(builtinRules.map((r) => r.id));
const SEVERITY_NAMES = ['error', 'warning', 'info'];

/** Where a loaded plugin rule comes from: the plugin as its config names it, its file, that entry, and the object the module exports. */
const PLUGIN_RULES = new WeakMap<Rule, { spec: string; file: string; node: Node; exported: object }>();

/**
 * What is wrong with a rule object before `defineRule` sees it (the fields a rule needs and their
 * types), as the end of a sentence: `rule "acme/x" has no check function`. Shared with RuleTester.
 */
export function ruleProblem(value: object): string | undefined {
  const r = value as Partial<Record<keyof Rule, unknown>>;
  if (typeof r.id !== 'string' || r.id === '') return 'a rule has no id (expected a string "<domain>/<name>")';
  const name = `rule "${r.id}"`;
  if (r.severity === undefined) return `${name} has no severity (expected "error", "warning" or "info")`;
  if (typeof r.severity !== 'string' || !SEVERITY_NAMES.includes(r.severity))
    return `${name} has severity ${JSON.stringify(r.severity) ?? String(r.severity)} (expected "error", "warning" or "info")`;
  if (typeof r.description !== 'string' || r.description.trim() === '') return `${name} has no description (expected one line of text)`;
  if (typeof r.check !== 'function') return `${name} has no check function`;
  if (r.docs !== undefined && typeof r.docs !== 'string') return `${name} has docs that is not a string (expected a URL or a path)`;
  if (r.recommended !== undefined && typeof r.recommended !== 'boolean') return `${name} has recommended that is not true or false`;
  return undefined;
}

/**
 * Plugin rules `add` after those of `into`. A rule loaded again (the same module reached through
 * another path or another config) is kept once; another rule with an id already taken is an error.
 */
function withPluginRules(into: readonly Rule[], add: readonly Rule[]): Rule[] {
  const out = [...into];
  for (const rule of add) {
    const origin = PLUGIN_RULES.get(rule);
    const earlier = out.find((r) => r.id === rule.id);
    if (!earlier) {
      out.push(rule);
      continue;
    }
    const first = PLUGIN_RULES.get(earlier);
    if (!origin || !first) throw new ConfigError(`two plugin rules have the id "${rule.id}"`);
    if (first.exported === origin.exported) continue;
    throw errorAt(
      origin.node,
      first.file === origin.file
        ? `plugin "${origin.spec}" defines rule "${rule.id}" twice; each rule needs an id of its own`
        : `plugin "${origin.spec}" defines rule "${rule.id}", which plugin "${first.spec}" defines too; each rule needs an id of its own`,
    );
  }
  return out;
}

// ---- Rule ids ----

function domainOf(id: string): string {
  const i = id.indexOf('/');
  return i < 0 ? id : id.slice(0, i);
}

/** `unknown rule "ecs/imag-tag" (did you mean "ecs/image-tag"?)`. */
export function unknownRuleMessage(id: string, known: Iterable<string>): string {
  const hint = didYouMean(id, known);
  return `unknown rule "${id}" (${hint ? `did you mean "${hint}"?` : 'run `stowage rules` to list them'})`;
}

/**
 * Whether a rule id named by the config or `--rule` is unknown to the run. When the config's
 * plugins were not loaded, an id outside the built-in domains is taken for one of theirs (its
 * setting then has nothing to apply to); ids in a built-in domain must still exist.
 */
export function isUnknownRuleId(id: string, config: ResolvedConfig, known: ReadonlySet<string>): boolean {
  if (known.has(id)) return false;
  if (!config.pluginsSkipped) return true;
  const domains = new Set([...known].map(domainOf));
  return domains.has(domainOf(id));
}

/** Throw a located ConfigError for the first rule id the config names that the run does not know. */
export function checkRuleIds(config: ResolvedConfig, known: Iterable<string>): void {
  const ids = new Set(known);
  for (const ref of config.ruleIds) if (isUnknownRuleId(ref.id, config, ids)) throw errorAt(ref.node, unknownRuleMessage(ref.id, ids));
}

/**
 * Check the options the config gives rules against each rule's `meta.schema` (ajv, loaded only when
 * some rule has options); a problem is a ConfigError located at the offending value. Options for a
 * rule without a schema are refused.
 */
export async function checkRuleOptions(config: ResolvedConfig, rules: Iterable<AnyRule>): Promise<void> {
  const problem = await ruleOptionProblem(config, rules);
  if (problem) throw problem.node ? errorAt(problem.node, problem.message) : new ConfigError(problem.message);
}

/** The first problem of the config's rule options, located; undefined when they are all valid. */
export async function ruleOptionProblem(config: ResolvedConfig, rules: Iterable<AnyRule>): Promise<{ node?: Node; message: string } | undefined> {
  const settings: Array<[string, RuleOptionsSetting]> = [...Object.entries(config.ruleOptions)];
  for (const o of config.overrides) settings.push(...Object.entries(o.ruleOptions));
  if (!settings.length) return undefined;
  const byId = new Map<string, AnyRule>();
  for (const r of rules) byId.set(r.id, r);
  const { validateRuleOptions } = await import('./config-schema.js');
  for (const [id, s] of settings) {
    const rule = byId.get(id);
    if (!rule) continue; // an unknown id is checkRuleIds' to report
    const schema = rule.meta?.schema;
    if (!schema) return { ...(s.node ? { node: s.node } : {}), message: `rule ${id} takes no options` };
    const problems = validateRuleOptions(schema, s.options, didYouMean);
    if (problems.length) {
      const p = problems[0]!;
      return { ...(s.node ? { node: nodeAt(s.node, p.instancePath, p.key) } : {}), message: `options of ${id}: ${p.message}` };
    }
  }
  return undefined;
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

/** Options the config gives a rule for a file (the last override that gives some wins), or undefined. */
export function configuredOptions(rule: AnyRule, config: ResolvedConfig, filePath: string): Record<string, unknown> | undefined {
  let o = config.ruleOptions[rule.id]?.options;
  if (config.overrides.length) {
    const rel = relative(config.baseDir, filePath).split('\\').join('/');
    for (const ov of config.overrides) if (ov.match(rel) && ov.ruleOptions[rule.id]) o = ov.ruleOptions[rule.id]!.options;
  }
  return o;
}

export function isSeverity(s: string): s is SeveritySetting {
  return SEVERITIES.includes(s);
}
