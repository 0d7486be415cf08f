import type { FileView } from '../model/model.js';
import type { Entity } from '../model/entities.js';
import type { Node, SourceFile } from '../parsers/tree.js';
import type { Prop } from '../model/value.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** Where a finding points: a node, a property (its value, or its owner when absent) or an entity. */
export type Target = Node | Prop | Entity;

export interface ReportOptions {
  /** Point at the property's key instead of its value. */
  atKey?: boolean;
}

export interface RuleContext {
  /** The entities of the file being checked; questions and `model.all` reach the whole run. */
  model: FileView;
  file: SourceFile;
  report(target: Target, message: string, options?: ReportOptions): void;
}

export interface Rule {
  /** `<domain>/<name>`. */
  id: string;
  severity: Severity;
  description: string;
  /** Docs page: a path relative to the package root, or a URL (plugins). */
  docs: string;
  /** Part of the `recommended` preset (default true). */
  recommended?: boolean;
  check(context: RuleContext): void;
  /**
   * The URL of the module a plugin rule was loaded from (set by the config loader). Rules with a
   * source run in a worker thread under the CLI, where a rule that does not finish can be stopped
   * (`--rule-timeout`); built-in rules have none and run in-process.
   */
  source?: string;
}

export type RuleDefinition = Omit<Rule, 'docs'> & { docs?: string };

/** Define a rule; the docs page defaults to `docs/rules/<id>.md`. */
export function defineRule(def: RuleDefinition): Rule {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(def.id)) throw new Error(`rule id "${def.id}" must look like <domain>/<name>`);
  return { ...def, docs: def.docs ?? `docs/rules/${def.id}.md` };
}
