import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main, type Io } from '../src/cli/index.js';
import { STARTER_CONFIG } from '../src/cli/ci.js';
import { loadConfig } from '../src/engine/config.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const FORMATS = join(FIXTURES, 'ci', 'formats');
const CROSS = join(FIXTURES, 'rules', 'iam', 'separate-task-and-instance-roles', 'report-cross-file-managed-policy');

async function run(args: string[], opts: { cwd?: string; stdin?: string; stderrIsTTY?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd: opts.cwd ?? ROOT,
    isTTY: false,
    readStdin: () => opts.stdin ?? '',
    stderrIsTTY: opts.stderrIsTTY ?? false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string; line: number; column: number }>;
}
const rows = (stdout: string) =>
  (JSON.parse(stdout || '[]') as JsonResult[]).flatMap((r) => r.messages.map((m) => `${r.filePath.split('/').pop()} ${m.line}:${m.column} ${m.ruleId}`)).sort();

const tmp = () => mkdtempSync(join(tmpdir(), 'stowage-ci-'));

// Environment variables these tests change, restored after each.
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const k of ['CI', 'GITHUB_STEP_SUMMARY', 'STOWAGE_PROGRESS_DELAY_MS']) saved[k] = process.env[k];
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('--format for CI systems', () => {
  it.each(['sarif', 'junit', 'github', 'gitlab', 'checkstyle'])('accepts --format %s and keeps the exit codes', async (format) => {
    const findings = await run(['test/fixtures/ci/formats/stack.yaml', '--format', format, '--rule', 'elb/no-classic-load-balancer=error']);
    expect(findings.code).toBe(1);
    expect(findings.stdout).toContain('elb/no-classic-load-balancer');
    const clean = await run(['test/fixtures/ci/formats/clean.yaml', '--format', format]);
    expect(clean.code).toBe(0);
  });

  it('github: appends a Markdown summary to $GITHUB_STEP_SUMMARY when it is set', async () => {
    const summary = join(tmp(), 'summary.md');
    writeFileSync(summary, '## earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = summary;
    const r = await run(['test/fixtures/ci/formats/stack.yaml', '--format', 'github']);
    expect(r.stdout).toMatch(/^::warning file=test\/fixtures\/ci\/formats\/stack\.yaml,line=5,col=11,endLine=5,endColumn=50,title=elb\/no-classic-load-balancer::/m);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('## earlier step\n### stowage: ')).toBe(true);
    expect(md).toContain('| warning | test/fixtures/ci/formats/stack.yaml:5:11 | [`elb/no-classic-load-balancer`](https://github.com/stowage-dev/stowage/blob/main/docs/rules/elb/no-classic-load-balancer.md) |');
    delete process.env.GITHUB_STEP_SUMMARY;
    await run(['test/fixtures/ci/formats/stack.yaml', '--format', 'github']);
    expect(readFileSync(summary, 'utf8')).toBe(md);
  });
});

describe('--output-file', () => {
  it('writes the report to the file (creating folders) and nothing to stdout', async () => {
    const dir = tmp();
    const r = await run(['test/fixtures/ci/formats/stack.yaml', '--format', 'sarif', '-o', join(dir, 'reports', 'deep', 'stowage.sarif')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const log = JSON.parse(readFileSync(join(dir, 'reports', 'deep', 'stowage.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toContain('elb/no-classic-load-balancer');
    const rel = await run(['stack.yaml', '--format', 'json', '--output-file', 'out/report.json'], { cwd: copy(FORMATS) });
    expect(rel.stdout).toBe('');
  });

  it('keeps notices on stderr and never colours the file', async () => {
    const dir = tmp();
    const r = await run(['test/fixtures/ci/formats/stack.yaml', 'test/fixtures/ci/formats/nope.yaml', '--no-error-on-unmatched-pattern', '--output-file', join(dir, 'out.txt')]);
    expect(r.stderr).toBe('stowage: no files match "test/fixtures/ci/formats/nope.yaml"\n');
    const text = readFileSync(join(dir, 'out.txt'), 'utf8');
    expect(text).toContain('elb/no-classic-load-balancer');
    expect(text).not.toMatch(/\u001b\[/);
  });
});

describe('--context', () => {
  it('models the whole folder but reports only the files named', async () => {
    const alone = await run([join(CROSS, 'reporting.describe.json'), '--format', 'json']);
    expect(rows(alone.stdout).filter((r) => r.includes('iam/separate-task-and-instance-roles'))).toEqual([]);
    const withCtx = await run([join(CROSS, 'reporting.describe.json'), '--context', CROSS, '--format', 'json']);
    expect(rows(withCtx.stdout).filter((r) => r.includes('iam/separate-task-and-instance-roles'))).toEqual(['reporting.describe.json 17:20 iam/separate-task-and-instance-roles']);
    // Only the named file is reported on: the template is context.
    const files = (JSON.parse(withCtx.stdout) as JsonResult[]).map((r) => r.filePath.split('/').pop());
    expect(files).toEqual(['reporting.describe.json']);
    expect(withCtx.code).toBe(1);
  });

  it('works for an editor buffer on stdin named after a file in the context', async () => {
    const text = readFileSync(join(CROSS, 'reporting.describe.json'), 'utf8');
    const r = await run(['-', '--stdin-filename', join(CROSS, 'reporting.describe.json'), '--context', CROSS, '--format', 'json'], { stdin: text });
    expect(rows(r.stdout)).toContain('reporting.describe.json 17:20 iam/separate-task-and-instance-roles');
    expect((JSON.parse(r.stdout) as JsonResult[]).map((x) => x.filePath)).toEqual([join(CROSS, 'reporting.describe.json')]);
  });

  it('rejects a context that is not a folder', async () => {
    const r = await run([join(CROSS, 'reporting.describe.json'), '--context', join(CROSS, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--context expects a directory');
  });
});

describe('stowage init', () => {
  it('writes a commented starter config that loads and validates', async () => {
    const dir = tmp();
    const r = await run(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`stowage: wrote ${join(dir, 'stowage.config.yaml')}\n`);
    const text = readFileSync(join(dir, 'stowage.config.yaml'), 'utf8');
    expect(text).toBe(STARTER_CONFIG);
    expect(text.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(5);
    const config = await loadConfig(dir);
    expect(config.path).toBe(join(dir, 'stowage.config.yaml'));
    expect(config).toMatchObject({ preset: 'recommended', rules: {}, ignorePatterns: [], overrides: [], plugins: [] });
    expect(config.notices).toEqual([]);
    // Each commented example, uncommented alone, loads; so do all of them together.
    const lines = text.split('\n');
    const keys = ['extends', 'rules', 'ignorePatterns', 'overrides', 'suppressions', 'plugins'];
    const examples: Array<[number, number]> = [];
    for (let i = 0; i < lines.length; i++) {
      if (!keys.some((k) => lines[i]!.startsWith(`# ${k}:`))) continue;
      let j = i + 1;
      while (j < lines.length && lines[j]!.startsWith('#   ')) j++;
      examples.push([i, j]);
      i = j - 1;
    }
    expect(examples.map(([i]) => lines[i])).toEqual(['# rules:', '# ignorePatterns:', '# overrides:', '# suppressions:', '# plugins:']);
    const uncomment = (blocks: Array<[number, number]>) =>
      lines.map((l, n) => (blocks.some(([i, j]) => n >= i && n < j) ? l.slice(2) : l)).join('\n');
    for (const block of examples) {
      writeFileSync(join(dir, 'stowage.config.yaml'), uncomment([block]));
      const one = await loadConfig(dir);
      expect(one.path).toBe(join(dir, 'stowage.config.yaml'));
    }
    writeFileSync(join(dir, 'stowage.config.yaml'), uncomment(examples));
    const full = await loadConfig(dir);
    expect(full.rules).toEqual({ 'elb/no-classic-load-balancer': 'error', 'iam/task-role-per-service': 'off' });
    expect(full.ignorePatterns).toEqual(['legacy/**']);
    expect(full.overrides.map((o) => o.files)).toEqual([['stacks/sandbox-*.yaml']]);
    expect(full.suppressions.map((x) => [x.files, x.rule, x.entity])).toEqual([[['stacks/legacy-*.yaml'], 'ecs/image-tag', 'LegacyTaskDefinition']]);
    // Found by search, the plugin example is not loaded (it is code): one notice, no error.
    expect(full.notices).toEqual(["plugins not loaded: pass --plugins to trust this repository's plugins"]);
    expect(full.plugins).toEqual([]);
    // And the project lints with it.
    const lint = await run(['.'], { cwd: dir });
    expect(lint.stderr).toBe("stowage: plugins not loaded: pass --plugins to trust this repository's plugins\n");
    expect(lint.code).toBe(0);
  });

  it('refuses to overwrite a config unless --force', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'stowage.config.yaml'), 'extends: all\n');
    const r = await run(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists; use --force');
    expect(readFileSync(join(dir, 'stowage.config.yaml'), 'utf8')).toBe('extends: all\n');
    expect((await run(['init', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'stowage.config.yaml'), 'utf8')).toBe(STARTER_CONFIG);
    const other = tmp();
    writeFileSync(join(other, 'stowage.config.json'), '{}');
    expect((await run(['init'], { cwd: other })).code).toBe(2);
    expect(existsSync(join(other, 'stowage.config.yaml'))).toBe(false);
  });
});

describe('progress', () => {
  const progressRun = (stderrIsTTY: boolean) => run([FORMATS, '--format', 'json'], { stderrIsTTY });

  it('shows files parsed / total on a terminal once the run is slow, and clears it', async () => {
    delete process.env.CI;
    process.env.STOWAGE_PROGRESS_DELAY_MS = '0';
    const r = await progressRun(true);
    expect(r.stderr).toContain('\r\u001b[2Kstowage: parsed 3/3 files; checking rules');
    expect(r.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(rows(r.stdout)).toContain('stack.yaml 5:11 elb/no-classic-load-balancer');
  });

  it('stays silent for a fast run, in pipes and in CI', async () => {
    delete process.env.CI;
    expect((await progressRun(true)).stderr).toBe(''); // under the 1 s default
    process.env.STOWAGE_PROGRESS_DELAY_MS = '0';
    expect((await progressRun(false)).stderr).toBe('');
    process.env.CI = 'true';
    expect((await progressRun(true)).stderr).toBe('');
  });
});

describe('bin/stowage.js (built, as a subprocess)', () => {
  it('writes SARIF to --output-file, prints nothing, and exits 1 on errors', () => {
    const dir = tmp();
    const out = join(dir, 'r', 'stowage.sarif');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', 'test/fixtures/ci/formats', '--format', 'sarif', '--output-file', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1); // the parse error in broken.yaml
    const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    const parse = log.runs[0]!.results.find((x) => x.ruleId === 'parse-error')!;
    expect(parse.locations[0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'test/fixtures/ci/formats/broken.yaml' }, region: { startLine: 7 } });
  });
});

function copy(dir: string): string {
  const d = tmp();
  cpSync(dir, d, { recursive: true });
  return d;
}

describe('action.yml (the GitHub Action)', () => {
  interface Step {
    name: string;
    id?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
    if?: string;
  }
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: Step[] };
  };
  const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

  it('is a composite action: setup-node, npm ci, stowage to SARIF, upload-sarif, gate', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((s) => s.uses ?? s.name)).toEqual(['actions/setup-node@v4', 'Install stowage', 'Run stowage', 'github/codeql-action/upload-sarif@v4', 'Gate']);
    expect(Object.keys(action.inputs)).toEqual(['paths', 'config', 'baseline', 'fail-on', 'upload-sarif', 'sarif-file', 'working-directory', 'node-version', 'allow-plugins']);
    expect(step('Upload SARIF to code scanning').with).toEqual({ sarif_file: '${{ steps.lint.outputs.sarif-file }}', category: 'stowage' });
    // Inputs reach the scripts only through the environment (no script injection).
    for (const s of action.runs.steps) expect(s.run ?? '').not.toContain('${{');
  });

  /** Run one of the action's bash steps as the runner would, with its env and the given inputs. */
  function runStep(name: string, env: Record<string, string>, cwd: string) {
    const out = join(tmp(), 'github-output');
    writeFileSync(out, '');
    const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step(name).run!], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: out, ...env },
    });
    const outputs = Object.fromEntries(
      readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
  }

  it('runs stowage with the inputs, writes SARIF and reports the exit code', () => {
    const dir = copy(FORMATS);
    const inputs = { STOWAGE_PATHS: 'stack.yaml\n  clean.yaml', STOWAGE_CONFIG: '', STOWAGE_BASELINE: '', STOWAGE_FAIL_ON: 'warning', STOWAGE_SARIF: 'out/stowage.sarif' };
    const r = runStep('Run stowage', inputs, dir);
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': join(dir, 'out', 'stowage.sarif') }); // a warning with fail-on: warning
    const log = JSON.parse(readFileSync(join(dir, 'out', 'stowage.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toContain('elb/no-classic-load-balancer');
    expect(runStep('Run stowage', { ...inputs, STOWAGE_FAIL_ON: 'error' }, dir).outputs['exit-code']).toBe('0');
    // A baseline of today's findings passes the gate.
    spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', 'stack.yaml', '--baseline', 'b.json', '--update-baseline'], { cwd: dir });
    expect(runStep('Run stowage', { ...inputs, STOWAGE_BASELINE: 'b.json' }, dir).outputs['exit-code']).toBe('0');
    // Globs work (stowage expands them).
    expect(runStep('Run stowage', { ...inputs, STOWAGE_PATHS: 'st*.yaml', STOWAGE_FAIL_ON: 'warning' }, dir).outputs['exit-code']).toBe('1');
    // In a subfolder of the repository, locations are made relative to the repository root.
    const repo = tmp();
    cpSync(FORMATS, join(repo, 'infra', 'cfn'), { recursive: true });
    const sub = runStep('Run stowage', { ...inputs, GITHUB_WORKSPACE: repo, STOWAGE_PATHS: 'stack.yaml' }, join(repo, 'infra', 'cfn'));
    const subLog = JSON.parse(readFileSync(sub.outputs['sarif-file']!, 'utf8')) as { runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(subLog.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['infra/cfn/stack.yaml']);
    expect(subLog.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${repo}/`);
    const bad = runStep('Run stowage', { ...inputs, STOWAGE_FAIL_ON: 'sometimes' }, dir);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain("::error title=stowage::fail-on must be error, warning or none, got 'sometimes'");
  });

  it('gates on the exit code according to fail-on', () => {
    const gate = (code: string, failOn: string) => runStep('Gate', { STOWAGE_CODE: code, STOWAGE_FAIL_ON: failOn }, tmp()).status;
    expect([gate('0', 'error'), gate('1', 'error'), gate('1', 'warning'), gate('1', 'none'), gate('2', 'none'), gate('', 'none')]).toEqual([0, 1, 1, 0, 2, 2]);
  });
});
