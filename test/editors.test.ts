/** The VS Code extension in editors/vscode type-checks (only when its own dependencies are installed: `cd editors/vscode && npm ci`). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '..', 'editors', 'vscode');
const TSC = join(DIR, 'node_modules', 'typescript', 'bin', 'tsc');
const installed = existsSync(TSC) && existsSync(join(DIR, 'node_modules', 'vscode-languageclient'));

if (!installed && process.env.STOWAGE_E2E === '1') throw new Error('STOWAGE_E2E=1 but editors/vscode has no node_modules: run npm ci there (.ci/run does)');

describe.skipIf(!installed)(`VS Code extension${installed ? '' : ' (skipped: run npm ci in editors/vscode)'}`, () => {
  it('compiles with tsc', { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, [TSC, '-p', join(DIR, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
