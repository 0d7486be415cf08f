/** The VS Code extension in editors/vscode type-checks (only when its own dependencies are installed: `cd editors/vscode && npm ci`). */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', 'editors', 'vscode');
const TSC = join(DIR, 'node_modules', 'typescript', 'bin', 'tsc');
const VSCE = join(DIR, 'node_modules', '@vscode', 'vsce', 'vsce');
const installed = existsSync(TSC) && existsSync(join(DIR, 'node_modules', 'vscode-languageclient'));

if (!installed && process.env.STOWAGE_E2E === '1') throw new Error('STOWAGE_E2E=1 but editors/vscode has no node_modules: run npm ci there (.ci/run does)');

describe.skipIf(!installed)(`VS Code extension${installed ? '' : ' (skipped: run npm ci in editors/vscode)'}`, () => {
  it('compiles with tsc', { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, [TSC, '-p', join(DIR, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('has its repository and licence, and `vsce package` runs without a prompt', { timeout: 180_000 }, () => {
    const pkg = JSON.parse(readFileSync(join(DIR, 'package.json'), 'utf8')) as { license: string; repository?: { url: string } };
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.repository?.url).toMatch(/^https:\/\/github\.com\//);
    expect(readFileSync(join(DIR, 'LICENSE'), 'utf8')).toBe(readFileSync(join(DIR, '..', '..', 'LICENSE'), 'utf8'));
    const out = mkdtempSync(join(tmpdir(), 'stowage-vsix-'));
    try {
      // No standard input: a prompt (missing repository, licence, ...) fails instead of waiting.
      const r = spawnSync(process.execPath, [VSCE, 'package', '--out', join(out, 'stowage.vsix')], { cwd: DIR, encoding: 'utf8', input: '', timeout: 170_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toMatch(/\[y\/N\]|Do you want to continue/);
      expect(existsSync(join(out, 'stowage.vsix'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
