/**
 * `stowage/testing`: a rule tester for plugin authors, in the spirit of ESLint's.
 *
 *     new RuleTester().run(rule, { valid: [{ code, filename }], invalid: [{ code, filename, errors: [...] }] });
 *
 * Each case is linted like a run of the CLI (same parsers, same format detection, same model,
 * same positions) with only the rule under test, at its default severity. Cases become tests of
 * the framework in use: `RuleTester.describe` / `RuleTester.it` when set, else the global
 * `describe` / `it` (vitest with globals, mocha, jest), else they run at once and the first
 * failing case throws.
 */
import { AssertionError } from 'node:assert';
import { resolve } from 'node:path';
import { defineRule, type Rule, type RuleContext } from '../engine/rule.js';
import { lint, type LintInput } from '../engine/lint.js';
import { defaultConfig, ruleProblem, type ResolvedConfig } from '../engine/config.js';
import { validateRuleOptions } from '../engine/config-schema.js';
import { didYouMean } from '../engine/did-you-mean.js';
import { assertErrors, errorsProblem, listErrors, type ActualError, type TestCaseError } from './errors.js';

export type { TestCaseError } from './errors.js';

/** Another file of the same run (for rules that look across files). Its findings are not checked. */
export interface RuleTesterFile {
  filename: string;
  code: string;
}

export interface ValidTestCase {
  /** The test's title (default: the file name and the start of the code). */
  name?: string;
  /** The text of the file under test. */
  code: string;
  /**
   * Its name: `.json` is read as JSON, `.yaml`, `.yml` and `.template` as YAML (a JSON text too);
   * what it is (CloudFormation, ECS task definition, Kubernetes, eksctl) is told from the content.
   */
  filename: string;
  /** Other files in the same run. */
  files?: RuleTesterFile[];
  /** The rule's options (checked against its `meta.schema`, merged over its `defaultOptions`), as a config's `[severity, options]` gives them. */
  options?: unknown;
  /** Run only this case (`RuleTester.itOnly`, else the framework's `it.only`). */
  only?: boolean;
}

export interface InvalidTestCase extends ValidTestCase {
  /** The findings expected in `filename`, in order of position (a string is a message), or their number. */
  errors: number | Array<TestCaseError | string>;
}

export interface RuleTests {
  valid?: ValidTestCase[];
  invalid?: InvalidTestCase[];
}

type TestFn = (text: string, fn: () => void) => unknown;

const EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

export class RuleTester {
  /** The suite function to use (default: the global `describe`, else one that runs its body at once). */
  static describe: TestFn | undefined;
  /** The test function to use (default: the global `it`, else one that runs the case at once). */
  static it: TestFn | undefined;
  /** The function for `only: true` cases (default: `it.only` of the test function in use). */
  static itOnly: TestFn | undefined;

  /** Declare (or run) the cases of one rule. Throws a TypeError at once for a malformed rule or case. */
  run(rule: Rule, tests: RuleTests): void {
    checkRule(rule);
    if (!tests || typeof tests !== 'object') throw new TypeError('RuleTester: run(rule, tests) needs tests as { valid: [...], invalid: [...] }');
    for (const key of Object.keys(tests))
      if (key !== 'valid' && key !== 'invalid') throw new TypeError(`RuleTester: unknown property "${key}" in the tests of ${rule.id} (expected valid and invalid)`);
    const valid = listOf(tests.valid, 'valid', rule);
    const invalid = listOf(tests.invalid, 'invalid', rule);
    if (!valid.length && !invalid.length) throw new TypeError(`RuleTester: the tests of ${rule.id} have no cases`);
    valid.forEach((c, i) => checkCase(c, `valid[${i}]`, rule, false));
    invalid.forEach((c, i) => checkCase(c, `invalid[${i}]`, rule, true));

    const describe = suiteFunction();
    const it = testFunction();
    const itOnly = RuleTester.itOnly ?? (it as TestFn & { only?: TestFn }).only;
    const declare = (c: ValidTestCase, body: () => void) => (c.only && itOnly ? itOnly : it)(title(c), body);
    describe(rule.id, () => {
      if (valid.length) describe('valid', () => valid.forEach((c) => declare(c, () => runValid(rule, c))));
      if (invalid.length) describe('invalid', () => invalid.forEach((c) => declare(c, () => runInvalid(rule, c))));
    });
  }
}

function globalFn(name: string): TestFn | undefined {
  const f = (globalThis as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as TestFn) : undefined;
}

function suiteFunction(): TestFn {
  return RuleTester.describe ?? globalFn('describe') ?? ((_text, fn) => fn());
}

function testFunction(): TestFn {
  return (
    RuleTester.it ??
    globalFn('it') ??
    ((text, fn) => {
      try {
        fn();
      } catch (e) {
        if (e instanceof Error) e.message = `${text}: ${e.message}`;
        throw e;
      }
    })
  );
}

function checkRule(rule: Rule): void {
  if (!rule || typeof rule !== 'object') throw new TypeError('RuleTester: run(rule, tests) needs a rule (an object with id, severity, description and check)');
  const problem = ruleProblem(rule);
  if (problem) throw new TypeError(`RuleTester: invalid rule: ${problem}`);
  try {
    defineRule(rule);
  } catch (e) {
    throw new TypeError(`RuleTester: invalid rule: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function listOf<T>(list: T[] | undefined, key: string, rule: Rule): T[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new TypeError(`RuleTester: "${key}" in the tests of ${rule.id} must be a list of cases`);
  return list;
}

function checkCase(c: ValidTestCase, where: string, rule: Rule, invalid: boolean): void {
  const fail = (detail: string) => new TypeError(`RuleTester: ${rule.id} ${where} ${detail}`);
  if (!c || typeof c !== 'object') throw fail('must be an object with code and filename');
  const allowed = ['name', 'code', 'filename', 'files', 'options', 'only', ...(invalid ? ['errors'] : [])];
  for (const k of Object.keys(c))
    if (!allowed.includes(k)) throw fail(k === 'errors' ? 'has "errors": a case with errors belongs in "invalid"' : `has an unknown property "${k}" (expected ${allowed.join(', ')})`);
  if (typeof c.code !== 'string') throw fail('needs "code", the text of the file under test');
  checkFilename(c.filename, fail, 'filename');
  if (c.files !== undefined) {
    if (!Array.isArray(c.files)) throw fail('has "files" that is not a list of { filename, code }');
    const names = new Set([resolve(c.filename)]);
    for (const [i, f] of c.files.entries()) {
      if (!f || typeof f !== 'object' || typeof f.code !== 'string') throw fail(`files[${i}] needs "code", the text of the file`);
      checkFilename(f.filename, fail, `files[${i}].filename`);
      if (names.has(resolve(f.filename))) throw fail(`files[${i}].filename "${f.filename}" names a file of the case twice`);
      names.add(resolve(f.filename));
    }
  }
  if (invalid) {
    const problem = errorsProblem((c as InvalidTestCase).errors);
    if (problem) throw fail(problem);
  }
}

function checkFilename(name: unknown, fail: (detail: string) => TypeError, key: string): void {
  if (typeof name !== 'string' || name === '') throw fail(`needs "${key}": its extension chooses the parser (${EXTENSIONS.join(', ')})`);
  const lower = name.toLowerCase();
  if (!EXTENSIONS.some((e) => lower.endsWith(e))) throw fail(`has ${key} "${name}", which does not end in ${EXTENSIONS.join(', ')}`);
}

function title(c: ValidTestCase): string {
  if (c.name) return c.name;
  const text = c.code.trim().replace(/\s+/g, ' ');
  return `${c.filename}: ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;
}

function runValid(rule: Rule, c: ValidTestCase): void {
  const found = runCase(rule, c);
  if (found.length) throw new AssertionError({ message: `Should have no errors but had ${found.length}:\n${listErrors(found)}`, actual: found.length, expected: 0 });
}

function runInvalid(rule: Rule, c: InvalidTestCase): void {
  assertErrors(runCase(rule, c), c.errors);
}

/** A case's options, checked against the rule's `meta.schema` as the config loader checks them. */
function caseOptions(rule: Rule, c: ValidTestCase): Record<string, unknown> | undefined {
  if (c.options === undefined) return undefined;
  if (typeof c.options !== 'object' || c.options === null || Array.isArray(c.options)) throw new TypeError('RuleTester: a case\'s options must be an object (the rule\'s options)');
  const schema = rule.meta?.schema;
  if (!schema) throw new TypeError(`RuleTester: rule ${rule.id} takes no options (it has no meta.schema)`);
  const problems = validateRuleOptions(schema, c.options, didYouMean);
  if (problems.length) throw new TypeError(`RuleTester: options of ${rule.id}: ${problems[0]!.message}`);
  return c.options as Record<string, unknown>;
}

/** Lint the case's files with the rule alone; the findings in `filename`, in order. */
function runCase(rule: Rule, c: ValidTestCase): ActualError[] {
  const main = resolve(c.filename);
  const inputs: LintInput[] = [{ path: main, text: c.code, explicit: true }];
  for (const f of c.files ?? []) inputs.push({ path: resolve(f.filename), text: f.code, explicit: true });
  let thrown: { error: unknown } | undefined;
  const options = caseOptions(rule, c);
  const tested: Rule = {
    ...rule,
    check(context: RuleContext) {
      try {
        rule.check(context);
      } catch (e) {
        thrown ??= { error: e };
        throw e;
      }
    },
  };
  const config: ResolvedConfig = {
    ...defaultConfig(process.cwd()),
    preset: 'all',
    rules: { [rule.id]: rule.severity },
    ...(options ? { ruleOptions: { [rule.id]: { options } } } : {}),
  };
  const out = lint(inputs, { rules: [tested], config, reportOnly: new Set([main]) });
  // The rule's own exception, with its stack, rather than the engine's internal-error finding.
  if (thrown) throw thrown.error;
  if (out.notices.length) {
    // Notices start with the file's path: show the name the case gave.
    const named = [c, ...(c.files ?? [])].map((f) => [resolve(f.filename), f.filename] as const);
    const shown = out.notices.map((n) => named.reduce((text, [abs, name]) => (text.startsWith(`${abs}:`) ? name + text.slice(abs.length) : text), n));
    throw new TypeError(`RuleTester: ${shown.join('; ')}`);
  }
  // A case's files must read cleanly: a syntax error is a mistake in the test, not a finding.
  for (const pf of out.model.files) {
    const p = pf.problems[0];
    if (!p) continue;
    const at = pf.file.position(p.start);
    const shown = [c, ...(c.files ?? [])].find((f) => resolve(f.filename) === pf.file.path)?.filename ?? pf.file.path;
    throw new TypeError(`RuleTester: ${shown}:${at.line}:${at.column}: ${p.message}`);
  }
  const findings = out.results.find((r) => r.path === main)?.findings ?? [];
  return findings
    .filter((f) => f.ruleId === rule.id)
    .map((f) => {
      const extra = f as { messageId?: string; data?: Record<string, unknown> };
      return {
        message: f.message,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        ...(extra.messageId !== undefined ? { messageId: extra.messageId } : {}),
        ...(extra.data !== undefined ? { data: extra.data } : {}),
      };
    });
}
