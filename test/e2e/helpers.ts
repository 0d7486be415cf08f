import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** STOWAGE_E2E=1 (set by .ci/run) makes the end-to-end tests mandatory: a missing tool fails instead of skipping. */
export const E2E_REQUIRED = process.env.STOWAGE_E2E === '1';

const DEBIAN_PACKAGE: Record<string, string> = { nvim: 'neovim' };

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/**
 * Whether to skip a suite that needs `tools`; with STOWAGE_E2E=1 a missing tool is an error, not a skip.
 * Returns the reason to skip, or undefined to run.
 */
export function skipReason(tools: string[]): string | undefined {
  const missing = tools.filter((t) => !hasCommand(t));
  if (!missing.length) return undefined;
  const packages = missing.map((t) => DEBIAN_PACKAGE[t] ?? t);
  const reason = `${missing.join(', ')} not installed (Debian: apt-get install ${packages.join(' ')}; .ci/run installs them)`;
  if (E2E_REQUIRED) throw new Error(`STOWAGE_E2E=1 but ${reason}`);
  return reason;
}

export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number; input?: string }): SpawnSyncReturns<string> & { out: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeout ?? 120_000, input: opts.input ?? '' });
  return Object.assign(r, { out: `${r.stdout ?? ''}${r.stderr ?? ''}` });
}

/** Commit a snapshot of the working tree (tracked and untracked, not ignored files) into a new repository. */
export function snapshot(into: string, e: NodeJS.ProcessEnv): string {
  mkdirSync(into, { recursive: true });
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
  const files = listed.status === 0 ? listed.stdout.split('\0').filter(Boolean) : walk(ROOT, '');
  for (const f of files) {
    const src = join(ROOT, f);
    if (!existsSync(src)) continue; // deleted in the working tree
    mkdirSync(dirname(join(into, f)), { recursive: true });
    cpSync(src, join(into, f));
  }
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-q', '--no-verify', '-m', 'snapshot']]) {
    const r = run('git', args, { cwd: into, env: e });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.out}`);
  }
  return run('git', ['rev-parse', 'HEAD'], { cwd: into, env: e }).stdout.trim();
}

function walk(dir: string, rel: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (['node_modules', 'dist', '.git', 'coverage'].includes(d.name)) continue;
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...walk(dir, r));
    else if (d.isFile()) out.push(r);
  }
  return out;
}

