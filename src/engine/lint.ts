import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseFile, type CdkStack, type ParsedFile } from '../parsers/index.js';
import { MapNode, ScalarNode, SeqNode, SourceFile, type Node } from '../parsers/tree.js';
import { Model, type FileView } from '../model/model.js';
import { Entity } from '../model/entities.js';
import { isIntrinsic, Prop } from '../model/value.js';
import { Suppressions } from './suppressions.js';
import { targetPath } from './keypath.js';
import { configuredOptions, defaultConfig, severityFor, type ResolvedConfig } from './config.js';
import { mapCdkFindings, type CdkLocations } from '../cdk/map.js';
import { packagePath } from './paths.js';
import { isKeyName, optionsFor, placeholders, renderMessage, spellingOf, type AnyRule, type Finding, type FileResult, type KeyName, type MessageData, type Rule, type Severity, type SeveritySetting, type Target } from './rule.js';

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

export type { Finding, FindingFix, FindingLocation, FileResult } from './rule.js';

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
  /**
   * Every rule id a suppression may name (an unknown one is an `unknown-rule` warning with a
   * did-you-mean); defaults to the ids of `rules`.
   */
  knownRuleIds?: Iterable<string>;
}

/** Options of `lintIsolated`: plugin rules (those with a `source`) run in a worker thread. */
export interface IsolatedLintOptions extends LintOptions {
  /** A plugin rule that runs longer than this on one file is stopped (an internal error); default 30 s. */
  ruleTimeoutMs?: number;
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

/** Lint parsed files, every rule in-process (the language server; `lint`). */
export function lintParsed(parsed: ParsedFile[], options: LintOptions, notices: string[] = []): LintOutput {
  const run = new Run(parsed, options);
  for (const pf of parsed) run.checkFile(pf, options.rules);
  return run.finish(notices);
}

/**
 * Lint parsed files with plugin rules (rules with a `source`) in a worker thread, where one that
 * runs longer than `ruleTimeoutMs` on a file is stopped and becomes an internal error; built-in
 * rules run in-process. The CLI's entry point.
 */
export async function lintIsolated(parsed: ParsedFile[], options: IsolatedLintOptions, notices: string[] = []): Promise<LintOutput> {
  const isolated = options.rules.filter((r) => typeof r.source === 'string');
  if (!isolated.length) return lintParsed(parsed, options, notices);
  const run = new Run(parsed, options);
  const local = options.rules.filter((r) => typeof r.source !== 'string');
  const tasks: WorkerTask[] = [];
  parsed.forEach((pf, i) => {
    run.checkFile(pf, local);
    if (!run.checks(pf)) return;
    for (const rule of isolated) {
      const severity = run.severity(rule, pf);
      const options = configuredOptions(rule, run.config, pf.file.path);
      if (severity) tasks.push({ rule: rule.id, source: rule.source!, file: i, severity, ...(options ? { options } : {}) });
    }
  });
  if (tasks.length) {
    const out = await runInWorker(parsed, tasks, options.ruleTimeoutMs ?? 30_000, options.reportOnly);
    for (const p of out) run.addPlain(p);
  }
  return run.finish(notices);
}

/** One lint run: the model, findings by file, then suppressions, sorting and CDK mapping. */
class Run {
  readonly model: Model;
  readonly config: ResolvedConfig;
  private readonly byFile = new Map<SourceFile, Finding[]>();
  private readonly files: Set<SourceFile>;
  private internalErrors = 0;

  constructor(
    private readonly parsed: ParsedFile[],
    private readonly options: LintOptions,
  ) {
    this.config = options.config ?? defaultConfig(process.cwd());
    this.model = new Model(parsed);
    this.files = new Set(parsed.map((pf) => pf.file));
    for (const pf of parsed) if (this.reported(pf.file.path)) this.byFile.set(pf.file, []);
  }

  private reported(path: string): boolean {
    return !this.options.reportOnly || this.options.reportOnly.has(path);
  }

  /** Are rules run on this file (reported, with documents)? */
  checks(pf: ParsedFile): boolean {
    return this.reported(pf.file.path) && pf.documents.length > 0;
  }

  add(f: Finding): void {
    const list = this.byFile.get(f.file);
    if (list) list.push(f);
    else this.byFile.set(f.file, [f]);
  }

  /** The severity of a rule on a file: undefined when off; an internal error when the rule's own is not one. */
  severity(rule: Rule, pf: ParsedFile): Severity | undefined {
    const s = severityFor(rule, this.config, pf.file.path, this.options.cliRules);
    if (s === 'off') return undefined;
    if (s === 'error' || s === 'warning' || s === 'info') return s;
    this.internalError(rule.id, pf.file, `its severity is ${describe(s)}, not "error", "warning" or "info"`);
    return undefined;
  }

  private internalError(ruleId: string, file: SourceFile, what: string): void {
    this.internalErrors++;
    const f = makeFinding(ruleId, 'error', `Internal error in rule ${ruleId}: ${what}`, file, 0, 0, this.model);
    f.fatal = true;
    this.add(f);
  }

  /** Parse problems of a file, then each rule that is on for it (call once per file). */
  checkFile(pf: ParsedFile, rules: Rule[]): void {
    const file = pf.file;
    if (!this.reported(file.path)) return;
    for (const p of pf.problems) this.add(makeFinding('parse-error', 'error', p.message, file, p.start, p.end, this.model));
    if (!pf.documents.length) return;
    const view = this.model.view(file);
    for (const rule of rules) {
      const severity = this.severity(rule, pf);
      if (!severity) continue;
      const out = runCheck(rule, severity, file, view, this.model, this.files, this.options.reportOnly, configuredOptions(rule, this.config, file.path));
      for (const f of out.findings) this.add(f);
      this.internalErrors += out.internalErrors;
    }
  }

  /** A finding from the plugin worker. */
  addPlain(p: PlainFinding): void {
    const pf = this.parsed[p.file];
    if (!pf) return;
    const f = makeFinding(p.ruleId, p.severity, p.message, pf.file, p.start, p.end, this.model);
    if (p.path !== undefined) f.path = p.path;
    if (p.messageId !== undefined) {
      f.messageId = p.messageId;
      if (p.data) f.data = p.data;
      if (p.render) f.render = p.render;
    }
    if (p.fatal) {
      f.fatal = true;
      this.internalErrors++;
    }
    if (this.reported(f.file.path)) this.add(f);
  }

  finish(notices: string[]): LintOutput {
    const options = this.options;
    const reportUnused = options.reportUnusedDisableDirectives ?? false;
    const known = new Set(options.knownRuleIds ?? options.rules.map((r) => r.id));
    const suppressions = new Suppressions(this.config, this.parsed, this.model, { known, reportUnused, reportOnly: options.reportOnly });
    const results: FileResult[] = [];
    for (const pf of this.parsed) {
      const findings = this.byFile.get(pf.file);
      if (!findings) continue;
      results.push({ path: pf.file.path, findings: suppressions.apply(pf.file, findings).sort(compareFindings) });
    }
    suppressions.finish(results);
    const mode = options.cdkLocations ?? 'off';
    const mapped = mode === 'off' ? results : mapCdkFindings(results, { mode, reportUnusedDisableDirectives: reportUnused, ...(options.readSource ? { readSource: options.readSource } : {}) }, notices);
    // The same input gives the same bytes: never the order of arguments or of the walk.
    for (const r of mapped) r.findings.sort(compareFindings);
    mapped.sort((a, b) => compareStrings(a.path, b.path));
    return { results: mapped, notices, internalErrors: this.internalErrors, model: this.model };
  }
}

/** Code-point order: localeCompare would first build an ICU collator, ~6-10 ms of a one-file run. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Findings in a file: by position, then rule id, message and severity. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compareStrings(a.message, b.message) ||
    compareStrings(a.severity, b.severity) ||
    compareStrings(a.file.path, b.file.path)
  );
}

// ------------------------------------------------------------------ running a rule

/** A finding as plain data (from the plugin worker). */
export interface PlainFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Index of the file among the parsed files. */
  file: number;
  start: number;
  end: number;
  path?: string;
  fatal?: boolean;
  messageId?: string;
  data?: Record<string, string>;
  render?: { template: string; data: Record<string, string | KeyName> };
}

/**
 * Run one rule on one file. What the rule reports is checked: a message that is not a string, a
 * target that is not a node, property or entity of the run, a range outside its file, a check that
 * throws or returns a promise each become one internal-error finding for the rule and file; the
 * rule's other findings are kept.
 */
export function runCheck(
  rule: AnyRule,
  severity: Severity,
  file: SourceFile,
  view: FileView,
  model: Model,
  files: Set<SourceFile>,
  reportOnly: Set<string> | undefined,
  configured?: Record<string, unknown>,
): { findings: Finding[]; internalErrors: number } {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let problem: string | undefined;
  let open = true;
  const messages = messagesOf(rule);
  const report = (target: Target, messageId: string, dataOrOptions?: MessageData, maybeOptions?: { atKey?: boolean }): void => {
    // Reports after check() returned (from a promise) are refused: check() is flagged for returning it.
    if (!open) return;
    try {
      if (typeof messageId !== 'string') {
        problem ??= `report() was given a message${messages ? ' id' : ''} that is ${describe(messageId)}, not a string`;
        return;
      }
      let template: string | undefined;
      let data: MessageData | undefined;
      let opts: { atKey?: boolean } | undefined;
      if (messages) {
        template = Object.prototype.hasOwnProperty.call(messages, messageId) ? messages[messageId] : undefined;
        if (template === undefined) {
          problem ??= `report() was given the message id ${describe(messageId)}, which meta.messages does not define`;
          return;
        }
        if (dataOrOptions !== undefined && (typeof dataOrOptions !== 'object' || dataOrOptions === null || Array.isArray(dataOrOptions))) {
          problem ??= `report() was given data that is ${describe(dataOrOptions)}, not an object`;
          return;
        }
        data = dataOrOptions;
        opts = maybeOptions;
        for (const name of placeholders(template)) {
          const v = data?.[name];
          if (v === undefined) {
            problem ??= `report() was given no data for {{${name}}} of message "${messageId}"`;
            return;
          }
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && !isKeyName(v)) {
            problem ??= `report() was given data for {{${name}}} that is ${describe(v)}, not a string, number, boolean or key()`;
            return;
          }
        }
      } else {
        // Transitional: a rule without meta.messages reports its text.
        opts = dataOrOptions as { atKey?: boolean } | undefined;
      }
      if (!isTarget(target)) {
        problem ??= `report() was given a target that is ${describe(target)}, not a node, property or entity`;
        return;
      }
      const node = targetNode(target, opts !== null && typeof opts === 'object' && opts.atKey === true);
      const nodeFile = isNode(node) ? node.file : undefined;
      if (!nodeFile || !files.has(nodeFile)) {
        problem ??= 'report() was given a target that is not in the files of the run';
        return;
      }
      const start = spanStart(node);
      const end = spanEnd(node);
      if (!validRange(start, end, nodeFile)) {
        problem ??= `report() was given a location outside its file (${String(start)} to ${String(end)}, in a file of ${nodeFile.text.length} characters)`;
        return;
      }
      const spelling = spellingOf(model.formatAt(nodeFile, start));
      const message = template === undefined ? messageId : renderMessage(template, data, spelling);
      const key = `${nodeFile.path}:${start}:${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (reportOnly && !reportOnly.has(nodeFile.path)) return;
      const f = makeFinding(rule.id, severity, message, nodeFile, start, end, model, target);
      if (template !== undefined) {
        f.messageId = messageId;
        const shown: Record<string, string> = {};
        const raw: Record<string, string | KeyName> = {};
        for (const [k, v] of Object.entries(data ?? {})) {
          shown[k] = isKeyName(v) ? renderMessage(`{{v}}`, { v }, spelling) : String(v);
          raw[k] = isKeyName(v) ? { key: v.key } : String(v);
        }
        f.data = shown;
        f.render = { template, data: raw };
      }
      findings.push(f);
    } catch (e) {
      problem ??= `report() failed: ${errorText(e)}`;
    }
  };
  let thrown: { error: unknown } | undefined;
  try {
    const options = optionsFor(rule, configured);
    const returned: unknown = rule.check({ model: view, file, report, options });
    if (isThenable(returned)) {
      // Never an unhandled rejection: the promise is dropped, and findings it reports later are refused.
      (returned as PromiseLike<unknown>).then(undefined, () => undefined);
      problem ??= 'check() returned a promise; rules must report synchronously';
    }
  } catch (e) {
    thrown = { error: e };
  }
  open = false;
  let internalErrors = 0;
  if (thrown) {
    internalErrors++;
    const f = makeFinding(rule.id, 'error', `Internal error in rule ${rule.id}: ${errorText(thrown.error)}`, file, 0, 0, model);
    f.fatal = true;
    const stack = process.env.STOWAGE_DEBUG ? stackOf(thrown.error) : undefined;
    if (stack) f.message += `\n${stack}`;
    findings.push(f);
  }
  if (problem !== undefined && !thrown) {
    internalErrors++;
    const f = makeFinding(rule.id, 'error', `Internal error in rule ${rule.id}: ${problem}.`, file, 0, 0, model);
    f.fatal = true;
    findings.push(f);
  }
  return { findings, internalErrors };
}

/** A rule's message templates, or undefined for a rule that reports plain text. */
function messagesOf(rule: AnyRule): Record<string, string> | undefined {
  const m = (rule.meta as { messages?: unknown } | undefined)?.messages;
  return typeof m === 'object' && m !== null ? (m as Record<string, string>) : undefined;
}

function isNode(n: unknown): n is Node {
  return n instanceof MapNode || n instanceof SeqNode || n instanceof ScalarNode;
}

function isTarget(t: unknown): t is Target {
  return t instanceof Prop || t instanceof Entity || isNode(t);
}

function isThenable(v: unknown): boolean {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function validRange(start: number, end: number, file: SourceFile): boolean {
  return Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= file.text.length;
}

/** What a value is, for a message: `a number (3)`, `undefined`, `an object`. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `a ${typeof v} (${String(v)})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

/** The text of a thrown value, whatever it is (a getter that throws, a value without a string form). */
function errorText(e: unknown): string {
  try {
    if (e instanceof Error) return typeof e.message === 'string' ? e.message : describe(e.message);
    return typeof e === 'string' ? e : String(e);
  } catch {
    return 'a value that cannot be shown';
  }
}

function stackOf(e: unknown): string | undefined {
  try {
    return e instanceof Error && typeof e.stack === 'string' ? e.stack : undefined;
  } catch {
    return undefined;
  }
}

function targetNode(target: Target, atKey: boolean): Node {
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
  const file = n.file;
  // The end of the node's first line, from the line index (a search of the text would scan a minified file to its end for each finding).
  const line = file.position(n.start).line;
  const next = file.lineOffset(line + 1);
  const eol = next > n.start ? next - 1 : -1;
  // An intrinsic function on one line (`!GetAtt Role.Arn`, `{"Ref": "X"}`) is marked whole.
  if (isIntrinsic(n) && (eol < 0 || eol >= n.end)) return n.end;
  const first = n.kind === 'map' && n.size ? n.keyAt(0) : undefined;
  if (first) return first.end;
  return eol > n.start && eol < n.end ? eol : n.end;
}

/** A range inside the file, end at or after start (the engine's guarantee, whatever a parser or rule says). */
function clampRange(file: SourceFile, start: number, end: number): [number, number] {
  const len = file.text.length;
  const s = Number.isFinite(start) ? Math.min(Math.max(Math.trunc(start), 0), len) : 0;
  const e = Number.isFinite(end) ? Math.min(Math.max(Math.trunc(end), s), len) : s;
  return [s, e];
}

function makeFinding(ruleId: string, severity: Severity, message: string, file: SourceFile, start: number, end: number, model: Model, target?: Target): Finding {
  [start, end] = clampRange(file, start, end);
  const s = file.position(start);
  const e = file.position(end);
  const f: Finding = { ruleId, severity, message, file, start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
  const scope = model.scopeIndex(file).at(start);
  if (scope) {
    f.entity = scope.label;
    if (scope.cdkPath) f.cdkPath = scope.cdkPath;
    if (scope.k8sObject) f.k8sObject = scope.k8sObject;
    if (scope.helmSource) f.helmSource = scope.helmSource;
  }
  if (target !== undefined) f.path = targetPath(target, scope ? { start: scope.start, keyed: !scope.k8sObject } : undefined);
  return f;
}

// ------------------------------------------------------------------ the plugin worker

/** One plugin rule on one file, as the worker runs it. */
export interface WorkerTask {
  rule: string;
  /** The URL of the rule's module. */
  source: string;
  /** Index of the file among the parsed files. */
  file: number;
  severity: Severity;
  /** The options the config gives the rule for this file. */
  options?: Record<string, unknown>;
}

/** What the main thread sends the worker: the run's files (to parse again) and the tasks. */
export interface WorkerInput {
  files: Array<{ path: string; text: string; cdk?: CdkStack }>;
  tasks: WorkerTask[];
  reportOnly?: string[];
}

/** What the worker posts back. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'begin'; task: number }
  | { type: 'done'; task: number; findings: PlainFinding[] }
  | { type: 'failed'; message: string }
  | { type: 'end' };

/** The worker script: compiled beside this module in dist/ (src/ under the tests has no compiled copy). */
export function workerScript(): string {
  return packagePath('dist', 'engine', 'plugin-worker.js');
}

/**
 * Run plugin tasks in a worker thread. The worker posts `begin` before each task; a task that has
 * not finished `timeoutMs` later is stopped (`worker.terminate()`), becomes an internal error, and
 * a new worker takes the remaining tasks of the other rules. A worker that dies (a plugin that
 * exits the thread, runs out of memory) ends its current rule the same way.
 */
export async function runInWorker(parsed: ParsedFile[], tasks: WorkerTask[], timeoutMs: number, reportOnly: Set<string> | undefined): Promise<PlainFinding[]> {
  const files = parsed.map((pf) => {
    const cdk = pf.documents.find((d) => d.cdk)?.cdk;
    return { path: pf.file.path, text: pf.file.text, ...(cdk ? { cdk } : {}) };
  });
  const out: PlainFinding[] = [];
  const stopped = new Set<string>();
  let pending = tasks.map((_, i) => i);
  const fatal = (t: WorkerTask, what: string) => {
    stopped.add(t.rule);
    out.push({ ruleId: t.rule, severity: 'error', message: `Internal error in rule ${t.rule}: ${what}.`, file: t.file, start: 0, end: 0, fatal: true });
  };
  while (pending.length) {
    const batch = pending;
    const done = new Set<number>();
    const failure = await new Promise<{ task?: number; what: string } | undefined>((resolveRun) => {
      const input: WorkerInput = { files, tasks: batch.map((i) => tasks[i]!), ...(reportOnly ? { reportOnly: [...reportOnly] } : {}) };
      const worker = new Worker(workerScript(), { workerData: input, stdout: true, stderr: true });
      // What a plugin prints goes to stderr, never into a report written to stdout.
      worker.stdout.pipe(process.stderr, { end: false });
      worker.stderr.pipe(process.stderr, { end: false });
      let current: number | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (r: { task?: number; what: string } | undefined) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        resolveRun(r);
      };
      const seconds = `${timeoutMs / 1000} second${timeoutMs === 1000 ? '' : 's'}`;
      const arm = (what: string) => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => settle({ ...(current !== undefined ? { task: current } : {}), what }), timeoutMs);
      };
      const during = (what: string) => ({ ...(current !== undefined ? { task: current } : {}), what });
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') arm(`its module did not load within ${seconds} in the worker thread and was stopped (--rule-timeout)`);
        else if (m.type === 'begin') {
          current = batch[m.task];
          arm(`it did not finish within ${seconds} on this file and was stopped (--rule-timeout)`);
        } else if (m.type === 'done') {
          if (timer) clearTimeout(timer);
          done.add(batch[m.task]!);
          out.push(...m.findings);
          current = undefined;
        } else if (m.type === 'failed') settle({ what: m.message });
        else if (m.type === 'end') settle(undefined);
      });
      worker.on('error', (e) => settle(during(`the worker thread failed: ${errorText(e)}`)));
      worker.on('exit', (code) => settle(during(`the worker thread exited (code ${code})`)));
    });
    const left = batch.filter((i) => !done.has(i));
    if (!failure) break;
    if (failure.task !== undefined) fatal(tasks[failure.task]!, failure.what);
    else {
      // Not during a task (loading the plugin modules): every rule left is in error, once.
      for (const i of left) if (!stopped.has(tasks[i]!.rule)) fatal(tasks[i]!, failure.what);
    }
    pending = left.filter((i) => !stopped.has(tasks[i]!.rule));
  }
  return out;
}
