/**
 * The pre-commit hook with the real `pre-commit` tool: a snapshot of this working tree is committed to a
 * temporary hook repository, and a temporary project uses it (language: node, installed by pre-commit
 * itself with npm, and the language: system variant with stowage on PATH).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, skipReason, snapshot } from './helpers.js';

const skip = skipReason(['git', 'pre-commit']);

const FLAWED = `AWSTemplateFormatVersion: '2010-09-09'
Description: An API on Fargate.
Resources:
  ApiService:
    Type: AWS::ECS::Service
    Properties:
      Cluster: api
      LaunchType: FARGATE
      TaskDefinition: arn:aws:ecs:us-east-1:123456789012:task-definition/api:3
      DesiredCount: 2
      LoadBalancers:
        - LoadBalancerName: api-classic
          ContainerName: api
          ContainerPort: 8080
`;

const FIXED = FLAWED.replace('        - LoadBalancerName: api-classic', '        - TargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef');

/** Environment for git and pre-commit: no inherited GIT_* variables, a private pre-commit cache. */
function env(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  // Nothing from the npm (npm test) or git process that runs the tests: pre-commit runs its own npm.
  for (const [k, v] of Object.entries(process.env)) if (!/^(GIT_|PRE_COMMIT|npm_)/i.test(k)) e[k] = v;
  return {
    ...e,
    PRE_COMMIT_HOME: join(home, 'pre-commit-cache'),
    GIT_AUTHOR_NAME: 'stowage test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'stowage test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: home,
    // pre-commit installs the hook with npm: keep the user's npm cache (a private HOME would start an empty one).
    npm_config_cache: process.env.npm_config_cache || join(homedir(), '.npm'),
    ...extra,
  };
}

function project(dir: string, hookRepo: string, rev: string, hookId: string, e: NodeJS.ProcessEnv): void {
  mkdirSync(dir, { recursive: true });
  run('git', ['init', '-q'], { cwd: dir, env: e });
  writeFileSync(join(dir, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: ${hookId}\n`);
  writeFileSync(join(dir, 'notes.yaml'), 'title: not a template\n');
  const install = run('pre-commit', ['install'], { cwd: dir, env: e });
  if (install.status !== 0) throw new Error(`pre-commit install failed: ${install.out}`);
}

/** Stage the template and try to commit; returns the commit's exit status and output. */
function commit(dir: string, template: string, e: NodeJS.ProcessEnv) {
  writeFileSync(join(dir, 'stacks', 'api.yaml'), template);
  run('git', ['add', '-A'], { cwd: dir, env: e });
  return run('git', ['commit', '-m', 'change'], { cwd: dir, env: e, timeout: 300_000 });
}

describe.skipIf(!!skip)(`pre-commit hook${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let tmp: string;
  let hookRepo: string;
  let rev: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'stowage-pre-commit-'));
    hookRepo = join(tmp, 'hook-repo');
    rev = snapshot(hookRepo, env(tmp));
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('language: node — pre-commit installs the hook with npm, refuses a flawed template, accepts the fix', { timeout: 400_000 }, () => {
    const e = env(tmp);
    const dir = join(tmp, 'project-node');
    project(dir, hookRepo, rev, 'stowage', e);
    mkdirSync(join(dir, 'stacks'));

    const refused = commit(dir, FLAWED, e);
    expect(refused.status, refused.out).toBe(1);
    expect(refused.out).toMatch(/^stowage\.+Failed$/m);
    expect(refused.out).toMatch(/- exit code: 1/);
    expect(refused.out).toContain('stacks/api.yaml');
    expect(refused.out).toMatch(/^ {2}stacks\/api\.yaml:12:11 {2}error +Service "ApiService" runs on Fargate but attaches Classic Load Balancer "api-classic".* {2}ecs\/fargate-incompatible-load-balancer$/m);
    expect(run('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: dir, env: e }).status).not.toBe(0); // nothing committed

    const accepted = commit(dir, FIXED, e);
    expect(accepted.status, accepted.out).toBe(0);
    expect(accepted.out).toMatch(/^stowage\.+Passed$/m);
    expect(run('git', ['log', '--format=%s'], { cwd: dir, env: e }).stdout.trim()).toBe('change');
  });

  it('language: system — uses the stowage on PATH', { timeout: 120_000 }, () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'stowage'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'stowage.js')}" "$@"\n`);
    chmodSync(join(bin, 'stowage'), 0o755);
    const e = env(tmp, { PATH: `${bin}:${process.env.PATH ?? ''}` });
    const dir = join(tmp, 'project-system');
    project(dir, hookRepo, rev, 'stowage-system', e);
    mkdirSync(join(dir, 'stacks'));

    const refused = commit(dir, FLAWED, e);
    expect(refused.status, refused.out).toBe(1);
    expect(refused.out).toMatch(/^stowage \(system\)\.+Failed$/m);
    expect(refused.out).toMatch(/12:11 {2}error .* {2}ecs\/fargate-incompatible-load-balancer$/m);

    const accepted = commit(dir, FIXED, e);
    expect(accepted.status, accepted.out).toBe(0);
    expect(accepted.out).toMatch(/^stowage \(system\)\.+Passed$/m);
  });
});
