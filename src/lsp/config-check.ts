/**
 * The configuration problems the CLI refuses to run with, located for the editor: a `ConfigError`
 * (syntax, schema, an extended file or a plugin that cannot be loaded) and rule ids that no rule
 * has (`rules:` keys, which the CLI checks after loading).
 */
import { dirname, resolve } from 'node:path';
import { ConfigError, type ResolvedConfig } from '../engine/config.js';
import { loadFile } from '../parsers/index.js';
import { isMap, isSeq, isScalar, type Node } from '../parsers/tree.js';
import { didYouMean } from '../rules/lib/schema-findings.js';
import type { ConfigProblem } from './wire.js';

const PRESETS = new Set(['recommended', 'all']);

/** The problem a failed `loadConfig` reported (placed at the start of `path` when it has no location). */
export function problemOf(e: unknown, path: string): ConfigProblem {
  if (e instanceof ConfigError && e.location) {
    const l = e.location;
    return { path: l.path, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, detail: l.detail, message: e.message };
  }
  const message = e instanceof ConfigError ? e.message : `${path}: cannot load the configuration: ${e instanceof Error ? e.message : String(e)}`;
  const prefix = `${path}: `;
  const detail = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return { path, line: 1, column: 1, endLine: 1, endColumn: 1, detail, message: message.startsWith(prefix) ? message : `${prefix}${message}` };
}

/**
 * Rule ids set in the configuration (its `rules`, and those of the files it extends) that no rule has.
 * When the configuration's plugins were not loaded, ids outside the built-in rules' domains may be
 * theirs and are left alone.
 */
export function unknownRuleProblems(config: ResolvedConfig, known: Iterable<string>, pluginsSkipped: boolean, readText: (path: string) => string | undefined): ConfigProblem[] {
  const ids = [...known];
  const knownIds = new Set(ids);
  const domains = new Set(ids.map((id) => id.split('/')[0]));
  const problems: ConfigProblem[] = [];
  for (const id of Object.keys(config.rules)) {
    if (knownIds.has(id)) continue;
    if (pluginsSkipped && !domains.has(id.split('/')[0])) continue;
    const hint = didYouMean(id, ids);
    const detail = hint ? `unknown rule "${id}" (did you mean "${hint}"?)` : `unknown rule "${id}" (see \`stowage rules\`)`;
    const at = config.path ? locateRuleKey(config.path, id, readText, new Set()) : undefined;
    const where = at ?? { path: config.path ?? config.baseDir, line: 1, column: 1, endLine: 1, endColumn: 1 };
    problems.push({ ...where, detail, message: `${where.path}:${where.line}:${where.column}: ${detail}` });
  }
  return problems;
}

type Span = Omit<ConfigProblem, 'detail' | 'message'>;

/** Where `rules: { <id>: ... }` is written: in the file itself, else in a file it extends. */
function locateRuleKey(path: string, id: string, readText: (path: string) => string | undefined, seen: Set<string>): Span | undefined {
  if (seen.has(path)) return undefined;
  seen.add(path);
  const text = readText(path);
  if (text === undefined) return undefined;
  const root = loadFile(path, text).documents[0]?.root as Node | undefined;
  if (!root || !isMap(root)) return undefined;
  const rules = root.get('rules');
  const key = rules && isMap(rules) ? rules.pair(id)?.key : undefined;
  if (key) {
    const r = key.file.range(key.start, key.end);
    return { path, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column };
  }
  const ext = root.get('extends');
  const entries = ext && isSeq(ext) ? ext.items : ext ? [ext] : [];
  for (const e of entries) {
    if (!isScalar(e) || typeof e.value !== 'string' || PRESETS.has(e.value.replace(/^stowage:/, ''))) continue;
    const hit = locateRuleKey(resolve(dirname(path), e.value), id, readText, seen);
    if (hit) return hit;
  }
  return undefined;
}
