import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../src/engine/discover.js';
import { lint, type LintInput, type LintOutput } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { builtinRules } from '../src/rules/index.js';
import type { Format } from '../src/parsers/index.js';
import { ROOT } from './helpers/fixtures.js';

/**
 * The real-world corpus (../shared/corpus, next to the repository): every file is linted with
 * every built-in rule, and our parse errors are compared with the corpus's own syntax flags
 * (FEATURES.tsv) and with cfn-lint's parse errors (E0000) on its CloudFormation templates.
 */
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
const CFN_LINT = resolve(ROOT, '..', 'shared', 'reference', 'cfn-lint-on-corpus.json');
const TEMPLATE_SKIP = ': an unrendered template ({{ }} placeholders); render it first (e.g. `helm template`); skipped';

/** INDEX.tsv kinds and the format we should recognise them as. */
const KIND_FORMAT: Record<string, Format> = {
  'cfn-yaml': 'cloudformation',
  'cfn-json': 'cloudformation',
  'cdk-out': 'cloudformation',
  'ecs-taskdef': 'ecs-task-definition',
  k8s: 'kubernetes',
  eksctl: 'eksctl',
};

/**
 * Files the corpus classifier labelled as CloudFormation that are CodeDeploy AppSpec files
 * (`Resources:` is a list of `TargetService` entries there, not a template's mapping).
 */
const APPSPEC = [
  'aws-samples__amazon-ecs-fargate-workshop-dev-ops-data/labs/fargate-dev-workshop/configs/appspec.json',
  'aws-samples__ecs-windows-ci-cd-blue-green/asset/appspec_template.yaml',
  'kayac__ecspresso/appspec/test.yml',
];

interface Row {
  path: string;
  kind: string;
  flags: string[];
}

describe.skipIf(!existsSync(CORPUS))('the real-world corpus', () => {
  let rows: Row[] = [];
  let out: LintOutput;
  let thrown: unknown;
  const parseErrors = new Map<string, Array<{ line: number; column: number; message: string }>>();
  const skippedAsTemplate = new Set<string>();
  const formatsOf = new Map<string, Set<Format>>();

  beforeAll(() => {
    const tsv = (name: string) =>
      readFileSync(join(CORPUS, name), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'));
    const flags = new Map(tsv('FEATURES.tsv').map(([p, , f]) => [p!, (f ?? '').split(',').filter(Boolean)]));
    rows = tsv('INDEX.tsv').map(([path, kind]) => ({ path: path!, kind: kind!, flags: flags.get(path!) ?? [] }));

    try {
      // A walk of the corpus, plus the few files a walk does not read (hidden folders, `.tpl`
      // names), named explicitly; every input is "explicit" so that skips come with a notice.
      const found = discover([CORPUS], CORPUS);
      const inputs: LintInput[] = found.files.map((f) => ({ path: f.path, explicit: true, ...(f.cdk ? { cdk: f.cdk } : {}) }));
      const seen = new Set(inputs.map((i) => i.path));
      for (const r of rows) {
        const abs = join(CORPUS, r.path);
        if (!seen.has(abs) && !/cdk\.out\/(?:.*\/)?(?:manifest|tree)\.json$/.test(r.path)) inputs.push({ path: abs, explicit: true });
      }
      out = lint(inputs, { rules: builtinRules, config: { ...defaultConfig(CORPUS), preset: 'all' } });
    } catch (e) {
      thrown = e;
    }
    if (!out) return;
    const rel = (p: string) => p.slice(CORPUS.length + 1);
    for (const r of out.results)
      for (const f of r.findings) {
        if (f.ruleId !== 'parse-error') continue;
        const list = parseErrors.get(rel(r.path)) ?? [];
        list.push({ line: f.line, column: f.column, message: f.message });
        parseErrors.set(rel(r.path), list);
      }
    for (const n of out.notices) if (n.endsWith(TEMPLATE_SKIP)) skippedAsTemplate.add(rel(n.slice(0, -TEMPLATE_SKIP.length)));
    for (const pf of out.model.files) formatsOf.set(rel(pf.file.path), new Set(pf.documents.map((d) => d.format)));
  }, 60_000);

  it('lints every file with every built-in rule: no exception, no internal error (speed is measured by npm run bench, not here)', () => {
    expect(thrown).toBeUndefined();
    expect(out.internalErrors).toBe(0);
    const fatal = out.results.flatMap((r) => r.findings.filter((f) => f.fatal).map((f) => `${r.path}:${f.line}:${f.column} ${f.message}`));
    expect(fatal).toEqual([]);
    expect(out.results.length).toBeGreaterThan(1000);
  });

  it('every file FEATURES.tsv marks as invalid YAML/JSON gets a parse-error, or is skipped as an unrendered template', () => {
    const invalid = rows.filter((r) => r.flags.some((f) => /^(?:yaml|json)-invalid/.test(f)));
    expect(invalid.length).toBeGreaterThan(90);
    const missed = invalid.filter((r) => !parseErrors.has(r.path) && !skippedAsTemplate.has(r.path)).map((r) => `${r.path} ${r.flags.join(',')}`);
    expect(missed).toEqual([]);
    // Only templates are skipped: what is skipped has `{{ }}` placeholders (Go/Helm, mustache, cookiecutter).
    for (const path of skippedAsTemplate) expect(readFileSync(join(CORPUS, path), 'utf8')).toMatch(/\{\{/);
  });

  it('every file with duplicate keys gets a parse-error naming the key', () => {
    const dups = rows.filter((r) => r.flags.includes('yaml-duplicate-keys'));
    expect(dups.length).toBe(7);
    for (const r of dups) expect([r.path, parseErrors.get(r.path)?.some((e) => /^duplicate key ".+"$/.test(e.message))]).toEqual([r.path, true]);
  });

  it('no file FEATURES.tsv leaves valid gets a parse-error (duplicate keys aside) or is skipped', () => {
    const valid = rows.filter((r) => !r.flags.some((f) => /-invalid/.test(f)));
    const wrong = valid.flatMap((r) => {
      const errs = (parseErrors.get(r.path) ?? []).filter((e) => !e.message.startsWith('duplicate key '));
      return [...errs.map((e) => `${r.path}:${e.line}:${e.column} ${e.message}`), ...(skippedAsTemplate.has(r.path) ? [`${r.path} skipped`] : [])];
    });
    expect(wrong).toEqual([]);
  });

  it("agrees with cfn-lint's parse errors (E0000) on the CloudFormation templates", () => {
    if (!existsSync(CFN_LINT)) return;
    const ref = JSON.parse(readFileSync(CFN_LINT, 'utf8')) as Array<{ file: string; rule: string; line: number; column: number; message: string }>;
    const e0000 = new Map<string, string[]>();
    for (const f of ref) if (f.rule === 'E0000') e0000.set(f.file, [...(e0000.get(f.file) ?? []), `${f.line}:${f.column}`]);
    expect(e0000.size).toBe(8);
    for (const [file, positions] of e0000) {
      if (skippedAsTemplate.has(file)) continue; // a Go template (copilot): cfn-lint reads it as YAML and fails
      const ours = parseErrors.get(file) ?? [];
      // cfn-lint stops at the first duplicate key and reports both occurrences; we report each later occurrence.
      expect([file, ours.length > 0 && positions.includes(`${ours[0]!.line}:${ours[0]!.column}`)]).toEqual([file, true]);
    }
    expect([...e0000.keys()].filter((f) => skippedAsTemplate.has(f))).toEqual([
      'aws__copilot-cli/internal/pkg/template/templates/environment/cf.yml',
      'aws__copilot-cli/internal/pkg/template/templates/workloads/services/lb-web/cf.yml',
    ]);
    const templates = rows.filter((r) => r.kind === 'cfn-yaml' || r.kind === 'cfn-json');
    expect(templates.length).toBe(352);
    const extra = templates.filter((r) => !e0000.has(r.path) && parseErrors.has(r.path)).map((r) => `${r.path} ${JSON.stringify(parseErrors.get(r.path))}`);
    expect(extra).toEqual([]);
  });

  it('recognises each file as the kind the corpus index gives it', () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const want = KIND_FORMAT[r.kind];
      if (!want || parseErrors.has(r.path) || skippedAsTemplate.has(r.path) || APPSPEC.includes(r.path)) continue;
      if (r.kind === 'cdk-out' && !r.path.endsWith('.template.json')) continue; // manifest.json, tree.json, assets
      const got = formatsOf.get(r.path);
      if (!got?.has(want)) wrong.push(`${r.path}: ${r.kind} read as ${got ? [...got].join('+') || 'nothing' : 'not recognised'}`);
    }
    expect(wrong).toEqual([]);
  });
});
