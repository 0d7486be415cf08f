import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rules/index.js';
import { defaultConfig, severityFor } from '../src/engine/config.js';
import { ROOT } from './helpers/fixtures.js';

/** The `recommended` / `all` split: rule metadata, each docs page's header and docs/presets.md agree. */
describe('presets', () => {
  const off = builtinRules.filter((r) => r.recommended === false).map((r) => r.id).sort();

  it('every docs page states its presets on the line under its title', () => {
    for (const r of builtinRules) {
      const lines = readFileSync(join(ROOT, r.docs), 'utf8').split('\n');
      expect(lines[0], r.id).toBe(`# ${r.id}`);
      const expected = r.recommended === false ? '**Preset:** all · ' : '**Preset:** recommended, all · ';
      expect(lines[2]!.startsWith(expected + '**Default severity:** ' + r.severity + ' · '), `${r.docs} line 3: ${lines[2]}`).toBe(true);
    }
  });

  it('docs/presets.md lists exactly the rules that are off by default', () => {
    const page = readFileSync(join(ROOT, 'docs/presets.md'), 'utf8');
    const table = page.slice(page.indexOf('<!-- presets:off'), page.indexOf('<!-- presets:end -->'));
    const listed = [...table.matchAll(/^\| `([a-z0-9-]+\/[a-z0-9-]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(off);
  });

  it('the opinionated and cost-related rules are off under recommended and on under all', () => {
    expect(off).toEqual(expect.arrayContaining(['eks/managed-node-groups', 'ecr/kms-encryption', 'scaling/queue-worker-scaling']));
    const rule = builtinRules.find((r) => r.id === 'eks/managed-node-groups')!;
    const config = defaultConfig(ROOT);
    expect(severityFor(rule, config, join(ROOT, 'x.yaml'))).toBe('off');
    expect(severityFor(rule, { ...config, preset: 'all' }, join(ROOT, 'x.yaml'))).toBe(rule.severity);
    const errorRule = builtinRules.find((r) => r.id === 'cfn/circular-dependency')!;
    expect(severityFor(errorRule, config, join(ROOT, 'x.yaml'))).toBe('error');
    // No error-level rule is off by default: what CloudFormation or the ECS API rejects is always reported.
    expect(builtinRules.filter((r) => r.recommended === false && r.severity === 'error').map((r) => r.id)).toEqual([]);
  });
});
