import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rules/index.js';

const ROOT = join(import.meta.dirname, '..');

describe('docs', () => {
  it("the README's rule table lists every rule with a docs page (node scripts/readme-rules.mjs)", () => {
    // The script reads dist/ (npm test builds first) and exits 1 when the table is out of date.
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts/readme-rules.mjs'), '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const r of builtinRules.filter((r) => existsSync(join(ROOT, r.docs)))) expect(readme, r.id).toContain(`[\`${r.id}\`](${r.docs})`);
  });

  it('the quick start is exactly the two commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe('npm ci && node bin/stowage.js lint examples/\nnpm ci && npm test\n');
  });
});
