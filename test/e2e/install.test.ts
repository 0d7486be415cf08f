/**
 * The package a user installs: `npm pack` of this checkout, installed into an empty folder with
 * `npm install --prefix`, runs `stowage lint` on examples/ from there. Needs the npm registry for
 * stowage's dependencies, like any install.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, ROOT, run, snapshot } from './helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  files: string[];
  scripts: Record<string, string>;
  engines: { node: string };
};
const built = existsSync(join(ROOT, 'dist', 'bundle', 'cli.cjs'));
if (!built && process.env.STOWAGE_E2E === '1') throw new Error('STOWAGE_E2E=1 but dist/ is not built: run npm run build (npm test does)');

/** Environment without the npm variables of the `npm test` that runs us (they would redirect npm's prefix and config). */
function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) e[k] = v;
  if (process.env.npm_config_cache) e.npm_config_cache = process.env.npm_config_cache;
  return e;
}

describe('package.json', () => {
  it('builds before packing, builds a checkout on prepare, and runs no script when installed', () => {
    expect(pkg.scripts.prepack).toBe('npm run build && node scripts/pack-manifest.mjs strip');
    expect(pkg.scripts.postpack).toBe('node scripts/pack-manifest.mjs restore');
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
    for (const s of ['preinstall', 'install', 'postinstall']) expect(pkg.scripts[s]).toBeUndefined();
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist', 'docs', 'generated', 'LICENSE', 'README.md']));
  });

  it('has a LICENSE file matching its license field', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toContain('Apache License');
    expect(text).toContain('Version 2.0, January 2004');
  });

  it('depends on nothing that refuses Node 20 (npm ci prints no EBADENGINE warning)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const refusing: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      const node = p.engines && !Array.isArray(p.engines) ? p.engines.node : undefined;
      // Every form used in the lock for "needs 22 or later": >=22, >= 22, ^22, >=22.x.
      if (node && /^(>=\s*|\^)2[2-9]/.test(node.trim())) refusing.push(`${path} (${node})`);
    }
    expect(refusing).toEqual([]);
  });
});

describe.skipIf(!built)('the packed package, installed', () => {
  let dir: string;
  let prefix: string;
  let tarball: string;
  let packOut: string;
  let installOut: string;
  let manifestAfterPack: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stowage-install-'));
    prefix = join(dir, 'prefix');
    // Pack a copy of the checkout, so prepack's build writes the copy's dist/, not the one other tests run.
    const copy = join(dir, 'checkout');
    mkdirSync(copy);
    for (const f of ['package.json', 'package-lock.json', '.npmrc', 'bin', 'src', 'scripts', 'docs', 'generated', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.build.json'])
      if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const pack = run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: copy, env: env(), timeout: 300_000 });
    manifestAfterPack = readFileSync(join(copy, 'package.json'), 'utf8');
    packOut = pack.out;
    expect(pack.status, pack.out).toBe(0);
    const name = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(name).toBeDefined();
    tarball = join(dir, name!);
    const install = run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: dir, env: env(), timeout: 300_000 });
    installOut = install.out;
    expect(install.status, install.out).toBe(0);
  }, 480_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('carries the built dist/, generated/ and docs/, and no sources or tests', () => {
    const files = (JSON.parse(packOut.slice(packOut.indexOf('['))) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/stowage.js', 'dist/bundle/cli.cjs', 'dist/cli/index.js', 'generated/k8s/schema.json', 'docs/rules/ecs/image-tag.md'])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('generated/cfn/'))).toBe(true);
    expect(files.some((f) => f.startsWith('generated/ecs/'))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('installs without building (no prepare, gen or tsc output) and without EBADENGINE', () => {
    expect(installOut).not.toMatch(/EBADENGINE|gen-all|tsc -p|prepare/);
    expect(existsSync(join(prefix, 'node_modules', 'stowage', 'src'))).toBe(false);
    const installed = JSON.parse(readFileSync(join(prefix, 'node_modules', 'stowage', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(installed.scripts.prepare).toBeUndefined();
    // postpack puts the checkout's manifest back as it was.
    expect(manifestAfterPack).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  });

  it('runs `stowage lint` on examples/ from the installed package', () => {
    const bin = join(prefix, 'node_modules', '.bin', 'stowage');
    const r = run(bin, ['lint', join(ROOT, 'examples'), '--format', 'json'], { cwd: dir, env: { ...env(), STOWAGE_CACHE_DIR: 'off' } });
    expect(r.stderr).toBe('');
    // The examples hold mistakes on purpose: exit 1 with findings, never 2.
    expect(r.status, r.stderr).toBe(1);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>;
    expect(results.length).toBeGreaterThan(2);
    expect(results.flatMap((x) => x.messages.map((m) => m.ruleId))).toContain('ecs/non-root-user');
    const v = run(bin, ['--version'], { cwd: dir, env: env() });
    expect(v.stdout.trim()).toBe(pkg.version);
  });

  it('runs a plugin written against the installed stowage, its RuleTester tests (stowage/testing) and their types', () => {
    // Inside the prefix, so that `stowage` resolves to the installed package.
    const project = join(prefix, 'acme-rules');
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'index.mjs'),
      `import { defineRule } from 'stowage';

/** @param {import('stowage').RuleContext} context */
function check({ model, report }) {
  for (const service of model.services) {
    if (service.kind !== 'Service') throw new Error('not a Service');
    const launchType = service.launchType;
    if (launchType.is('EC2')) report(launchType, \`Service "\${service.label}" runs on EC2; use FARGATE.\`);
  }
}

export default { rules: [defineRule({ id: 'acme/fargate-only', severity: 'error', description: 'Services run on Fargate.', docs: 'https://example.com', check })] };
`,
    );
    writeFileSync(
      join(project, 'index.test.mjs'),
      `import { describe, it } from 'node:test';
import { RuleTester } from 'stowage/testing';
import plugin from './index.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
/** @param {string} launchType */
const code = (launchType) => \`Resources:\\n  Api:\\n    Type: AWS::ECS::Service\\n    Properties:\\n      LaunchType: \${launchType}\\n\`;
new RuleTester().run(plugin.rules[0], {
  valid: [{ filename: 'fargate.yaml', code: code('FARGATE') }],
  invalid: [{ filename: 'ec2.yaml', code: code('EC2'), errors: [{ message: 'Service "Api" runs on EC2; use FARGATE.', line: 5, column: 19, endLine: 5, endColumn: 22 }] }],
});
`,
    );
    const tests = run(process.execPath, ['--test', '--test-reporter=tap', 'acme-rules/'], { cwd: prefix, env: env() });
    expect(tests.status, tests.out).toBe(0);
    expect(tests.stdout).toContain('# pass 2\n');
    // The same plugin under the installed CLI (the bundle), and its types through the package's exports.
    writeFileSync(join(project, 'stowage.config.yaml'), 'plugins:\n  - ./index.mjs\n');
    writeFileSync(join(project, 'ec2.yaml'), 'Resources:\n  Api:\n    Type: AWS::ECS::Service\n    Properties:\n      LaunchType: EC2\n');
    const lint = run(join(prefix, 'node_modules', '.bin', 'stowage'), ['lint', 'ec2.yaml', '--plugins', '--format', 'json'], { cwd: project, env: { ...env(), STOWAGE_CACHE_DIR: 'off' } });
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(1);
    const messages = (JSON.parse(lint.stdout) as Array<{ messages: Array<{ ruleId: string; message: string; line: number; column: number }> }>)[0]!.messages;
    expect(messages.filter((m) => m.ruleId === 'acme/fargate-only')).toEqual([expect.objectContaining({ message: 'Service "Api" runs on EC2; use FARGATE.', line: 5, column: 19 })]);
    const tsc = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--allowJs', '--checkJs', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node', 'index.mjs', 'index.test.mjs'], { cwd: project, env: env() });
    expect(tsc.out).toBe('');
    expect(tsc.status).toBe(0);
  });
});

// A git URL install (the README's way until releases exist): npm clones the commit, installs its
// development dependencies, builds it (prepare) and packs it (prepack). Minutes of npm work, so it
// runs where the end-to-end suite is mandatory (CI, STOWAGE_E2E=1).
const gitSkip = process.env.STOWAGE_E2E === '1' ? undefined : 'set STOWAGE_E2E=1 (CI does)';
describe.skipIf(!!gitSkip || !hasCommand('git'))(`installed from a git URL at a commit${gitSkip ? ` (skipped: ${gitSkip})` : ''}`, () => {
  it('npm install git+<url>#<sha> builds and runs stowage', { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-git-install-'));
    try {
      const e = { ...env(), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' };
      const sha = snapshot(join(dir, 'repo'), e);
      const prefix = join(dir, 'prefix');
      const install = run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', `git+file://${join(dir, 'repo')}#${sha}`], { cwd: dir, env: e, timeout: 590_000 });
      expect(install.status, install.out).toBe(0);
      const r = run(join(prefix, 'node_modules', '.bin', 'stowage'), ['lint', join(ROOT, 'examples')], { cwd: dir, env: e });
      expect(r.status, r.out).toBe(1);
      expect(r.stdout).toContain('ecs/non-root-user');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
