import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../src/cli/index.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const CLI = join(FIXTURES, 'cli');

async function run(args: string[], opts: { cwd?: string; stdin?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd: opts.cwd ?? CLI,
    isTTY: false,
    readStdin: () => opts.stdin ?? '',
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string; severity: number; level: string; line: number; column: number; endLine: number; endColumn: number; message: string; fatal?: boolean; entity?: string; k8sObject?: string }>;
  errorCount: number;
  warningCount: number;
}

async function json(args: string[], opts: { cwd?: string; stdin?: string } = {}) {
  const r = await run([...args, '--format', 'json'], opts);
  return { ...r, results: JSON.parse(r.stdout || '[]') as JsonResult[] };
}

const rows = (results: JsonResult[]) =>
  results.flatMap((r) => r.messages.map((m) => `${r.filePath.split('/').pop()} ${m.line}:${m.column} ${m.ruleId}`)).sort();

describe('lint output and exit codes', () => {
  it('prints ESLint-compatible JSON with levels, positions and entity names', async () => {
    const { code, results } = await json(['suppress/annotations.yaml']);
    expect(code).toBe(0); // warnings only
    expect(results).toHaveLength(1);
    const [m] = results[0]!.messages;
    expect(m).toMatchObject({ ruleId: 'elb/no-classic-load-balancer', severity: 1, level: 'warning', line: 15, column: 9, endLine: 15, endColumn: 21, k8sObject: 'Service/not-ignored' });
    expect(results[0]).toMatchObject({ errorCount: 0, warningCount: 1 });
  });

  it('stylish groups by file with line:col, level, message and rule id, and a summary', async () => {
    const { stdout } = await run(['suppress/annotations.yaml']);
    expect(stdout).toContain('suppress/annotations.yaml');
    expect(stdout).toMatch(/ {2}suppress\/annotations\.yaml:15:9 {2}warning {2}Service "not-ignored" .* {2}elb\/no-classic-load-balancer/);
    expect(stdout).toContain('⚠ 1 problem (0 errors, 1 warning)');
    expect(stdout).not.toMatch(/\u001b\[/); // no colour off a TTY
  });

  it('exits 1 on errors, and --rule changes severities', async () => {
    expect((await run(['suppress/annotations.yaml', '--rule', 'elb/no-classic-load-balancer=error'])).code).toBe(1);
    const off = await json(['suppress/annotations.yaml', '--rule', 'elb/no-classic-load-balancer=off']);
    expect(off.code).toBe(0);
    expect(rows(off.results)).toEqual([]);
  });

  it('--max-warnings turns too many warnings into exit 1; --quiet shows errors only', async () => {
    expect((await run(['suppress/annotations.yaml', '--max-warnings', '1'])).code).toBe(0);
    const over = await run(['suppress/annotations.yaml', '--max-warnings', '0']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('too many warnings (1)');
    const quiet = await json(['suppress/annotations.yaml', '--quiet']);
    expect(rows(quiet.results)).toEqual([]);
  });

  it('usage errors exit 2', async () => {
    expect((await run(['--format', 'nope', 'x.yaml'])).code).toBe(2);
    expect((await run(['x.yaml', '--rule', 'elb/no-classic-load-balancer=loud'])).code).toBe(2);
    const unknown = await run(['suppress', '--rule', 'no/such-rule=error']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown rule "no/such-rule"');
  });

  it('reads stdin with --stdin-filename', async () => {
    const text = readFileSync(join(CLI, 'suppress/annotations.yaml'), 'utf8');
    const { results } = await json(['-', '--stdin-filename', 'from-stdin.yaml'], { stdin: text });
    expect(rows(results)).toEqual(['from-stdin.yaml 15:9 elb/no-classic-load-balancer']);
  });

  it('gives a one-line notice for an explicitly named file that is none of our formats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-cli-'));
    writeFileSync(join(dir, 'values.yaml'), 'replicaCount: 2\nimage: web\n');
    writeFileSync(join(dir, 'notes.json'), '{"hello": "world"}');
    const named = await run(['values.yaml'], { cwd: dir });
    expect(named.code).toBe(0);
    expect(named.stderr.trim()).toBe('stowage: values.yaml: not a CloudFormation template, ECS task definition, Kubernetes manifest or eksctl config; skipped'.replace('values.yaml:', `${join(dir, 'values.yaml')}:`));
    const walked = await run(['.'], { cwd: dir });
    expect(walked.stderr).toBe('');
  });

  it('stowage rules lists every rule with severity, description and docs URL', async () => {
    const { code, stdout } = await run(['rules', '--format', 'json']);
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as Array<{ id: string; severity: string; description: string; docs: string }>;
    expect(list.map((r) => r.id)).toContain('elb/no-classic-load-balancer');
    for (const r of list) {
      expect(r.docs).toBe(`https://github.com/stowage-dev/stowage/blob/main/docs/rules/${r.id}.md`);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(r.description.length).toBeGreaterThan(10);
    }
  });
});

describe('suppressions', () => {
  it('honours next-line and same-line comments, and only for the named rule', async () => {
    const { results } = await json(['suppress/comments.yaml']);
    expect(rows(results)).toEqual(['comments.yaml 11:11 elb/no-classic-load-balancer']);
  });

  it('honours a file-wide comment', async () => {
    const { results } = await json(['suppress/file-wide.yaml']);
    expect(rows(results)).toEqual([]);
  });

  it('honours CloudFormation Metadata stowage.ignore', async () => {
    const { results } = await json(['suppress/metadata.json']);
    expect(rows(results)).toEqual(['metadata.json 8:15 elb/no-classic-load-balancer']);
  });

  it('honours the stowage.dev/ignore annotation', async () => {
    const { results } = await json(['suppress/annotations.yaml']);
    expect(rows(results)).toEqual(['annotations.yaml 15:9 elb/no-classic-load-balancer']);
  });

  it('--report-unused-disable-directives reports suppressions that matched nothing', async () => {
    const { results, code } = await json(['suppress/comments.yaml', 'suppress/metadata.json', '--report-unused-disable-directives']);
    expect(code).toBe(0); // unused directives are warnings, as in ESLint
    expect(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'unused-disable-directive').map((m) => m.level))).toEqual(['warning', 'warning']);
    expect(rows(results)).toEqual([
      'comments.yaml 10:5 unused-disable-directive',
      'comments.yaml 11:11 elb/no-classic-load-balancer',
      'metadata.json 8:15 elb/no-classic-load-balancer',
      'metadata.json 9:44 unused-disable-directive',
    ]);
    expect(results[0]!.messages[0]!.message).toBe("Unused stowage-disable directive (no problems were reported from 'iam/task-role-per-service').");
  });
});

describe('configuration', () => {
  const project = join(CLI, 'config-project');

  it('is found upward from the working directory; rules, ignorePatterns and overrides apply', async () => {
    const { results, code } = await json(['.'], { cwd: join(project, 'templates') });
    expect(code).toBe(1);
    expect(rows(results)).toEqual(['web.yaml 3:11 elb/no-classic-load-balancer']);
    expect(results.find((r) => r.filePath.endsWith('/web.yaml'))!.messages[0]!.level).toBe('error');
    const all = await json(['.'], { cwd: project });
    expect(rows(all.results)).toEqual(['web.yaml 3:11 elb/no-classic-load-balancer']); // ignored/ is skipped
  });

  it('--config names the file; an invalid value is reported at its line and column, exit 2', async () => {
    const bad = await run(['--config', join(CLI, 'bad-config', 'stowage.config.yaml'), 'suppress']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`stowage: ${join(CLI, 'bad-config', 'stowage.config.yaml')}:2:33: "rules.elb/no-classic-load-balancer" must be one of off, info, warning, error (did you mean "warning"?)\n`);
  });

  it('reports an unknown key at its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-cfg-'));
    writeFileSync(join(dir, 'stowage.config.json'), '{\n  "rules": {},\n  "ignore": ["x"]\n}\n');
    const r = await run(['.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`stowage: ${join(dir, 'stowage.config.json')}:3:3: unknown key "ignore" (allowed: extends, rules, ignorePatterns, overrides, suppressions, plugins)\n`);
  });

  it('a plugin rule that throws is an internal error (exit 2) and the other findings are still printed', async () => {
    const { code, results } = await json(['web.yaml', '--plugins'], { cwd: join(CLI, 'plugin-project') });
    expect(code).toBe(2);
    const msgs = results[0]!.messages;
    expect(msgs.map((m) => m.ruleId).sort()).toEqual(['elb/no-classic-load-balancer', 'test/throws']);
    const fatal = msgs.find((m) => m.ruleId === 'test/throws')!;
    expect(fatal.fatal).toBe(true);
    expect(fatal.message).toBe('Internal error in rule test/throws: boom');
  });
});

describe('docs/custom-rules.md', () => {
  it('runs its worked example as written', async () => {
    const md = readFileSync(join(ROOT, 'docs', 'custom-rules.md'), 'utf8');
    const blocks = [...md.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
    const plugin = blocks.find((b) => b.lang === 'js')!.body;
    const [config, template] = blocks.filter((b) => b.lang === 'yaml').map((b) => b.body);
    const expected = blocks.find((b) => b.lang === '')!.body.trim();
    const dir = mkdtempSync(join(tmpdir(), 'stowage-plugin-'));
    const pluginPath = join(dir, 'stowage-rules', 'cost-center.mjs');
    mkdirSync(dirname(pluginPath), { recursive: true });
    writeFileSync(pluginPath, plugin);
    writeFileSync(join(dir, 'stowage.config.yaml'), config!);
    writeFileSync(join(dir, 'service.yaml'), template!);
    const command = [...md.matchAll(/`stowage lint ([^`]+)` then reports/g)].map((m) => m[1]!.split(' '))[0]!;
    expect(command).toEqual(['--plugins', 'service.yaml']);
    const r = await run(command, { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').slice(0, 2).join('\n')).toBe(expected);
  });
});

describe('bin/stowage.js (built, as a subprocess)', () => {
  it('lints the examples and exits 1 with findings', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'stowage.js'), 'lint', 'examples/', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const results = JSON.parse(r.stdout) as JsonResult[];
    expect(results.length).toBe(3);
    expect(results.every((x) => x.messages.every((m) => !m.fatal))).toBe(true);
  });
});
