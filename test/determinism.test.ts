import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../src/engine/discover.js';
import { lint } from '../src/engine/lint.js';
import { defaultConfig } from '../src/engine/config.js';
import { formatJson } from '../src/formatters/json.js';
import { builtinRules } from '../src/rules/index.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

/** Same files, same bytes: the order inputs arrive in (arguments, a walk) never changes what is said. */
function run(paths: string[]): string {
  const out = lint(
    paths.map((path) => ({ path, explicit: true })),
    { rules: builtinRules, config: { ...defaultConfig(ROOT), preset: 'all' } },
  );
  return formatJson(out.results, { cwd: ROOT, color: false, rules: builtinRules });
}

describe('output does not depend on input order', () => {
  it.each([
    ['iam/task-role-per-service', 'rules/iam/task-role-per-service/report-cross-file-templates'],
    ['k8s/probes', 'rules/k8s/probes'],
    ['the example project', '../../examples'],
  ])('%s', (_name, folder) => {
    const files = discover([join(FIXTURES, folder)], ROOT).files.map((f) => f.path);
    expect(files.length).toBeGreaterThan(1);
    const forward = run(files);
    expect(run([...files].reverse())).toBe(forward);
    expect(JSON.parse(forward).some((r: { messages: unknown[] }) => r.messages.length > 0)).toBe(true);
  });
});
