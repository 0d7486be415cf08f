import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../src/rules/index.js';

const ROOT = join(import.meta.dirname, '..');

describe('docs', () => {
  it('the rule table of docs/rules.md lists every rule with a docs page (node scripts/readme-rules.mjs)', () => {
    // The script reads dist/ (npm test builds first) and exits 1 when the table is out of date.
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts/readme-rules.mjs'), '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
    const table = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
    for (const r of builtinRules.filter((r) => existsSync(join(ROOT, r.docs)))) expect(table, r.id).toContain(`[\`${r.id}\`](${r.docs.replace(/^docs\//, '')})`);
  });

  it('the quick start is exactly the two commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe('npm ci && node bin/stowage.js lint examples/\nnpm ci && npm test\n');
  });

  it("the README opens with a real run on examples/ (an excerpt of the CLI's stylish output, in order) that exits 1", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /^```console\n\$ (node bin\/stowage\.js lint examples\/)\n([\s\S]*?)```/m.exec(readme);
    expect(block, 'a ```console block with `$ node bin/stowage.js lint examples/`').not.toBeNull();
    expect(readme.indexOf(block![0])).toBeLessThan(readme.indexOf('## Quick start'));
    // The built CLI (npm test builds first), not a TTY: no colour.
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/stowage.js'), 'lint', 'examples/'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_HYPERLINK: '', NO_COLOR: '1' } });
    expect(r.status, 'the examples hold error-level mistakes').toBe(1);
    expect(readme).toContain('it exits with code 1 because the examples hold error-level mistakes');
    const real = r.stdout.split('\n');
    const sample = block![2]!.split('\n').slice(0, -1);
    const shown = sample.filter((l) => l.trim() !== '…' && l !== '');
    // Every line shown is a line of the real output, in the same order ('…' stands for lines left out).
    let at = 0;
    for (const line of shown) {
      const found = real.indexOf(line, at);
      expect(found, `README sample line not in the output of \`node bin/stowage.js lint examples/\` (after line ${at}); the real output is:\n${r.stdout}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(shown.filter((l) => /^ {2}examples\/\S+:\d+:\d+ {2}/.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(shown[shown.length - 1]).toBe(real.filter(Boolean).pop());
    expect(sample.length).toBeLessThanOrEqual(12); // a short sample
  });
});
