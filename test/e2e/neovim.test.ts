/** Neovim's built-in LSP client (headless) against `stowage lsp`: a real editor receives the diagnostics. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run, skipReason } from './helpers.js';

const skip = skipReason(['nvim']);
const WORKSPACE = join(ROOT, 'test', 'fixtures', 'lsp', 'workspace');

describe.skipIf(!!skip)(`Neovim LSP client${skip ? ` (skipped: ${skip})` : ''}`, () => {
  function nvim(file: string): { status: number | null; out: string; lines: string[] } {
    const tmp = mkdtempSync(join(tmpdir(), 'stowage-nvim-'));
    try {
      const out = join(tmp, 'diagnostics.txt');
      const r = run('nvim', ['--headless', '-n', '-i', 'NONE', '-u', join(ROOT, 'test', 'e2e', 'nvim-lsp.lua')], {
        cwd: tmp,
        timeout: 50_000,
        env: {
          ...process.env,
          HOME: tmp,
          XDG_CONFIG_HOME: join(tmp, 'config'),
          XDG_DATA_HOME: join(tmp, 'data'),
          XDG_STATE_HOME: join(tmp, 'state'),
          XDG_CACHE_HOME: join(tmp, 'cache'),
          STOWAGE_NODE: process.execPath,
          STOWAGE_BIN: join(ROOT, 'bin', 'stowage.js'),
          STOWAGE_FILE: join(WORKSPACE, file),
          STOWAGE_ROOT: WORKSPACE,
          STOWAGE_OUT: out,
        },
      });
      const lines = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
      return { status: r.status, out: r.out, lines };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  it('shows a template\'s findings with rule id, line, column and severity', { timeout: 60_000 }, () => {
    const r = nvim('web.yaml');
    expect(r.status, `${r.out}\n${r.lines.join('\n')}`).toBe(0);
    expect(r.lines.filter((l) => l.includes('elb/'))).toEqual(['5:11 elb/no-classic-load-balancer warning stowage']);
  });

  it('uses the workspace as cross-file context (the role is defined in a file the editor never opened)', { timeout: 60_000 }, () => {
    const r = nvim('reporting.json');
    expect(r.status, `${r.out}\n${r.lines.join('\n')}`).toBe(0);
    expect(r.lines.filter((l) => l.includes('iam/'))).toEqual(['3:18 iam/separate-task-and-instance-roles error stowage']);
    expect(r.lines.every((l) => / stowage$/.test(l))).toBe(true);
  });
});
