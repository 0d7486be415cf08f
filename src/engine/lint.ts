import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { parseFile, type CdkStack, type ParsedFile } from '../parsers/index.js';
import { SourceFile, type Node } from '../parsers/tree.js';
import { Model, type EntityScope } from '../model/model.js';
import { Entity } from '../model/entities.js';
import { isIntrinsic, Prop } from '../model/value.js';
import { parseDirectives, suppressedBy, type Directive } from './suppressions.js';
import { targetPath } from './keypath.js';
import { defaultConfig, severityFor, type ResolvedConfig } from './config.js';
import { mapCdkFindings, type CdkLocations } from './cdk-source.js';
import type { Rule, Severity, SeveritySetting, Target } from './rule.js';

/** Files over this size are refused with a notice rather than parsed. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface LintInput {
  path: string;
  /** In-memory text (stdin, editors); read from disk when absent. */
  text?: string;
  explicit?: boolean;
  cdk?: CdkStack;
  /** The path as the OS spells it, when it is not valid UTF-8 (`Candidate.raw`). */
  raw?: Buffer;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: SourceFile;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** CloudFormation logical id or Kubernetes `Kind/namespace/name`. */
  entity?: string;
  cdkPath?: string;
  k8sObject?: string;
  helmSource?: string;
  /** Key path from the entity (or document root) to the reported node, for baseline fingerprints (`keyPath`). */
  path?: string;
  /** An internal error (a rule that threw). */
  fatal?: boolean;
  /** A fix an editor can offer as a quick fix (no rule offers one yet). */
  fix?: FindingFix;
  /** A CDK finding reported on the TypeScript that created the construct: where it is in the template. */
  templateLocation?: FindingLocation;
  /** A CDK finding kept on the template (`cdkLocations: 'template'`): the TypeScript that created the construct. */
  sourceLocation?: FindingLocation;
}

/** A position in another file than the finding's own. */
export interface FindingLocation {
  filePath: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Text edits (offsets into the finding's file) that fix a finding. */
export interface FindingFix {
  title: string;
  edits: Array<{ start: number; end: number; text: string }>;
}

export interface FileResult {
  path: string;
  findings: Finding[];
}

export interface LintOptions {
  rules: Rule[];
  config?: ResolvedConfig;
  /** `--rule id=severity` settings. */
  cliRules?: Record<string, SeveritySetting>;
  reportUnusedDisableDirectives?: boolean;
  /** Only report on these paths (the rest of the inputs are context). */
  reportOnly?: Set<string>;
  /** Findings on CDK resources: on the app's TypeScript (`source`), on the template with the TypeScript as related location (`template`), or not mapped (`off`, the default here; the CLI defaults to `source`). */
  cdkLocations?: CdkLocations;
  /** Text of an app source file that differs from disk (an editor's unsaved buffer). */
  readSource?: (path: string) => string | undefined;
}

export interface LintOutput {
  results: FileResult[];
  /** One-line notices: files skipped, unreadable, not recognised. */
  notices: string[];
  internalErrors: number;
  model: Model;
}

/** Read a file as text, refusing binary, huge or unreadable files with a notice. */
export function readInput(path: string, raw?: Buffer): { text: string } | { notice: string } {
  let fd: number | undefined;
  try {
    fd = openSync(raw ?? path, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return { notice: `${path}: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; skipped` };
    const buf = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const data = buf.subarray(0, read);
    if (data.subarray(0, 8192).includes(0)) return { notice: `${path}: binary file; skipped` };
    let text = data.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { notice: `${path}: cannot read (${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? String(e))}); skipped` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parse inputs into files (with notices for what cannot be read or recognised). */
export function parseInputs(inputs: LintInput[], notices: string[]): ParsedFile[] {
  const parsed: ParsedFile[] = [];
  for (const input of inputs) {
    let text = input.text;
    if (text === undefined) {
      const r = readInput(input.path, input.raw);
      if ('notice' in r) {
        if (input.explicit || !/binary file/.test(r.notice)) notices.push(r.notice);
        continue;
      }
      text = r.text;
    }
    let pf: ParsedFile;
    try {
      pf = parseFile(input.path, text, input.cdk);
    } catch (e) {
      // Loaders never throw; this is a last line of defence.
      const file = new SourceFile(input.path, text, 'yaml');
      pf = { file, documents: [], problems: [{ message: `could not read: ${e instanceof Error ? e.message : String(e)}`, start: 0, end: 0 }], recognized: true };
    }
    if (pf.skipped) {
      if (input.explicit) notices.push(`${input.path}: ${pf.skipped}; skipped`);
      continue;
    }
    // A file named on the command line with a syntax error gets the error, even when it is not recognisably ours.
    if (!pf.recognized && !(input.explicit && pf.problems.length && text.trim() !== '')) {
      if (input.explicit) notices.push(`${input.path}: not a CloudFormation template, ECS task definition, Kubernetes manifest or eksctl config; skipped`);
      continue;
    }
    parsed.push(pf);
  }
  return parsed;
}

/** Lint inputs: parse, model across all files, run rules, apply suppressions. */
export function lint(inputs: LintInput[], options: LintOptions): LintOutput {
  const notices: string[] = [];
  const parsed = parseInputs(inputs, notices);
  return lintParsed(parsed, options, notices);
}

export function lintParsed(parsed: ParsedFile[], options: LintOptions, notices: string[] = []): LintOutput {
  const config = options.config ?? defaultConfig(process.cwd());
  const model = new Model(parsed);
  const byFile = new Map<SourceFile, Finding[]>();
  const add = (f: Finding) => {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  };
  let internalErrors = 0;
  const reportOnly = options.reportOnly;

  for (const pf of parsed) if (!reportOnly || reportOnly.has(pf.file.path)) byFile.set(pf.file, []);
  for (const pf of parsed) {
    const file = pf.file;
    if (reportOnly && !reportOnly.has(file.path)) continue;
    for (const p of pf.problems) add(makeFinding('parse-error', 'error', p.message, file, p.start, p.end, model));
    if (!pf.documents.length) continue;
    const view = model.view(file);
    for (const rule of options.rules) {
      const severity = severityFor(rule, config, file.path, options.cliRules);
      if (severity === 'off') continue;
      const seen = new Set<string>();
      try {
        rule.check({
          model: view,
          file,
          report(target: Target, message: string, opts) {
            const node = targetNode(target, opts?.atKey);
            const f = makeFinding(rule.id, severity, message, node.file, spanStart(node), spanEnd(node), model, target);
            const key = `${f.file.path}:${f.start}:${message}`;
            if (seen.has(key)) return;
            seen.add(key);
            if (reportOnly && !reportOnly.has(f.file.path)) return;
            add(f);
          },
        });
      } catch (e) {
        internalErrors++;
        const msg = e instanceof Error ? e.message : String(e);
        const f = makeFinding(rule.id, 'error', `Internal error in rule ${rule.id}: ${msg}`, file, 0, 0, model);
        f.fatal = true;
        if (process.env.STOWAGE_DEBUG && e instanceof Error && e.stack) f.message += `\n${e.stack}`;
        add(f);
      }
    }
  }

  const results: FileResult[] = [];
  for (const pf of parsed) {
    const findings = byFile.get(pf.file);
    if (!findings) continue;
    results.push({ path: pf.file.path, findings: applySuppressions(pf.file, findings, model.scopes.get(pf.file) ?? [], options.reportUnusedDisableDirectives ?? false) });
  }
  // Findings a rule placed in a file that is not among the parsed ones cannot happen; keep order stable.
  const mode = options.cdkLocations ?? 'off';
  const mapped = mode === 'off' ? results : mapCdkFindings(results, { mode, reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? false, ...(options.readSource ? { readSource: options.readSource } : {}) }, notices);
  return { results: mapped, notices, internalErrors, model };
}

function targetNode(target: Target, atKey: boolean | undefined): Node {
  if (target instanceof Prop) return atKey && target.key ? target.key : target.where;
  if (target instanceof Entity) return target.anchor;
  return target.kind === 'scalar' || isIntrinsic(target) ? target : target.anchor;
}

function spanStart(n: Node): number {
  return n.start;
}

/** A collection without a key is reported on its first line only, not across its whole extent. */
function spanEnd(n: Node): number {
  if (n.kind === 'scalar') return n.end;
  // An intrinsic function on one line (`!GetAtt Role.Arn`, `{"Ref": "X"}`) is marked whole.
  if (isIntrinsic(n) && !n.file.text.slice(n.start, n.end).includes('\n')) return n.end;
  const first = n.kind === 'map' && n.size ? n.keyAt(0) : undefined;
  if (first) return first.end;
  const nl = n.file.text.indexOf('\n', n.start);
  return nl > n.start && nl < n.end ? nl : n.end;
}

function makeFinding(ruleId: string, severity: Severity, message: string, file: SourceFile, start: number, end: number, model: Model, target?: Target): Finding {
  const s = file.position(start);
  const e = file.position(end);
  const f: Finding = { ruleId, severity, message, file, start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  const scope = innermostScope(model.scopes.get(file), start);
  if (scope) {
    f.entity = scope.label;
    if (scope.cdkPath) f.cdkPath = scope.cdkPath;
    if (scope.k8sObject) f.k8sObject = scope.k8sObject;
    if (scope.helmSource) f.helmSource = scope.helmSource;
  }
  if (target !== undefined) f.path = targetPath(target, scope ? { start: scope.start, keyed: !scope.k8sObject } : undefined);
  return f;
}

function innermostScope(scopes: EntityScope[] | undefined, offset: number): EntityScope | undefined {
  let best: EntityScope | undefined;
  for (const s of scopes ?? []) if (s.start <= offset && offset <= s.end && (!best || s.start >= best.start)) best = s;
  return best;
}

function applySuppressions(file: SourceFile, findings: Finding[], scopes: EntityScope[], reportUnused: boolean): Finding[] {
  const directives: Directive[] = parseDirectives(file);
  const usedScopeIds = new Map<EntityScope, Set<string>>();
  const kept: Finding[] = [];
  for (const f of findings) {
    if (f.ruleId === 'parse-error' || f.fatal) {
      kept.push(f);
      continue;
    }
    if (suppressedBy(directives, f.ruleId, f.line)) continue;
    const scope = scopes.find((s) => s.ignore.includes(f.ruleId) && s.start <= f.start && f.start <= s.end);
    if (scope) {
      let u = usedScopeIds.get(scope);
      if (!u) usedScopeIds.set(scope, (u = new Set()));
      u.add(f.ruleId);
      continue;
    }
    kept.push(f);
  }
  if (reportUnused) {
    for (const d of directives) {
      const unused = d.rules.length === 0 ? (d.used.size ? [] : ['*']) : d.rules.filter((r) => !d.used.has(r));
      if (!unused.length) continue;
      const what = unused[0] === '*' ? 'any rule' : unused.map((r) => `'${r}'`).join(', ');
      kept.push(makeUnused(file, d.start, d.end, `Unused stowage-disable directive (no problems were reported from ${what}).`));
    }
    for (const s of scopes) {
      if (!s.ignore.length || !s.ignoreNode) continue;
      const used = usedScopeIds.get(s) ?? new Set();
      const unused = s.ignore.filter((r) => !used.has(r));
      if (unused.length) kept.push(makeUnused(file, s.ignoreNode.start, s.ignoreNode.end, `Unused stowage ignore for ${unused.map((r) => `'${r}'`).join(', ')} on ${s.label} (no problems were reported).`));
    }
  }
  // Code-point order: localeCompare would first build an ICU collator, ~6-10 ms of a one-file run.
  kept.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return kept;
}

function makeUnused(file: SourceFile, start: number, end: number, message: string): Finding {
  const s = file.position(start);
  const e = file.position(end);
  return { ruleId: 'unused-disable-directive', severity: 'error', message, file, start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}
