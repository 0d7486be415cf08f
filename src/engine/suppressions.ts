/**
 * Suppressions, all three syntaxes, and what each suppresses:
 *
 * - comment directives: `# stowage-disable-next-line`, `# stowage-disable-line`, `# stowage-disable`
 *   in YAML, and their `//` and `/* *\/` forms in a CDK app's TypeScript (applied by the CDK
 *   mapping, `src/cdk/map.ts`, to the findings it moves there);
 * - on a resource or object: `Metadata.stowage.ignore` of a CloudFormation resource, the
 *   `stowage.dev/ignore` annotation of a Kubernetes object (or of a workload's pod template),
 *   read from the entity the model records for each range of a file (`EntityScope`);
 * - the configuration's `suppressions:` entries (a rule in files, optionally on one entity).
 *
 * A finding is suppressed by the first of these that applies, in that order. Rule ids that no
 * rule has are `unknown-rule` warnings where they are written; with
 * `--report-unused-disable-directives`, suppressions that suppressed nothing are
 * `unused-disable-directive` warnings.
 */
import { relative } from 'node:path';
import type { ParsedFile } from '../parsers/index.js';
import { isMap, isScalar, isSeq, SourceFile, type MapNode, type Node } from '../parsers/tree.js';
import type { EntityScope, Model } from '../model/model.js';
import { Workload, type K8sObject } from '../model/entities.js';
import { didYouMean } from '../rules/lib/schema-findings.js';
import type { ConfigSuppression, ResolvedConfig } from './config.js';
import type { FileResult, Finding } from './lint.js';
import type { Severity } from './rule.js';

/** Rule ids of the engine's own findings about suppressions. */
export const UNKNOWN_RULE = 'unknown-rule';
export const UNUSED_DIRECTIVE = 'unused-disable-directive';

/** A rule id as written in a suppression, with its range in the file. */
export interface IdAt {
  id: string;
  start: number;
  end: number;
}

/** `rule-a, rule-b -- reason` → [rule-a, rule-b]. */
export function splitIds(s: string): string[] {
  return s
    .split(/\s--\s|^--\s/)[0]!
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * Where each id of a suppression scalar is written: found in order in the scalar's source text
 * (the whole scalar when its source spells it otherwise, e.g. with escapes).
 */
export function locateIds(n: Node, ids: string[]): IdAt[] {
  const src = n.file.text.slice(n.start, n.end);
  const out: IdAt[] = [];
  let cursor = 0;
  for (const id of ids) {
    const k = src.indexOf(id, cursor);
    if (k < 0) out.push({ id, start: n.start, end: n.end });
    else {
      out.push({ id, start: n.start + k, end: n.start + k + id.length });
      cursor = k + id.length;
    }
  }
  return out;
}

// ------------------------------------------------------------------ comment directives

/** A `# stowage-disable...` comment. */
export interface Directive {
  kind: 'next-line' | 'line' | 'file';
  /** Rule ids; empty means every rule. */
  rules: string[];
  /** Where each rule id is written (for "unknown rule" findings); absent where not known. */
  ids?: IdAt[];
  /** 1-based line of the comment. */
  line: number;
  start: number;
  end: number;
  /** Rule ids (or '*') this directive suppressed something for. */
  used: Set<string>;
}

// `[\s\S]*` (not `.*`) to the end: it cannot fail there, so a line of many `#` is read once.
const DIRECTIVE = /(?:^|\s)#\s*stowage-(disable-next-line|disable-line|disable)(?=\s|$)([\s\S]*)$/;

/** Directives in a YAML file's comments (JSON has no comments; use resource Metadata there). */
export function parseDirectives(file: SourceFile): Directive[] {
  if (file.syntax !== 'yaml' || !file.text.includes('stowage-disable')) return [];
  const out: Directive[] = [];
  const lines = file.text.split(/\r\n|\r|\n/);
  let offset = 0;
  lines.forEach((text, i) => {
    const m = DIRECTIVE.exec(text);
    if (m) {
      const kind = m[1] === 'disable' ? 'file' : m[1] === 'disable-line' ? 'line' : 'next-line';
      const at = offset + m.index + (m[0].startsWith('#') ? 0 : 1);
      const rest = m[2]!;
      const restStart = offset + m.index + m[0].length - rest.length;
      const rules = splitIds(rest.trim());
      const ids: IdAt[] = [];
      let cursor = 0;
      for (const id of rules) {
        const k = rest.indexOf(id, cursor);
        if (k < 0) break;
        ids.push({ id, start: restStart + k, end: restStart + k + id.length });
        cursor = k + id.length;
      }
      out.push({ kind, rules, ids, line: i + 1, start: at, end: offset + text.length, used: new Set() });
    }
    offset += text.length + (file.text[offset + text.length] === '\r' && file.text[offset + text.length + 1] === '\n' ? 2 : 1);
  });
  return out;
}

/** A comment of a TypeScript (or JavaScript) file, as typescript-estree gives it. */
export interface SourceComment {
  /** The text between the comment's delimiters. */
  value: string;
  range: [number, number];
  loc: { end: { line: number } };
}

/**
 * Directives in the comments of a CDK app's source: `// stowage-disable-next-line <ids> -- reason`,
 * `// stowage-disable-line`, `/* stowage-disable *\/` (fresh each call: they record their use).
 */
export function parseSourceDirectives(comments: readonly SourceComment[]): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    const m = /^\s*(?:\*\s*)?stowage-(disable-next-line|disable-line|disable)(?=\s|$)([\s\S]*)$/.exec(c.value);
    if (!m) continue;
    const kind = m[1] === 'disable' ? 'file' : m[1] === 'disable-line' ? 'line' : 'next-line';
    const rest = m[2]!.replace(/\*\/?\s*$/, '').trim();
    out.push({ kind, rules: splitIds(rest), line: c.loc.end.line, start: c.range[0], end: c.range[1], used: new Set() });
  }
  return out;
}

/** The message of a directive that suppressed nothing (of the ids it names that are known), or undefined. */
export function unusedDirectiveMessage(d: Directive, unknown?: Set<string>): string | undefined {
  const unused = d.rules.length === 0 ? (d.used.size ? [] : ['*']) : d.rules.filter((r) => !d.used.has(r) && !unknown?.has(r));
  if (!unused.length) return undefined;
  const what = unused[0] === '*' ? 'any rule' : unused.map((r) => `'${r}'`).join(', ');
  return `Unused stowage-disable directive (no problems were reported from ${what}).`;
}

/** Does a directive suppress a rule's finding on a line? */
function applies(d: Directive, ruleId: string, line: number): boolean {
  const here = d.kind === 'file' || (d.kind === 'line' && d.line === line) || (d.kind === 'next-line' && d.line + 1 === line);
  return here && (d.rules.length === 0 || d.rules.includes(ruleId));
}

function markUsed(d: Directive, ruleId: string): Directive {
  d.used.add(d.rules.length === 0 ? '*' : ruleId);
  return d;
}

/** The directive that suppresses a rule's finding on a line, if any (and mark it used). */
export function suppressedBy(directives: Directive[], ruleId: string, line: number): Directive | undefined {
  for (const d of directives) if (applies(d, ruleId, line)) return markUsed(d, ruleId);
  return undefined;
}

/**
 * The directives of a file indexed by the line they act on and the rules they name, so that each
 * finding looks at a handful of candidates instead of every directive of the file (a file with
 * thousands of comments and thousands of findings). Answers exactly as `suppressedBy`: the first
 * directive of the file that applies.
 */
export class DirectiveIndex {
  private readonly byLine = new Map<number, Directive[]>();
  private readonly fileByRule = new Map<string, Directive>();
  private fileAll: Directive | undefined;

  constructor(readonly directives: Directive[]) {
    for (const d of directives) {
      if (d.kind === 'file') {
        if (d.rules.length === 0) this.fileAll ??= d;
        for (const r of d.rules) if (!this.fileByRule.has(r)) this.fileByRule.set(r, d);
        continue;
      }
      const line = d.kind === 'line' ? d.line : d.line + 1;
      const list = this.byLine.get(line);
      if (list) list.push(d);
      else this.byLine.set(line, [d]);
    }
  }

  suppressedBy(ruleId: string, line: number): Directive | undefined {
    let best: Directive | undefined;
    const consider = (d: Directive | undefined) => {
      if (d && (!best || d.start < best.start) && applies(d, ruleId, line)) best = d;
    };
    consider(this.fileAll);
    consider(this.fileByRule.get(ruleId));
    for (const d of this.byLine.get(line) ?? []) consider(d);
    return best ? markUsed(best, ruleId) : undefined;
  }
}

// ------------------------------------------------------------------ on a resource or object

/** The rule ids a resource or object suppresses for its whole range. */
export interface ScopeIgnore {
  ids: string[];
  /** Where the list is written, for reporting unused ones. */
  node: Node;
  /** Where each id is written (for "unknown rule" findings). */
  at: IdAt[];
  /** How the list is named in messages. */
  where: string;
}

/** What the scope's resource or object suppresses: `Metadata.stowage.ignore`, `stowage.dev/ignore`. */
export function scopeIgnore(scope: EntityScope): ScopeIgnore | undefined {
  if (scope.resource) return cfnIgnore(scope.resource);
  if (scope.object) return k8sIgnore(scope.object);
  return undefined;
}

/** `Metadata: { stowage: { ignore: [ids] } }` (a list, or one string of ids). */
function cfnIgnore(resource: MapNode): ScopeIgnore | undefined {
  const meta = resource.get('Metadata');
  const st = isMap(meta) ? meta.get('stowage') : undefined;
  const list = isMap(st) ? st.get('ignore') : undefined;
  if (!list) return undefined;
  const ids: string[] = [];
  const at: IdAt[] = [];
  const take = (n: Node) => {
    if (!isScalar(n) || typeof n.value !== 'string') return;
    const own = splitIds(n.value);
    ids.push(...own);
    at.push(...locateIds(n, own));
  };
  if (isSeq(list)) for (const i of list.items) take(i);
  take(list);
  return { ids, node: list, at, where: 'Metadata.stowage.ignore' };
}

/** The `stowage.dev/ignore` annotation of the object and of a workload's pod template. */
function k8sIgnore(e: K8sObject): ScopeIgnore | undefined {
  const ids: string[] = [];
  const at: IdAt[] = [];
  let where: Node | undefined;
  const metas = [e.metadata, e instanceof Workload ? e.podTemplateMetadata : undefined];
  for (const m of metas) {
    const ann = m?.obj('annotations');
    const v = ann?.node.get('stowage.dev/ignore');
    if (isScalar(v) && typeof v.value === 'string') {
      const own = splitIds(v.value);
      ids.push(...own);
      at.push(...locateIds(v, own));
      where ??= v;
    }
  }
  return where ? { ids, node: where, at, where: 'the stowage.dev/ignore annotation' } : undefined;
}

// ------------------------------------------------------------------ the configuration's `suppressions`

/** The configuration's `suppressions`, indexed per file by rule id and entity. */
export class ConfigSuppressions {
  private readonly list: ConfigSuppression[];
  private readonly used = new Set<ConfigSuppression>();
  /** Entries that match a file whose findings are not reported (`--context`): never called unused. */
  private readonly elsewhere = new Set<ConfigSuppression>();
  private readonly baseDir: string;

  constructor(config: ResolvedConfig, parsed: ParsedFile[], reportOnly: Set<string> | undefined) {
    const own = config.suppressions;
    this.list = Array.isArray(own) ? own : [];
    this.baseDir = config.baseDir;
    if (reportOnly && this.list.length)
      for (const pf of parsed) {
        if (reportOnly.has(pf.file.path)) continue;
        const rel = this.rel(pf.file.path);
        for (const s of this.list) if (s.match(rel)) this.elsewhere.add(s);
      }
  }

  private rel(path: string): string {
    return relative(this.baseDir, path).split('\\').join('/');
  }

  /** For one file: finding → the first entry (in config order) that suppresses it, marked used. */
  forFile(path: string): ((f: Finding) => boolean) | undefined {
    if (!this.list.length) return undefined;
    const rel = this.rel(path);
    const byRule = new Map<string, { any?: number; byEntity: Map<string, number> }>();
    this.list.forEach((s, i) => {
      if (!s.match(rel)) return;
      let e = byRule.get(s.rule);
      if (!e) byRule.set(s.rule, (e = { byEntity: new Map() }));
      if (s.entity === undefined) e.any ??= i;
      else if (!e.byEntity.has(s.entity)) e.byEntity.set(s.entity, i);
    });
    if (!byRule.size) return undefined;
    return (f) => {
      const e = byRule.get(f.ruleId);
      if (!e) return false;
      const a = e.any;
      const b = f.entity !== undefined ? e.byEntity.get(f.entity) : undefined;
      const i = a === undefined ? b : b === undefined ? a : Math.min(a, b);
      if (i === undefined) return false;
      this.used.add(this.list[i]!);
      return true;
    };
  }

  /** Unused entries: a warning at the entry in the config file. */
  reportUnused(results: FileResult[]): void {
    for (const s of this.list) {
      if (this.used.has(s) || this.elsewhere.has(s) || !(s.source instanceof SourceFile)) continue;
      const files = s.files.map((x) => `"${x}"`).join(', ');
      const f = engineFinding(UNUSED_DIRECTIVE, 'warning', s.source, s.start, s.end, `Unused suppression of '${s.rule}'${s.entity !== undefined ? ` on ${s.entity}` : ''} for ${files} in the configuration (no problems were reported).`);
      let r = results.find((x) => x.path === s.source.path);
      if (!r) results.push((r = { path: s.source.path, findings: [] }));
      r.findings.push(f);
    }
  }
}

// ------------------------------------------------------------------ applying them

/** What a run's suppressions need to know. */
export interface SuppressionOptions {
  /** Every rule id a suppression may name; others are `unknown-rule` warnings. */
  known: Set<string>;
  reportUnused: boolean;
  /** Only these files are reported (the rest are context). */
  reportOnly?: Set<string> | undefined;
}

/** The suppressions of one run: apply each file's, then report the configuration's unused ones. */
export class Suppressions {
  private readonly config: ConfigSuppressions;

  constructor(
    resolved: ResolvedConfig,
    parsed: ParsedFile[],
    private readonly model: Model,
    private readonly options: SuppressionOptions,
  ) {
    this.config = new ConfigSuppressions(resolved, parsed, options.reportOnly);
  }

  /**
   * A file's findings without those its suppressions suppress (parse errors and internal errors
   * are never suppressed), plus the engine's findings about those suppressions. Not sorted.
   */
  apply(file: SourceFile, findings: Finding[]): Finding[] {
    const { known, reportUnused } = this.options;
    const directives = new DirectiveIndex(parseDirectives(file));
    const scopes = this.model.scopes.get(file) ?? [];
    const scopeIndex = this.model.scopeIndex(file);
    const ignores = new Map<EntityScope, ScopeIgnore>();
    for (const s of scopes) {
      const ig = scopeIgnore(s);
      if (ig) ignores.set(s, ig);
    }
    const byConfig = this.config.forFile(file.path);
    const usedScopeIds = new Map<EntityScope, Set<string>>();
    const kept: Finding[] = [];
    for (const f of findings) {
      if (f.ruleId === 'parse-error' || f.fatal) {
        kept.push(f);
        continue;
      }
      if (directives.suppressedBy(f.ruleId, f.line)) continue;
      let scope: EntityScope | undefined;
      if (ignores.size)
        for (const s of scopeIndex.containing(f.start))
          if (ignores.get(s)?.ids.includes(f.ruleId)) {
            scope = s;
            break;
          }
      if (scope) {
        let u = usedScopeIds.get(scope);
        if (!u) usedScopeIds.set(scope, (u = new Set()));
        u.add(f.ruleId);
        continue;
      }
      if (byConfig?.(f)) continue;
      kept.push(f);
    }
    // Rule ids that no rule has: a warning where each is written, with the nearest known id.
    const unknownAt = (ids: IdAt[] | undefined, where: string): Set<string> => {
      const unknown = new Set<string>();
      for (const { id, start, end } of ids ?? []) {
        if (known.has(id)) continue;
        unknown.add(id);
        const hint = didYouMean(id, known);
        kept.push(engineFinding(UNKNOWN_RULE, 'warning', file, start, end, `Unknown rule "${id}" in ${where}${hint ? ` (did you mean "${hint}"?)` : ''}.`));
      }
      return unknown;
    };
    const unknownInDirectives = directives.directives.map((d) => unknownAt(d.ids, 'a stowage-disable comment'));
    const unknownInScopes = new Map<EntityScope, Set<string>>();
    for (const [s, ig] of ignores) if (ig.at.length) unknownInScopes.set(s, unknownAt(ig.at, ig.where));
    if (reportUnused) {
      directives.directives.forEach((d, i) => {
        const message = unusedDirectiveMessage(d, unknownInDirectives[i]!);
        if (message) kept.push(engineFinding(UNUSED_DIRECTIVE, 'warning', file, d.start, d.end, message));
      });
      for (const [s, ig] of ignores) {
        if (!ig.ids.length) continue;
        const used = usedScopeIds.get(s) ?? new Set();
        const unknown = unknownInScopes.get(s);
        const unused = ig.ids.filter((r) => !used.has(r) && !unknown?.has(r));
        if (unused.length) kept.push(engineFinding(UNUSED_DIRECTIVE, 'warning', file, ig.node.start, ig.node.end, `Unused stowage ignore for ${unused.map((r) => `'${r}'`).join(', ')} on ${s.label} (no problems were reported).`));
      }
    }
    return kept;
  }

  /** The configuration's entries that suppressed nothing (with `reportUnused`): a warning at each, in the config file's result. */
  finish(results: FileResult[]): void {
    if (this.options.reportUnused) this.config.reportUnused(results);
  }
}

/** A finding of the engine itself (unused or unknown suppressions): no entity, never moved to CDK source. */
function engineFinding(ruleId: string, severity: Severity, file: SourceFile, start: number, end: number, message: string): Finding {
  // Inside the file, end at or after start (the engine's guarantee, whatever a config or file says).
  const len = file.text.length;
  start = Number.isFinite(start) ? Math.min(Math.max(Math.trunc(start), 0), len) : 0;
  end = Number.isFinite(end) ? Math.min(Math.max(Math.trunc(end), start), len) : start;
  const s = file.position(start);
  const e = file.position(end);
  return { ruleId, severity, message, file, start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}
