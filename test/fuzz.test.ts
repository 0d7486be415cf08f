import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint, type LintInput, type LintOptions, type LintOutput } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import { formatJson } from '../src/formatters/json.js';
import { SourceFile } from '../src/parsers/tree.js';
import { caseRng, checkOutput, fuzz, makeCase, MUTATORS, runCase, type FuzzApi } from '../scripts/fuzz.mjs';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

/**
 * The fuzzing harness (scripts/fuzz.mjs; `npm run fuzz`, a seeded 60-second slice in CI) run
 * here on the fixtures only, for a fixed number of cases, against the sources; and checked to
 * catch what it is meant to catch.
 */

const api: FuzzApi = { lint, rules: builtinRules, config: defaultConfig(ROOT), formatJson };
const tmp = mkdtempSync(join(tmpdir(), 'stowage-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the fuzzing harness', () => {
  it('300 seeded mutations of the fixtures: every property holds', { timeout: 180_000 }, async () => {
    const r = await fuzz({ seed: 7, cases: 300, api, fixtures: FIXTURES, failures: join(tmp, 'suite') });
    expect(r.ran).toBe(300);
    expect(r.failed.map((f) => `case ${f.n}: ${f.problems.map((p) => `${p.property}: ${p.detail}`).join('; ')}`)).toEqual([]);
    // Every mutator was drawn (the draw is seeded: this cannot change from run to run).
    expect(Object.keys(r.mutations).sort()).toEqual(Object.keys(MUTATORS).sort());
  });

  it('a case is the same input for the same seed and case number, whatever ran before', () => {
    const files = [join(FIXTURES, 'rules', 'ecs', 'image-tag', 'report-cfn.yaml'), join(FIXTURES, 'parsers', 'cdk', 'app', 'cdk.out', 'OrdersStack.template.json')];
    const a = makeCase(5, 42, files);
    makeCase(5, 41, files);
    expect(makeCase(5, 42, files)).toEqual(a);
    const others = [1, 2, 3, 4].map((seed) => JSON.stringify(makeCase(seed, 42, files).inputs));
    expect(new Set([JSON.stringify(a.inputs), ...others]).size).toBeGreaterThan(1);
    expect([caseRng(1, 2).next(), caseRng(1, 2).next()]).toEqual([caseRng(1, 2).next(), caseRng(1, 2).next()]);
  });

  it('catches a range past the end, a reversed range, a wrong line, an internal error, an exception, and order dependence; writes a reproducer', async () => {
    const file = new SourceFile('/fuzz/a.yaml', 'a: 1\nb: 2\n', 'yaml');
    const finding = (start: number, end: number, line: number, column: number, extra = {}) => ({
      ruleId: 'x/y', severity: 'error' as const, message: 'm', file, start, end, line, column, endLine: line, endColumn: column + (end - start), ...extra,
    });
    const out = (findings: ReturnType<typeof finding>[], internalErrors = 0) => ({ results: [{ path: file.path, findings }], notices: [], internalErrors }) as unknown as LintOutput;
    const props = (o: LintOutput) => checkOutput(o, [file.path]).map((p) => p.property);
    expect(props(out([finding(5, 6, 2, 1)]))).toEqual([]);
    expect(props(out([finding(10, 11, 3, 1)]))).toEqual(['range']); // one past the end
    expect(props(out([finding(6, 5, 2, 2)]))).toEqual(['range']); // end before start
    expect(props(out([finding(5, 6, 1, 6)]))).toEqual(['line-column']);
    expect(props(out([finding(0, 0, 1, 1, { fatal: true })], 1))).toEqual(['no-internal-error', 'no-internal-error']);
    expect(props(out([finding(0, 1, 1, 1, { ruleId: 'parse-error', message: 'could not read the document: boom' })]))).toEqual(['no-internal-error']);

    // A lint that throws, one that is not deterministic, one that depends on the order of inputs.
    const c = makeCase(3, 9, [join(FIXTURES, 'rules', 'ecs', 'image-tag', 'report-cfn.yaml')]);
    const throwing: FuzzApi = { ...api, lint: () => { throw new Error('boom'); } };
    expect(runCase(throwing, c).map((p) => p.property)).toEqual(['no-exception']);
    let calls = 0;
    const flaky: FuzzApi = { ...api, lint: (i: LintInput[], o: LintOptions) => { const r = lint(i, o); if (calls++ % 2) r.notices.push('odd'); return r; } };
    expect(runCase(flaky, c).map((p) => p.property)).toEqual(['deterministic']);
    const two = { ...c, inputs: [c.inputs[0]!, { ...c.inputs[0]!, path: '/fuzz/other.yaml' }] };
    const ordered: FuzzApi = { ...api, lint: (i: LintInput[], o: LintOptions) => { const r = lint(i, o); r.notices.push(`first: ${i[0]!.path}`); return r; } };
    expect(runCase(ordered, two).map((p) => p.property)).toEqual(['input-order']);

    // Through the driver: the failing case is written out with how to replay it.
    const dir = join(tmp, 'repro');
    const fixtures = join(tmp, 'fixtures');
    mkdirSync(fixtures, { recursive: true });
    writeFileSync(join(fixtures, 'a.yaml'), 'a: 1\n');
    const r = await fuzz({ seed: 11, cases: 2, api: throwing, fixtures, failures: dir });
    expect(r.failed.map((f) => [f.n, f.problems[0]!.property])).toEqual([
      [0, 'no-exception'],
      [1, 'no-exception'],
    ]);
    expect(readdirSync(dir).sort()).toEqual(['seed-11-case-0', 'seed-11-case-1']);
    const info = JSON.parse(readFileSync(join(dir, 'seed-11-case-1', 'case.json'), 'utf8'));
    expect([info.seed, info.case, info.replay, info.files]).toEqual([11, 1, 'npm run fuzz -- --seed 11 --case 1', ['0-a.yaml']]);
    expect(readFileSync(join(dir, 'seed-11-case-1', '0-a.yaml'), 'utf8')).toBe(makeCase(11, 1, [join(fixtures, 'a.yaml')]).inputs[0]!.text);
  });
});
