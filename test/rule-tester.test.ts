/**
 * stowage/testing's RuleTester: cases as tests of the framework in use (vitest here, through the
 * static overrides), what it checks and how a failure reads (run at once, without a framework).
 */
import { AssertionError } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defineRule, TaskDefinition, type Rule, type RuleContext } from '../src/index.js';
import { RuleTester, type InvalidTestCase, type RuleTests } from '../src/testing/index.js';
import { assertErrors } from '../src/testing/errors.js';

/** Services carry a cost-center tag (the example of docs/custom-rules.md). */
const costCenter = defineRule({
  id: 'acme/service-cost-center',
  severity: 'error',
  description: 'ECS services carry a cost-center tag.',
  docs: 'https://example.com/cost-center',
  check({ model, report }) {
    for (const service of model.services) {
      const tags = service.props.prop('Tags');
      const items = tags.list();
      if (tags.present && !items) continue;
      const keys = (items ?? []).map((t) => t.obj()?.prop('Key'));
      if (keys.some((k) => !k || !k.known)) continue;
      if (!keys.some((k) => k?.is('cost-center'))) report(tags.present ? tags : service, `Service "${service.label}" has no cost-center tag.`);
    }
  },
});

/** Across files: a service whose task definition (in any file of the run) has a container without a user. */
const serviceRunsAsRoot = defineRule({
  id: 'acme/service-runs-as-root',
  severity: 'warning',
  description: 'Services run task definitions whose containers name a user.',
  recommended: false,
  check({ model, report }) {
    for (const service of model.services) {
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition)) continue;
      for (const c of td.containers) if (c.props.prop('User').absent) report(service.taskDefinition, `Service "${service.label}" runs container "${c.name}" as root.`);
    }
  },
});

/** Every Kubernetes object and eksctl config, by its label: shows what the content is taken for. */
const labels = defineRule({
  id: 'acme/labels',
  severity: 'info',
  description: 'Names every entity.',
  check({ model, report }) {
    for (const w of model.workloads) report(w, `workload ${w.label}`);
    for (const c of model.eksctlConfigs) report(c, `eksctl ${c.label}`);
    for (const t of model.taskDefinitions) report(t, `task definition ${t.label}`);
  },
});

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const SERVICE = (tags: string) => `Resources:
  Api:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: api:7
${tags}`;

afterEach(() => {
  RuleTester.describe = undefined;
  RuleTester.it = undefined;
  RuleTester.itOnly = undefined;
});

describe('RuleTester under vitest (RuleTester.describe / RuleTester.it)', () => {
  RuleTester.describe = describe;
  RuleTester.it = it;
  const tester = new RuleTester();

  tester.run(costCenter, {
    valid: [
      { filename: 'tagged.yaml', code: SERVICE('      Tags:\n        - Key: cost-center\n          Value: payments\n') },
      { name: 'a computed tag key might be it', filename: 'computed.yaml', code: SERVICE('      Tags:\n        - Key: !Ref TagKey\n          Value: payments\n') },
      { filename: 'task.json', code: '{ "family": "api", "containerDefinitions": [{ "name": "web", "image": "web:1" }] }' },
    ],
    invalid: [
      {
        filename: 'untagged.yaml',
        code: SERVICE('      Tags:\n        - Key: team\n          Value: payments\n'),
        errors: [{ message: 'Service "Api" has no cost-center tag.', line: 6, column: 7, endLine: 6, endColumn: 11 }],
      },
      { filename: 'no-tags.yaml', code: SERVICE(''), errors: [{ message: /no cost-center tag/, line: 2, column: 3, endLine: 2, endColumn: 6 }] },
      {
        filename: 'stack.json',
        code: '{\n  "Resources": {\n    "Api": { "Type": "AWS::ECS::Service", "Properties": { "Tags": [] } }\n  }\n}\n',
        errors: [{ line: 3, column: 59, endLine: 3, endColumn: 65 }],
      },
      { filename: 'two.yml', code: 'Resources:\n  A:\n    Type: AWS::ECS::Service\n  B:\n    Type: AWS::ECS::Service\n', errors: ['Service "A" has no cost-center tag.', 'Service "B" has no cost-center tag.'] },
      { filename: 'count.yaml', code: SERVICE(''), errors: 1 },
    ],
  });

  tester.run(serviceRunsAsRoot, {
    valid: [
      // The task definition is not in the run: nothing is known.
      { filename: 'service.yaml', code: SERVICE('') },
      {
        filename: 'service.yaml',
        code: SERVICE(''),
        files: [{ filename: 'task.json', code: '{ "family": "api", "containerDefinitions": [{ "name": "web", "image": "web:1", "user": "1000" }] }' }],
      },
    ],
    invalid: [
      {
        name: 'the task definition in another file of the run',
        filename: 'service.yaml',
        code: SERVICE(''),
        files: [{ filename: 'defs/task.json', code: '{ "family": "api", "containerDefinitions": [{ "name": "web", "image": "web:1" }] }' }],
        errors: [{ message: 'Service "Api" runs container "web" as root.', line: 5, column: 23, endLine: 5, endColumn: 28 }],
      },
    ],
  });

  tester.run(labels, {
    invalid: [
      { filename: 'deploy.yaml', code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers: []\n', errors: [{ message: 'workload web', line: 4, column: 9 }] },
      { filename: 'cluster.yaml', code: 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: prod\n  region: eu-west-1\n', errors: [{ message: 'eksctl prod', line: 4, column: 9 }] },
      { filename: 'td.json', code: '{\n  "family": "api",\n  "containerDefinitions": []\n}\n', errors: [{ message: 'task definition api', line: 2, column: 3 }] },
    ],
  });
});

/** Run tests without a framework (no global describe/it here): the first failure throws. */
function runNow(rule: Rule, tests: RuleTests): unknown {
  expect((globalThis as { describe?: unknown }).describe).toBeUndefined();
  try {
    new RuleTester().run(rule, tests);
  } catch (e) {
    return e;
  }
  return undefined;
}

const UNTAGGED = SERVICE('      Tags:\n        - Key: team\n          Value: payments\n');
const invalid = (errors: InvalidTestCase['errors']): RuleTests => ({ invalid: [{ name: 'case', filename: 'untagged.yaml', code: UNTAGGED, errors }] });

describe('RuleTester without a test framework', () => {
  it('runs the cases at once and returns when they pass', () => {
    expect(runNow(costCenter, invalid([{ message: 'Service "Api" has no cost-center tag.', line: 6 }]))).toBeUndefined();
  });

  it('a valid case with a finding fails, listing it', () => {
    const e = runNow(costCenter, { valid: [{ name: 'clean', filename: 'untagged.yaml', code: UNTAGGED }] });
    expect(e).toBeInstanceOf(AssertionError);
    expect((e as Error).message).toBe('clean: Should have no errors but had 1:\n  6:7 Service "Api" has no cost-center tag.');
  });

  it('a wrong number of errors fails, listing the findings', () => {
    const e = runNow(costCenter, invalid(2)) as AssertionError;
    expect(e).toBeInstanceOf(AssertionError);
    expect(e.message).toBe('case: Should have 2 errors but had 1:\n  6:7 Service "Api" has no cost-center tag.');
  });

  it('a different message, position or count fails with a diff of the errors', () => {
    const wrong = runNow(costCenter, invalid([{ message: 'Service "Api" lacks a tag.', line: 6, column: 8 }])) as AssertionError;
    expect(wrong).toBeInstanceOf(AssertionError);
    expect(wrong.message.split('\n')[0]).toBe('case: The errors differ:');
    expect(wrong.message).toContain("+     message: 'Service \"Api\" has no cost-center tag.'\n-     message: 'Service \"Api\" lacks a tag.'");
    expect(wrong.actual).toEqual([{ message: 'Service "Api" has no cost-center tag.', line: 6, column: 7 }]);
    expect(wrong.expected).toEqual([{ message: 'Service "Api" lacks a tag.', line: 6, column: 8 }]);

    const pattern = runNow(costCenter, invalid([{ message: /lacks/ }])) as AssertionError;
    expect(pattern.actual).toEqual([{ message: 'Service "Api" has no cost-center tag.' }]);
    expect(pattern.expected).toEqual([{ message: /lacks/ }]);

    const more = runNow(costCenter, invalid([{ line: 6 }, { line: 9 }])) as AssertionError;
    expect(more.message.split('\n')[0]).toBe('case: Should have 2 errors but had 1:');
    expect(more.actual).toEqual([{ line: 6 }]);
    expect(more.expected).toEqual([{ line: 6 }, { line: 9 }]);
  });

  it('messageId and data are compared when the finding carries them, and ignored when it does not', () => {
    const finding = { message: 'm', line: 1, column: 1, endLine: 1, endColumn: 2 };
    expect(() => assertErrors([finding], [{ messageId: 'noTag', data: { name: 'Api' }, line: 1 }])).not.toThrow();
    expect(() => assertErrors([{ ...finding, messageId: 'noTag', data: { name: 'Api' } }], [{ messageId: 'noTag', data: { name: 'Api' } }])).not.toThrow();
    expect(() => assertErrors([{ ...finding, messageId: 'other' }], [{ messageId: 'noTag' }])).toThrow(AssertionError);
    expect(() => assertErrors([{ ...finding, data: { name: 'Web' } }], [{ data: { name: 'Api' } }])).toThrow(AssertionError);
    // The engine's findings carry neither today.
    expect(runNow(costCenter, invalid([{ messageId: 'noTag', line: 6 }]))).toBeUndefined();
  });

  it("a rule's exception reaches the test as it was thrown", () => {
    const boom = new RangeError('boom');
    const throws = defineRule({ id: 'acme/throws', severity: 'error', description: 'Throws.', check: () => { throw boom; } });
    expect(runNow(throws, { valid: [{ name: 'any', filename: 'a.yaml', code: SERVICE('') }] })).toBe(boom);
    expect(boom.message).toBe('any: boom');
  });

  it("a case's options reach the rule as context.options; recommended: false rules run", () => {
    const seen: unknown[] = [];
    const withOptions = defineRule({
      id: 'acme/options',
      severity: 'info',
      description: 'Reads options.',
      recommended: false,
      meta: { messages: { seen: 'Seen.' }, schema: { type: 'object', additionalProperties: false, properties: { max: { type: 'number' }, min: { type: 'number' } } } },
      defaultOptions: { min: 1 },
      check(context) {
        seen.push(context.options);
        context.report(context.model.services[0]!, 'seen');
      },
    });
    expect(runNow(withOptions, { invalid: [{ filename: 'a.yaml', code: SERVICE(''), options: { max: 3 }, errors: 1 }, { filename: 'b.yaml', code: SERVICE(''), errors: 1 }] })).toBeUndefined();
    expect(seen).toEqual([{ min: 1, max: 3 }, { min: 1 }]);
    const bad = runNow(withOptions, { valid: [{ name: 'x', filename: 'a.yaml', code: SERVICE(''), options: { mx: 3 } }] });
    expect((bad as Error).message).toBe('x: RuleTester: options of acme/options: unknown key "mx" (did you mean "max"?)');
  });

  it('a file that stowage does not recognise, or that does not parse, is a mistake in the test', () => {
    const notOurs = runNow(costCenter, { valid: [{ name: 'n', filename: 'values.yaml', code: 'replicas: 3\n' }] });
    expect(notOurs).toBeInstanceOf(TypeError);
    expect((notOurs as Error).message).toBe('n: RuleTester: values.yaml: not a CloudFormation template, ECS task definition, Kubernetes manifest or eksctl config; skipped');
    const broken = runNow(costCenter, { valid: [{ name: 'b', filename: 'stack.yaml', code: SERVICE(''), files: [{ filename: 'other.json', code: '{ "Resources": { ' }] }] });
    expect((broken as Error).message).toBe('b: RuleTester: other.json:1:18: closing brace expected');
  });

  it('refuses malformed rules and cases before running anything', () => {
    const cases: Array<[Rule, unknown, string]> = [
      [{ ...costCenter, id: 'Acme' }, { valid: [] }, 'RuleTester: invalid rule: rule id "Acme" must look like <domain>/<name>'],
      [{ ...costCenter, severity: 'fatal' as never }, { valid: [] }, 'RuleTester: invalid rule: rule "acme/service-cost-center" has severity "fatal" (expected "error", "warning" or "info")'],
      [costCenter, { valid: [] }, 'RuleTester: the tests of acme/service-cost-center have no cases'],
      [costCenter, { vaild: [] }, 'RuleTester: unknown property "vaild" in the tests of acme/service-cost-center (expected valid and invalid)'],
      [costCenter, { valid: [{ code: 'a: 1' }] }, 'RuleTester: acme/service-cost-center valid[0] needs "filename": its extension chooses the parser (.yaml, .yml, .json, .template)'],
      [costCenter, { valid: [{ code: 'a: 1', filename: 'a.txt' }] }, 'RuleTester: acme/service-cost-center valid[0] has filename "a.txt", which does not end in .yaml, .yml, .json, .template'],
      [costCenter, { valid: [{ filename: 'a.yaml' }] }, 'RuleTester: acme/service-cost-center valid[0] needs "code", the text of the file under test'],
      [costCenter, { valid: [{ code: '', filename: 'a.yaml', errors: 1 }] }, 'RuleTester: acme/service-cost-center valid[0] has "errors": a case with errors belongs in "invalid"'],
      [costCenter, { valid: [{ code: '', filename: 'a.yaml', file: 'b.yaml' }] }, 'RuleTester: acme/service-cost-center valid[0] has an unknown property "file" (expected name, code, filename, files, options, only)'],
      [costCenter, { valid: [{ code: '', filename: 'a.yaml', files: [{ filename: './a.yaml', code: '' }] }] }, 'RuleTester: acme/service-cost-center valid[0] files[0].filename "./a.yaml" names a file of the case twice'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml' }] }, 'RuleTester: acme/service-cost-center invalid[0] needs "errors": a list of the expected errors (or their number)'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml', errors: 'x' }] }, 'RuleTester: acme/service-cost-center invalid[0] "errors" must be a list of expected errors (or their number), not "x"'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml', errors: [] }] }, 'RuleTester: acme/service-cost-center invalid[0] "errors" must not be empty: a case without errors belongs in "valid"'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml', errors: 0 }] }, 'RuleTester: acme/service-cost-center invalid[0] "errors" must be a positive whole number or a list, not 0'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml', errors: [{ mesage: 'x' }] }] }, 'RuleTester: acme/service-cost-center invalid[0] errors[0] has an unknown property "mesage" (expected message, messageId, data, line, column, endLine, endColumn)'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml', errors: [{}] }] }, 'RuleTester: acme/service-cost-center invalid[0] errors[0] asserts nothing: give it a message, a position or a messageId'],
      [costCenter, { invalid: [{ code: '', filename: 'a.yaml', errors: [{ line: 0 }] }] }, 'RuleTester: acme/service-cost-center invalid[0] errors[0].line must be a positive whole number'],
    ];
    for (const [rule, tests, message] of cases) {
      const e = runNow(rule, tests as RuleTests);
      expect(e, message).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(message);
    }
  });

  it('uses the global describe and it when they exist, and it.only / itOnly for only: true', () => {
    const calls: string[] = [];
    const g = globalThis as Record<string, unknown>;
    const it = Object.assign((t: string, fn: () => void) => (calls.push(`it ${t}`), fn()), { only: (t: string, fn: () => void) => (calls.push(`only ${t}`), fn()) });
    g.describe = (t: string, fn: () => void) => (calls.push(`describe ${t}`), fn());
    g.it = it;
    try {
      new RuleTester().run(costCenter, {
        valid: [{ name: 'v', filename: 'a.yaml', code: SERVICE('') + '      Tags: [{ Key: cost-center, Value: x }]\n' }],
        invalid: [{ name: 'i', filename: 'b.yaml', code: SERVICE(''), errors: 1, only: true }],
      });
      RuleTester.itOnly = (t, fn) => (calls.push(`itOnly ${t}`), fn());
      new RuleTester().run(costCenter, { invalid: [{ name: 'j', filename: 'b.yaml', code: SERVICE(''), errors: 1, only: true }] });
    } finally {
      delete g.describe;
      delete g.it;
    }
    expect(calls).toEqual([
      'describe acme/service-cost-center',
      'describe valid',
      'it v',
      'describe invalid',
      'only i',
      'describe acme/service-cost-center',
      'describe invalid',
      'itOnly j',
    ]);
  });
});

describe('docs/custom-rules.md', () => {
  const built = existsSync(join(ROOT, 'dist', 'testing', 'index.js'));
  it.skipIf(!built)('its RuleTester example passes under node --test, against the package by name', () => {
    const md = readFileSync(join(ROOT, 'docs', 'custom-rules.md'), 'utf8');
    const blocks = [...md.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const plugin = blocks.find((b) => b.startsWith('// stowage-rules/cost-center.mjs'));
    const tests = blocks.find((b) => b.startsWith('// stowage-rules/cost-center.test.mjs'));
    expect(plugin).toBeDefined();
    expect(tests).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'stowage-rule-tester-'));
    try {
      mkdirSync(join(dir, 'stowage-rules'));
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(ROOT, join(dir, 'node_modules', 'stowage'), 'dir');
      writeFileSync(join(dir, 'stowage-rules', 'cost-center.mjs'), plugin!);
      writeFileSync(join(dir, 'stowage-rules', 'cost-center.test.mjs'), tests!);
      const ok = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'stowage-rules/'], { cwd: dir, encoding: 'utf8' });
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toContain('# pass 5\n');
      expect(ok.stdout).toContain('# fail 0\n');
      // The same tests fail when the rule reports elsewhere.
      writeFileSync(join(dir, 'stowage-rules', 'cost-center.mjs'), plugin!.replace('report(tags.present ? tags : service,', 'report(service,'));
      const bad = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'stowage-rules/'], { cwd: dir, encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain('# fail 1\n');
      expect(bad.stdout).toContain('The errors differ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
