export { defineRule } from './engine/rule.js';
export type { Rule, RuleContext, Severity, SeveritySetting, Target, ReportOptions } from './engine/rule.js';
export { lint, type LintInput, type LintOptions, type LintOutput, type Finding, type FileResult } from './engine/lint.js';
export { loadConfig, type ResolvedConfig } from './engine/config.js';
export { discover } from './engine/discover.js';
export { builtinRules } from './rules/index.js';
export * from './model/entities.js';
export { Model, FileView } from './model/model.js';
export { Prop, Obj, type Resolved } from './model/value.js';
