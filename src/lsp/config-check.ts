/**
 * The configuration problems the CLI refuses to run with, located for the editor: a `ConfigError`
 * (syntax, schema, an extended file or a plugin that cannot be loaded) and rule ids that no rule
 * has (which the CLI checks once the plugins are loaded). Every unknown id is reported, not only the first.
 */
import { ConfigError, type ResolvedConfig } from '../engine/config.js';
import { didYouMean } from '../rules/lib/schema-findings.js';
import type { ConfigProblem } from './wire.js';

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

function domainOf(id: string): string {
  const i = id.indexOf('/');
  return i < 0 ? id : id.slice(0, i);
}

/**
 * Rule ids the configuration names (its `rules` and `overrides[].rules`, and those of the files it
 * extends) that no rule has, each where it is written. When the configuration's plugins were not
 * loaded, ids outside the built-in rules' domains may be theirs and are left alone.
 */
export function unknownRuleProblems(config: ResolvedConfig, known: Iterable<string>): ConfigProblem[] {
  const ids = new Set(known);
  const domains = new Set([...ids].map(domainOf));
  const problems: ConfigProblem[] = [];
  for (const { id, node } of config.ruleIds) {
    if (ids.has(id) || (config.pluginsSkipped && !domains.has(domainOf(id)))) continue;
    const hint = didYouMean(id, ids);
    const detail = `unknown rule "${id}" (${hint ? `did you mean "${hint}"?` : 'run `stowage rules` to list them'})`;
    const r = node.file.range(node.start, node.end);
    const at = { path: node.file.path, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column };
    problems.push({ ...at, detail, message: `${at.path}:${at.line}:${at.column}: ${detail}` });
  }
  return problems;
}

/** A problem at a node of a configuration file. */
export function problemAt(node: { file: { path: string; range(s: number, e: number): { start: { line: number; column: number }; end: { line: number; column: number } } }; start: number; end: number }, detail: string): ConfigProblem {
  const r = node.file.range(node.start, node.end);
  const at = { path: node.file.path, line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column };
  return { ...at, detail, message: `${at.path}:${at.line}:${at.column}: ${detail}` };
}
