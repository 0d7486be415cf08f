/**
 * The rule contract: what a rule is (`Rule`, `defineRule`), what it receives (`RuleContext`), and what
 * the run makes of its reports (`Finding`, `FileResult`). Rules, the engine and the formatters import
 * these from here.
 */
import type { FileView } from '../model/model.js';
import type { Entity } from '../model/entities.js';
import type { Node, SourceFile } from '../parsers/tree.js';
import type { Prop } from '../model/value.js';
import type { Format } from '../parsers/index.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** Where a finding points: a node, a property (its value, or its owner when absent) or an entity. */
export type Target = Node | Prop | Entity;

export interface ReportOptions {
  /** Point at the property's key instead of its value. */
  atKey?: boolean;
}

/**
 * A key named in a message, written as CloudFormation spells it (`ReadonlyRootFilesystem`,
 * `RuntimePlatform.OperatingSystemFamily`) or, for Kubernetes and eksctl, as those files spell it.
 * It is shown in the spelling of the file the finding is shown in: `readonlyRootFilesystem` in
 * task-definition JSON and on CDK TypeScript lines.
 */
export interface KeyName {
  readonly key: string;
}

/** A key for a message's data: `report(p, 'writable', { key: key('ReadonlyRootFilesystem') })`. */
export function key(path: string): KeyName {
  return { key: path };
}

export function isKeyName(v: unknown): v is KeyName {
  return typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string' && Object.keys(v).length === 1;
}

/** Values a message template's `{{name}}` placeholders are filled with. */
export type MessageData = Record<string, string | number | boolean | KeyName>;

/** How keys are spelled where a finding is shown. */
export type KeySpelling = 'as-written' | 'camel';

export function spellingOf(format: Format | 'cdk-source' | undefined): KeySpelling {
  return format === 'ecs-task-definition' || format === 'cdk-source' ? 'camel' : 'as-written';
}

/** `EFSVolumeConfiguration` → `efsVolumeConfiguration`, `IPCMode` → `ipcMode`, `Cpu` → `cpu`. */
export function camelKey(segment: string): string {
  let run = 0;
  while (run < segment.length && segment[run]! >= 'A' && segment[run]! <= 'Z') run++;
  if (run === 0) return segment;
  if (run === 1 || run === segment.length) return segment.slice(0, run).toLowerCase() + segment.slice(run);
  const next = segment[run]!;
  // `EFSVolume`: the last capital starts the next word; `IDs`, `ARNs`: a plural of the acronym.
  if (next >= 'a' && next <= 'z' && !(next === 's' && run + 1 === segment.length)) return segment.slice(0, run - 1).toLowerCase() + segment.slice(run - 1);
  return segment.slice(0, run).toLowerCase() + segment.slice(run);
}

/** A key path in a spelling: each `.`-separated segment (`[0]`, `[name=web]` suffixes kept). */
export function spellKey(path: string, spelling: KeySpelling): string {
  if (spelling === 'as-written') return path;
  return path
    .split('.')
    .map((s) => camelKey(s))
    .join('.');
}

/**
 * Fill a message template's `{{name}}` placeholders. A placeholder without data stays as written
 * (the engine reports that as the rule's error before it gets here).
 */
export function renderMessage(template: string, data: Readonly<Record<string, unknown>> | undefined, spelling: KeySpelling): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open < 0) break;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) break;
    const name = template.slice(open + 2, close).trim();
    out += template.slice(i, open);
    const v = data?.[name];
    if (v === undefined) out += template.slice(open, close + 2);
    else out += isKeyName(v) ? spellKey(v.key, spelling) : String(v);
    i = close + 2;
  }
  return out + template.slice(i);
}

/** The placeholder names of a template, in order. */
export function placeholders(template: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open < 0) return out;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) return out;
    out.push(template.slice(open + 2, close).trim());
    i = close + 2;
  }
}

export interface RuleMeta<M extends string = string> {
  /**
   * Message ids and their templates: one sentence of at most 200 characters, what is wrong and what
   * to do, naming the entity and the evidence; `{{name}}` placeholders are filled from the report's data.
   */
  messages: Record<M, string>;
  /** JSON Schema of the rule's options object (validated with ajv when the config loads). */
  schema?: Record<string, unknown>;
}

export interface RuleContext<O = Record<string, unknown>, M extends string = string> {
  /** The entities of the file being checked; questions and `model.all` reach the whole run. */
  model: FileView;
  file: SourceFile;
  /** The rule's options for this file: `defaultOptions` with the config's options over them. */
  options: Readonly<O>;
  /** Report a finding: where, which message, and the data its placeholders take. */
  report(target: Target, messageId: M, data?: MessageData, options?: ReportOptions): void;
}

export interface Rule<O = Record<string, unknown>, M extends string = string> {
  /** `<domain>/<name>`. */
  id: string;
  severity: Severity;
  description: string;
  /** Docs page: a path relative to the package root, or a URL (plugins). */
  docs: string;
  /** Part of the `recommended` preset (default true). */
  recommended?: boolean;
  /** Message ids and the options schema. (Transitional: a rule without `meta` reports plain text.) */
  meta?: RuleMeta<M>;
  /** Options a rule has when the config gives none (merged key by key with the config's). */
  defaultOptions?: O;
  check(context: RuleContext<O, M>): void;
  /**
   * The URL of the module a plugin rule was loaded from (set by the config loader). Rules with a
   * source run in a worker thread under the CLI, where a rule that does not finish can be stopped
   * (`--rule-timeout`); built-in rules have none and run in-process.
   */
  source?: string;
}

/** A rule of any options and messages, as the engine holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any, string>;

export type RuleDefinition<O, M extends string> = Omit<Rule<O, M>, 'docs'> & { docs?: string };

const ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** Define a rule; the docs page defaults to `docs/rules/<id>.md`. */
export function defineRule<O extends Record<string, unknown> = Record<string, never>, M extends string = string>(def: RuleDefinition<O, M>): Rule<O, M> {
  const problem = ruleProblem(def);
  if (problem) throw new Error(problem);
  return { ...def, docs: def.docs ?? `docs/rules/${def.id}.md` };
}

/** What is wrong with a rule's definition (built-in or plugin), or undefined. */
export function ruleProblem(def: { id?: unknown; meta?: unknown; defaultOptions?: unknown }): string | undefined {
  if (typeof def.id !== 'string' || !ID.test(def.id)) return `rule id ${JSON.stringify(def.id) ?? String(def.id)} must look like <domain>/<name>`;
  const meta = def.meta as { messages?: unknown; schema?: unknown } | undefined;
  if (meta === undefined) return undefined; // transitional: a rule that reports plain text
  if (typeof meta !== 'object' || meta === null) return `rule ${def.id} has a meta that is not an object (expected meta.messages)`;
  const messages = meta.messages;
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) return `rule ${def.id} has no meta.messages (message ids and their templates)`;
  for (const [id, text] of Object.entries(messages))
    if (typeof text !== 'string' || text.trim() === '') return `rule ${def.id}: message "${id}" must be a non-empty string`;
  if (meta.schema !== undefined && (typeof meta.schema !== 'object' || meta.schema === null || Array.isArray(meta.schema)))
    return `rule ${def.id}: meta.schema must be a JSON Schema object for the options`;
  if (def.defaultOptions !== undefined && (typeof def.defaultOptions !== 'object' || def.defaultOptions === null || Array.isArray(def.defaultOptions)))
    return `rule ${def.id}: defaultOptions must be an object`;
  return undefined;
}

/** A rule's options for a file: its defaults with the configured options over them, key by key. */
export function optionsFor(rule: AnyRule, configured: Record<string, unknown> | undefined): Record<string, unknown> {
  const defaults = (rule.defaultOptions ?? {}) as Record<string, unknown>;
  return configured ? { ...defaults, ...configured } : defaults;
}

// ------------------------------------------------------------------ what the run makes of reports

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The rule's message id (`meta.messages`); absent for findings of the engine itself. */
  messageId?: string;
  /** The data the message was filled with, as shown. */
  data?: Record<string, string>;
  file: SourceFile;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** CloudFormation logical id, Kubernetes `Kind/namespace/name`, task-definition family (`family/container` for a container). */
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
  /** The template and raw data, to show the message again in another file's spelling (CDK source). */
  render?: { template: string; data: Record<string, string | KeyName> };
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
