import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rules/index.js';
import { fixtureCases, ROOT, runFixture } from './helpers/fixtures.js';

describe.each(builtinRules.map((r) => [r.id, r] as const))('%s', (id, rule) => {
  const cases = fixtureCases(id);

  it('has a docs page, fixtures that report and fixtures that stay quiet', () => {
    expect(existsSync(join(ROOT, rule.docs)), `docs page ${rule.docs}`).toBe(true);
    expect(cases.some((c) => c.kind === 'report'), 'a report-* fixture').toBe(true);
    expect(cases.some((c) => c.kind === 'quiet'), 'a quiet-* fixture').toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { actual, expected, detail, messages } = runFixture(rule, c.path);
    if (c.kind === 'report') expect(expected.length, 'a report-* fixture must expect at least one finding').toBeGreaterThan(0);
    else expect(expected, 'quiet-*/unknown-* fixtures expect nothing').toEqual([]);
    expect(actual).toEqual(expected);
    // What each finding says and its full range, pinned: `npm run test:update` rewrites the snapshot
    // (test/__snapshots__/rules.test.ts.snap), and the reviewer reads the change in the diff.
    expect(detail).toMatchSnapshot();
    // A message is one sentence of at most 200 characters (rules with message ids; the rest are being converted).
    if (rule.meta) for (const m of messages) expect(m.length, m).toBeLessThanOrEqual(200);
  });
});
