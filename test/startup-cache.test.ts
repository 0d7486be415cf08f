// bin/stowage.js loads the CommonJS bundle through bin/load-bundle.cjs with a V8 code cache
// (scripts/bundle.mjs builds it). These runs point STOWAGE_CACHE_DIR at a temporary directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

const BIN = join(ROOT, 'bin', 'stowage.js');
const ENTRY = join(ROOT, 'dist', 'bundle', 'cli.cjs');
const ARGS = ['lint', 'examples/', '--format', 'json'];

function run(cacheDir: string, args = ARGS, cwd = ROOT) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, STOWAGE_CACHE_DIR: cacheDir } });
}

function buildDirName(): string {
  const id = /^\/\/ stowage-build: ([0-9a-f]{64})\n/.exec(readFileSync(ENTRY, 'utf8'))?.[1];
  expect(id).toBeDefined();
  return `${process.version}-${process.arch}-${id!.slice(0, 24)}`;
}

const uncached = run('off');

describe('start-up code cache (bin/load-bundle.cjs)', () => {
  it('the uncached run lints the examples', () => {
    expect(uncached.status).toBe(1);
    expect(uncached.stderr).toBe('');
    expect((JSON.parse(uncached.stdout) as unknown[]).length).toBe(3);
  });

  it('a first run creates the cache once; later runs use it and write nothing', () => {
    const base = mkdtempSync(join(tmpdir(), 'stowage-cache-test-'));
    const first = run(base);
    expect([first.status, first.stdout, first.stderr]).toEqual([uncached.status, uncached.stdout, '']);
    expect(readdirSync(base)).toEqual([buildDirName()]);
    const dir = join(base, buildDirName());
    const files = readdirSync(dir).sort();
    // The entry and the eagerly loaded shared chunk; no temporary files left behind.
    expect(files.length).toBe(2);
    expect(files[0]).toMatch(/^chunk-[\w-]+\.v8$/);
    expect(files[1]).toBe('cli.v8');
    for (const f of files) expect(statSync(join(dir, f)).size).toBeGreaterThan(10_000);
    const before = files.map((f) => statSync(join(dir, f)));

    const second = run(base);
    expect([second.status, second.stdout, second.stderr]).toEqual([uncached.status, uncached.stdout, '']);
    const after = files.map((f) => statSync(join(dir, f)));
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
  });

  it('corrupt cached data is rejected, the run is unaffected, and the file is rewritten', () => {
    const base = mkdtempSync(join(tmpdir(), 'stowage-cache-test-'));
    expect(run(base).status).toBe(1);
    const file = join(base, buildDirName(), 'cli.v8');
    writeFileSync(file, 'garbage, not V8 cached data');
    const r = run(base);
    expect([r.status, r.stdout, r.stderr]).toEqual([uncached.status, uncached.stdout, '']);
    const rewritten = readFileSync(file);
    expect(rewritten.length).toBeGreaterThan(10_000);
    expect(rewritten.toString('latin1').startsWith('garbage')).toBe(false);
  });

  it('a new build removes the cache of earlier builds and leaves other files alone', () => {
    const base = mkdtempSync(join(tmpdir(), 'stowage-cache-test-'));
    mkdirSync(join(base, 'v20.0.0-x64-0123456789abcdef01234567'));
    writeFileSync(join(base, 'v20.0.0-x64-0123456789abcdef01234567', 'cli.v8'), 'old');
    writeFileSync(join(base, 'notes.txt'), 'mine');
    expect(run(base).status).toBe(1);
    expect(readdirSync(base).sort()).toEqual(['notes.txt', buildDirName()].sort());
  });

  it('an unwritable cache directory costs nothing but speed', () => {
    const base = mkdtempSync(join(tmpdir(), 'stowage-cache-test-'));
    const blocker = join(base, 'a-file');
    writeFileSync(blocker, '');
    // A directory below a regular file can be neither read nor created, even by root.
    const r = run(join(blocker, 'cache'));
    expect([r.status, r.stdout, r.stderr]).toEqual([uncached.status, uncached.stdout, '']);
    expect(readdirSync(base)).toEqual(['a-file']);
  });

  it('plugins load through import() from the cached bundle', () => {
    const base = mkdtempSync(join(tmpdir(), 'stowage-cache-test-'));
    const project = mkdtempSync(join(tmpdir(), 'stowage-plugin-'));
    writeFileSync(join(project, 'stowage.config.yaml'), 'plugins:\n  - ./plugin.mjs\nrules:\n  custom/never: error\n');
    writeFileSync(
      join(project, 'plugin.mjs'),
      "export default { id: 'custom/never', severity: 'warning', description: 'Never reports.', docs: 'https://example.com', check() {} };\n",
    );
    writeFileSync(join(project, 'template.yaml'), 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
    for (const cache of [base, base]) {
      const r = run(cache, ['lint', 'template.yaml', '--plugins', '--format', 'json'], project);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(existsSync(join(base, buildDirName(), 'cli.v8'))).toBe(true);
    }
    writeFileSync(join(project, 'plugin.mjs'), "throw new Error('boom');\n");
    const bad = run(base, ['lint', 'template.yaml', '--plugins'], project);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('plugin "./plugin.mjs" failed to load: boom');
  });
});
