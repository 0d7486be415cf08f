import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { discover } from '../../src/engine/discover.js';
import { lint, type Finding } from '../../src/engine/lint.js';
import { defaultConfig } from '../../src/engine/config.js';
import type { AnyRule } from '../../src/engine/rule.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The rules the CDK fixtures (test/fixtures/cdk) are written for; other rules may come and go without changing their tests. */
export const CDK_RULE_IDS: readonly string[] = [
  'ecs/no-privileged',
  'ecs/non-root-user',
  'ecs/image-tag',
  'storage/efs-transit-encryption',
  'ecs/no-secrets-in-environment',
  'ecs/container-insights',
  'ecs/no-public-ip',
  'ecs/deployment-circuit-breaker',
  'ecs/container-logging',
  'ec2/imds-v2',
  'ecs/block-task-imds',
];

/**
 * Expectations written in fixtures:
 * - YAML: a comment `# expect: <rule-id> @ <column>` on the line above the finding
 *   (several may stack above one line);
 * - any file: a sidecar `<file>.expect` with lines `<line>:<column> <rule-id>`.
 */
export function expectationsOf(path: string): string[] {
  const out: string[] = [];
  const side = `${path}.expect`;
  if (existsSync(side)) {
    for (const line of readFileSync(side, 'utf8').split('\n')) {
      const m = /^\s*(\d+):(\d+)\s+(\S+)\s*$/.exec(line);
      if (m) out.push(`${m[1]}:${m[2]} ${m[3]}`);
    }
  }
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const pending: Array<{ rule: string; column: string }> = [];
  lines.forEach((text, i) => {
    const m = /#\s*expect:\s*(\S+)\s*@\s*(\d+)\s*$/.exec(text);
    if (m) {
      pending.push({ rule: m[1]!, column: m[2]! });
      return;
    }
    for (const p of pending) out.push(`${i + 1}:${p.column} ${p.rule}`);
    pending.length = 0;
  });
  return out.sort();
}

export interface FixtureCase {
  name: string;
  /** The fixture file or folder. */
  path: string;
  kind: 'report' | 'quiet' | 'unknown';
}

/** Fixture entries of a rule: `report-*`, `quiet-*` and `unknown-*` files or folders. */
export function fixtureCases(ruleId: string): FixtureCase[] {
  const dir = join(FIXTURES, 'rules', ruleId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.endsWith('.expect'))
    .sort()
    .map((name) => {
      const kind = name.startsWith('report-') ? 'report' : name.startsWith('quiet-') ? 'quiet' : name.startsWith('unknown-') ? 'unknown' : undefined;
      if (!kind) throw new Error(`fixture ${ruleId}/${name} must start with report-, quiet- or unknown-`);
      return { name, path: join(dir, name), kind };
    });
}

function filesUnder(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((n) => filesUnder(join(path, n)));
}

/**
 * Lint a fixture with one rule on; returns actual and expected `line:col rule` rows per file, and
 * `detail`: each finding's full range and message (`file line:col-endLine:endCol rule: message`), which
 * the rule tests pin in a snapshot.
 */
export function runFixture(rule: AnyRule, path: string): { actual: string[]; expected: string[]; detail: string[]; messages: string[] } {
  const found = discover([path], ROOT);
  const out = lint(
    found.files.map((f) => ({ path: f.path, explicit: true, ...(f.cdk ? { cdk: f.cdk } : {}) })),
    { rules: [rule], config: { ...defaultConfig(ROOT), preset: 'all' }, cliRules: { [rule.id]: rule.severity } },
  );
  const actual: string[] = [];
  const expected: string[] = [];
  const detail: string[] = [];
  const messages: string[] = [];
  const rel = (p: string) => relative(path, p) || '.';
  for (const r of out.results)
    for (const f of r.findings) {
      actual.push(row(rel(r.path), f));
      detail.push(`${rel(r.path)} ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.ruleId}${f.messageId ? `[${f.messageId}]` : ''}${f.entity ? ` <${f.entity}>` : ''}: ${f.message}`);
      messages.push(f.message);
    }
  for (const file of filesUnder(path)) {
    if (file.endsWith('.expect') || file.endsWith('.md')) continue;
    for (const e of expectationsOf(file)) expected.push(`${rel(file)} ${e}`);
  }
  return { actual: actual.sort(), expected: expected.sort(), detail: detail.sort(), messages };
}

function row(file: string, f: Finding): string {
  return `${file} ${f.line}:${f.column} ${f.ruleId}`;
}
