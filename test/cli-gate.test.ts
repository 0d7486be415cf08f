/**
 * The CLI as a CI gate that must not pass by mistake: inputs that match nothing, mistyped
 * commands, --stdin-filename, unwritable --output-file targets, `stowage rules` and the help, and
 * the GitHub Action's logic (scripts/github-action.mjs) with a fake stowage.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main, mistypedCommand, type Io } from '../src/cli/index.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const FORMATS = join(FIXTURES, 'ci', 'formats');
const STACK = readFileSync(join(FORMATS, 'stack.yaml'), 'utf8');
const BIN = join(ROOT, 'bin', 'stowage.js');

async function run(args: string[], opts: { cwd?: string; stdin?: string } = {}) {
  let stdout = '';
  let stderr = '';
  let stdinRead = false;
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd: opts.cwd ?? ROOT,
    isTTY: false,
    readStdin: () => {
      stdinRead = true;
      return opts.stdin ?? '';
    },
  };
  const code = await main(args, io);
  return { code, stdout, stderr, stdinRead };
}

/** The built CLI as a subprocess, killed after 30 s (a hang is a failure, not a stuck suite). */
function spawnCli(args: string[], cwd: string, extra: { uid?: number; gid?: number } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, ...extra });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'stowage-gate-'));

/** A project folder: stack.yaml (one warning, elb/no-classic-load-balancer) and whatever else is given. */
function project(files: Record<string, string> = {}): string {
  const dir = tmp();
  writeFileSync(join(dir, 'stack.yaml'), STACK);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const files = (stdout: string) => (JSON.parse(stdout) as Array<{ filePath: string }>).map((r) => r.filePath).sort();

describe('inputs that match nothing', () => {
  it('a glob that matches nothing is a usage error, and nothing is linted', async () => {
    const dir = project();
    const r = await run(['stack.yaml', 'infra/**/*.yaml', '--format', 'json'], { cwd: dir });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'stowage: no files match "infra/**/*.yaml"\n' });
  });

  it('a missing file, a dangling link and a folder with no lintable file are usage errors too', async () => {
    const dir = project({ 'docs/README.md': '# docs\n', 'docs/notes.txt': 'x\n' });
    mkdirSync(join(dir, 'empty'));
    symlinkSync('nowhere.yaml', join(dir, 'dangling.yaml'));
    const r = await run(['stack.yaml', 'nope.yaml', 'dangling.yaml', 'docs', 'empty'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(['nope.yaml', 'dangling.yaml', 'docs', 'empty'].map((p) => `stowage: no files match "${p}"\n`).join(''));
  });

  it('no path lints the working folder, which then must hold something to lint', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'notes.txt'), 'x\n');
    expect(await run([], { cwd: dir })).toMatchObject({ code: 2, stdout: '', stderr: 'stowage: no files match "."\n' });
  });

  it('a folder whose files are all git-ignored matches nothing', async () => {
    const dir = project({ 'gen/.gitignore': '*.yaml\n', 'gen/out.yaml': STACK });
    expect(await run(['gen'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'stowage: no files match "gen"\n' });
  });

  it('--no-error-on-unmatched-pattern makes it a notice and the run goes on', async () => {
    const dir = project();
    const r = await run(['stack.yaml', 'infra/**/*.yaml', 'nope.yaml', '--no-error-on-unmatched-pattern', '--format', 'json', '--max-warnings', '0'], { cwd: dir });
    expect(r.code).toBe(1); // the warning in stack.yaml, over --max-warnings 0: stack.yaml was linted
    expect(files(r.stdout)).toEqual([join(dir, 'stack.yaml')]);
    expect(r.stderr).toBe('stowage: no files match "infra/**/*.yaml"\nstowage: no files match "nope.yaml"\nstowage: too many warnings (1); maximum allowed is 0\n');
  });

  it('inputs that match something still lint as before (a glob, a folder, a file)', async () => {
    const dir = project({ 'k8s/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: ClusterIP }\n' });
    const r = await run(['*.yaml', 'k8s', 'stack.yaml', '--format', 'json'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(files(r.stdout)).toEqual([join(dir, 'k8s', 'svc.yaml'), join(dir, 'stack.yaml')]);
  });
});

describe('a mistyped command', () => {
  it('is a usage error with a did-you-mean, not a lint of the other arguments', async () => {
    const dir = project();
    expect(await run(['lnt', '.'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'stowage: unknown command "lnt" (did you mean "lint"?)\n', stdinRead: false });
    expect((await run(['rule'], { cwd: dir })).stderr).toBe('stowage: unknown command "rule" (did you mean "rules"?)\n');
    expect((await run(['inti', '--force'], { cwd: dir })).stderr).toBe('stowage: unknown command "inti" (did you mean "init"?)\n');
    expect(existsSync(join(dir, 'stowage.config.yaml'))).toBe(false);
  });

  it('a first argument that exists, or looks like a path or glob, is a path', async () => {
    const dir = project();
    mkdirSync(join(dir, 'lnt'));
    writeFileSync(join(dir, 'lnt', 'stack.yaml'), STACK);
    const named = await run(['lnt', '--format', 'json'], { cwd: dir });
    expect(named.code).toBe(0);
    expect(files(named.stdout)).toEqual([join(dir, 'lnt', 'stack.yaml')]);
    const path = await run(['stack.yaml', '--format', 'json'], { cwd: dir });
    expect(files(path.stdout)).toEqual([join(dir, 'stack.yaml')]);
    // Words with a dot, a slash or a glob character are paths even when missing.
    for (const arg of ['lint.yaml', './lnt2', 'lnt*']) expect(mistypedCommand([arg], dir)).toBeUndefined();
    // A bare word far from every command is a path (that here matches nothing).
    expect(await run(['infra'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'stowage: no files match "infra"\n' });
    // After the command name, a word is always a path.
    expect(await run(['lint', 'lnt2'], { cwd: dir })).toMatchObject({ code: 2, stderr: 'stowage: no files match "lnt2"\n' });
  });
});

describe('--stdin-filename', () => {
  it('without a path reads stdin (as if - were given), never the working folder', async () => {
    const dir = project();
    const r = await run(['--stdin-filename', 'services/lb.yaml', '--format', 'json'], { cwd: dir, stdin: STACK });
    expect(r.stdinRead).toBe(true);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>;
    expect(results.map((x) => [x.filePath, x.messages.map((m) => `${m.line} ${m.ruleId}`)])).toEqual([[join(dir, 'services', 'lb.yaml'), ['5 elb/no-classic-load-balancer']]]);
  });

  it('with paths but no - is a usage error', async () => {
    const dir = project();
    expect(await run(['stack.yaml', '--stdin-filename', 'x.yaml'], { cwd: dir, stdin: STACK })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'stowage: --stdin-filename names the text read from stdin; add - to the paths to lint stdin (or drop --stdin-filename)\n',
      stdinRead: false,
    });
  });
});

describe('--output-file to a character device', () => {
  it('-o /dev/null is written (and discarded), as in ESLint', async () => {
    const dir = project();
    const r = await run(['stack.yaml', '-f', 'json', '-o', '/dev/null'], { cwd: dir });
    expect([r.code === 2, r.stdout, r.stderr]).toEqual([false, '', '']);
  });
});

describe('--update-baseline to a file that cannot be written', () => {
  it('is a usage error with a plain message, never an internal error or a hang', async () => {
    const dir = project();
    mkdirSync(join(dir, 'base'));
    const folder = await run(['stack.yaml', '--baseline', 'base', '--update-baseline'], { cwd: dir });
    expect([folder.code, folder.stdout, folder.stderr]).toEqual([2, '', `stowage: cannot write baseline to ${join(dir, 'base')}: is a directory\n`]);
    const proc = await run(['stack.yaml', '--baseline', '/proc/stowage/base.json', '--update-baseline'], { cwd: dir });
    expect([proc.code, proc.stderr]).toEqual([2, 'stowage: cannot write baseline to /proc/stowage/base.json: cannot create a folder in /proc\n']);
    const made = await run(['stack.yaml', '--baseline', 'b/base.json', '--update-baseline'], { cwd: dir });
    expect(made.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'b', 'base.json'), 'utf8')).version).toBe(1);
  });
});

describe('--output-file that cannot be written', () => {
  it('a directory is a usage error with a plain message', async () => {
    const dir = project();
    mkdirSync(join(dir, 'out'));
    expect(await run(['stack.yaml', '-o', 'out'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: `stowage: cannot write report to ${join(dir, 'out')}: is a directory\n`, stdinRead: false });
  });

  it('a parent that is a file is a usage error; a missing parent folder is created', async () => {
    const dir = project();
    expect((await run(['stack.yaml', '-o', 'stack.yaml/r.json'], { cwd: dir })).stderr).toBe(`stowage: cannot write report to ${join(dir, 'stack.yaml', 'r.json')}: a parent of it is not a directory\n`);
    const made = await run(['stack.yaml', '-f', 'json', '-o', 'a/b/c/r.json'], { cwd: dir });
    expect(made).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(files(readFileSync(join(dir, 'a', 'b', 'c', 'r.json'), 'utf8'))).toEqual([join(dir, 'stack.yaml')]);
    expect(readdirSync(join(dir, 'a', 'b', 'c'))).toEqual(['r.json']); // no temporary file left
  });

  it('replaces an existing report, and writes through a symbolic link (which stays a link)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    expect((await run(['stack.yaml', '-f', 'json', '-o', 'link.json'], { cwd: dir })).code).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe('real.json');
    expect(files(readFileSync(join(dir, 'real.json'), 'utf8'))).toEqual([join(dir, 'stack.yaml')]);
  });

  it.runIf(process.platform !== 'win32')('a FIFO is refused rather than blocking the run', () => {
    const dir = project();
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
    const r = spawnCli(['lint', 'stack.yaml', '-o', 'pipe'], dir);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `stowage: cannot write report to ${join(dir, 'pipe')}: not a regular file\n`, timedOut: false });
  });

  it.runIf(process.platform === 'linux')('paths under /proc end in a plain message, never a hang', () => {
    const dir = project();
    // An existing /proc file is never opened for writing: the report goes to a new file beside it.
    expect(spawnCli(['lint', 'stack.yaml', '-o', '/proc/version'], dir)).toEqual({ code: 2, stdout: '', stderr: 'stowage: cannot write report to /proc/version: cannot create a file in /proc\n', timedOut: false });
    // Node's recursive mkdir spun forever here.
    expect(spawnCli(['lint', 'stack.yaml', '-o', '/proc/stowage/r.sarif'], dir)).toEqual({ code: 2, stdout: '', stderr: 'stowage: cannot write report to /proc/stowage/r.sarif: cannot create a folder in /proc\n', timedOut: false });
  });

  it.runIf(process.platform !== 'win32')('a read-only folder is a usage error (run as an unprivileged user when root)', async () => {
    const dir = project();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o555);
    const expected = `stowage: cannot write report to ${join(dir, 'ro', 'r.sarif')}: permission denied\n`;
    if (process.getuid!() === 0) {
      const r = spawnCli(['lint', 'stack.yaml', '-o', 'ro/r.sarif'], dir, { uid: 65534, gid: 65534 });
      expect(r).toEqual({ code: 2, stdout: '', stderr: expected, timedOut: false });
    } else {
      expect(await run(['stack.yaml', '-o', 'ro/r.sarif'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: expected, stdinRead: false });
    }
  });
});

describe('stowage rules and the help', () => {
  it('lists rules sorted by id, plugin rules included, with full docs URLs', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'stowage.config.yaml'), 'plugins:\n  - ./first.mjs\n');
    writeFileSync(
      join(dir, 'first.mjs'),
      "export default { rules: [{ id: 'aaa/first', severity: 'info', description: 'Sorts first.', docs: 'https://example.com/first', check() {} }, { id: 'zzz/last', severity: 'info', description: 'Sorts last.', check() {} }] };\n",
    );
    const r = await run(['rules', '--format', 'json', '--config', join(dir, 'stowage.config.yaml')], { cwd: dir });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; docs: string }>;
    const ids = list.map((x) => x.id);
    expect(ids).toEqual([...ids].sort());
    expect(list[0]).toMatchObject({ id: 'aaa/first', docs: 'https://example.com/first' });
    // A plugin rule without docs points at its module.
    expect(list.at(-1)).toMatchObject({ id: 'zzz/last', docs: `file://${join(dir, 'first.mjs')}` });
    expect(list.find((x) => x.id === 'ecs/no-privileged')!.docs).toBe('https://github.com/stowage-dev/stowage/blob/main/docs/rules/ecs/no-privileged.md');
    const text = await run(['rules', '--config', join(dir, 'stowage.config.yaml')], { cwd: dir });
    const textIds = text.stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(' ')[0]);
    expect(textIds).toEqual(ids);
    expect(text.stdout).toContain('https://github.com/stowage-dev/stowage/blob/main/docs/rules/capacity/managed-scaling.md\n');
  });

  it('--help and lint --help show examples, the exit codes and the config file names', async () => {
    for (const args of [['--help'], ['lint', '--help']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('\nExamples:\n');
      expect(r.stdout).toContain(
        [
          'Exit codes:',
          '  0  no error-level findings, and warnings within --max-warnings',
          '  1  error-level findings, or more warnings than --max-warnings',
          '  2  usage, configuration or internal error',
        ].join('\n'),
      );
      expect(r.stdout).toContain('Config: stowage.config.yaml, stowage.config.yml, stowage.config.json, searched');
    }
    const lint = await run(['lint', '--help']);
    expect(lint.stdout).toContain('--no-error-on-unmatched-pattern');
    expect(lint.stdout).toContain('cat task.json | stowage lint --stdin-filename services/api/task.json');
  });
});

describe('the GitHub Action (action.yml and scripts/github-action.mjs)', () => {
  interface Step {
    name: string;
    uses?: string;
    run?: string;
    if?: string;
    env?: Record<string, string>;
  }
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string; description: string }>; runs: { steps: Step[] } };
  const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

  /**
   * A copy of the action with a fake stowage: it records its arguments, writes $FAKE_SARIF (if
   * set) to the --output-file path, and exits $FAKE_CODE.
   */
  function fakeAction(): string {
    const dir = tmp();
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'bin'));
    cpSync(join(ROOT, 'scripts', 'github-action.mjs'), join(dir, 'scripts', 'github-action.mjs'));
    writeFileSync(
      join(dir, 'bin', 'stowage.js'),
      `const fs = require('fs');
const args = process.argv.slice(2);
fs.writeFileSync(process.env.FAKE_ARGS, JSON.stringify({ args, allowPluginsEnv: process.env.STOWAGE_ALLOW_PLUGINS ?? null }));
if (process.env.FAKE_SARIF) fs.writeFileSync(args[args.indexOf('--output-file') + 1], process.env.FAKE_SARIF);
process.exit(Number(process.env.FAKE_CODE));
`,
    );
    return dir;
  }

  const INPUTS = { STOWAGE_PATHS: '.', STOWAGE_CONFIG: '', STOWAGE_BASELINE: '', STOWAGE_FAIL_ON: 'error', STOWAGE_SARIF: 'stowage.sarif', STOWAGE_ACTION_ALLOW_PLUGINS: 'false' };

  /** Runs a step's bash script as the runner would, against the fake action. */
  function runStep(name: string, env: Record<string, string>, cwd: string, actionPath = fakeAction()) {
    const out = join(tmp(), 'github-output');
    writeFileSync(out, '');
    const argsFile = join(tmp(), 'args.json');
    const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', step(name).run!], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_ACTION_PATH: actionPath, GITHUB_OUTPUT: out, GITHUB_WORKSPACE: cwd, FAKE_ARGS: argsFile, ...env },
    });
    const outputs = Object.fromEntries(
      readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const seen = existsSync(argsFile) ? (JSON.parse(readFileSync(argsFile, 'utf8')) as { args: string[]; allowPluginsEnv: string | null }) : undefined;
    return { status: r.status, stdout: r.stdout, outputs, args: seen?.args, allowPluginsEnv: seen?.allowPluginsEnv };
  }

  const sarif = (results: unknown[]) => JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'stowage' } }, originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///x/' } }, results }] });
  const at = (uri: string) => ({ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } });
  const UPLOAD_ERROR = '::error title=stowage::stowage exited with code 2 (a usage, configuration or internal error; see the log above); the SARIF report is not uploaded, so existing code scanning alerts stay as they are\n';

  it('exit 2 fails the step and sets no sarif-file, even when stowage wrote an (empty) report', () => {
    for (const fake of [sarif([]), '']) {
      const dir = tmp();
      const r = runStep('Run stowage', { ...INPUTS, FAKE_CODE: '2', FAKE_SARIF: fake }, dir);
      expect(r.status).toBe(2);
      expect(r.outputs).toEqual({ 'exit-code': '2' });
      expect(r.stdout).toBe(UPLOAD_ERROR);
    }
    // The upload step runs only with a sarif-file and an exit code of 0 or 1.
    expect(step('Upload SARIF to code scanning').if).toBe(
      "${{ always() && inputs.upload-sarif == 'true' && steps.lint.outputs.sarif-file != '' && (steps.lint.outputs.exit-code == '0' || steps.lint.outputs.exit-code == '1') }}",
    );
  });

  it('a stale report from an earlier run is removed, never uploaded as this one', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'stowage.sarif'), sarif([{ ruleId: 'old', locations: [at('a.yaml')] }]));
    const r = runStep('Run stowage', { ...INPUTS, FAKE_CODE: '2', FAKE_SARIF: '' }, dir);
    expect(r.outputs).toEqual({ 'exit-code': '2' });
    expect(existsSync(join(dir, 'stowage.sarif'))).toBe(false);
  });

  it('exit 0 or 1 without a readable SARIF report is a failure too', () => {
    const dir = tmp();
    const r = runStep('Run stowage', { ...INPUTS, FAKE_CODE: '0', FAKE_SARIF: '' }, dir);
    expect(r.status).toBe(2);
    expect(r.outputs).toEqual({ 'exit-code': '2' });
    expect(r.stdout).toBe(`::error title=stowage::stowage exited with code 0 but stowage.sarif is not a SARIF report\n${UPLOAD_ERROR}`);
  });

  it('exit 1 with a report passes the step (the gate decides) and sets sarif-file', () => {
    const dir = tmp();
    const r = runStep('Run stowage', { ...INPUTS, FAKE_CODE: '1', FAKE_SARIF: sarif([{ ruleId: 'x', locations: [at('a.yaml')] }]) }, dir);
    expect(r).toMatchObject({ status: 0, stdout: '', outputs: { 'exit-code': '1', 'sarif-file': join(dir, 'stowage.sarif') } });
    expect(r.args).toEqual(['lint', '--format', 'sarif', '--output-file', join(dir, 'stowage.sarif'), '--no-plugins', '--', '.']);
  });

  it('passes the inputs as arguments: paths split, globs unexpanded, --plugins only with allow-plugins: true', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), '');
    const env = { ...INPUTS, FAKE_CODE: '0', FAKE_SARIF: sarif([]), STOWAGE_PATHS: ' infra/\n  *.yaml\tcdk.out \n', STOWAGE_CONFIG: 'c.yaml', STOWAGE_BASELINE: 'b.json', STOWAGE_FAIL_ON: 'warning', STOWAGE_SARIF: 'r/s.sarif' };
    const base = ['lint', '--format', 'sarif', '--output-file', join(dir, 'r', 's.sarif'), '--config', 'c.yaml', '--baseline', 'b.json', '--max-warnings', '0'];
    expect(runStep('Run stowage', env, dir).args).toEqual([...base, '--no-plugins', '--', 'infra/', '*.yaml', 'cdk.out']);
    expect(runStep('Run stowage', { ...env, STOWAGE_ACTION_ALLOW_PLUGINS: 'true' }, dir).args).toEqual([...base, '--plugins', '--', 'infra/', '*.yaml', 'cdk.out']);
    const bad = runStep('Run stowage', { ...env, STOWAGE_ACTION_ALLOW_PLUGINS: 'yes' }, dir);
    expect(bad).toMatchObject({ status: 2, stdout: "::error title=stowage::allow-plugins must be true or false, got 'yes'\n", outputs: { 'exit-code': '2' }, args: undefined });
    expect(action.inputs['allow-plugins']!.default).toBe('false');
    // A job-wide STOWAGE_ALLOW_PLUGINS=1 does not get around allow-plugins: false.
    const jobWide = runStep('Run stowage', { ...env, STOWAGE_ALLOW_PLUGINS: '1' }, dir);
    expect([jobWide.args, jobWide.allowPluginsEnv]).toEqual([[...base, '--no-plugins', '--', 'infra/', '*.yaml', 'cdk.out'], null]);
    expect(step('Run stowage').env!.STOWAGE_ACTION_ALLOW_PLUGINS).toBe('${{ inputs.allow-plugins }}');
  });

  it('in a subfolder, rewrites locations and related locations relative to the repository root', () => {
    const repo = tmp();
    const sub = join(repo, 'infra', 'cdk app');
    mkdirSync(sub, { recursive: true });
    const fake = sarif([
      { ruleId: 'x', locations: [at('lib/stack.ts')], relatedLocations: [{ id: 1, ...at('cdk.out/App.template.json') }] },
      { ruleId: 'y', locations: [at('../shared/task.json')], relatedLocations: [at('../../../outside.yaml')] },
    ]);
    const r = runStep('Run stowage', { ...INPUTS, FAKE_CODE: '1', FAKE_SARIF: fake, GITHUB_WORKSPACE: repo }, sub);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': join(sub, 'stowage.sarif') });
    const log = JSON.parse(readFileSync(join(sub, 'stowage.sarif'), 'utf8')) as {
      runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; results: Array<{ locations: ReturnType<typeof at>[]; relatedLocations: ReturnType<typeof at>[] }> }>;
    };
    const uris = log.runs[0]!.results.map((x) => [...x.locations, ...x.relatedLocations].map((l) => l.physicalLocation.artifactLocation.uri));
    expect(uris).toEqual([
      ['infra/cdk%20app/lib/stack.ts', 'infra/cdk%20app/cdk.out/App.template.json'],
      ['infra/shared/task.json', '../../../outside.yaml'],
    ]);
    expect(log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${repo}/`);
  });

  it('the gate fails on exit 2 whatever fail-on says, and when stowage did not run', () => {
    const gate = (code: string, failOn: string) => runStep('Gate', { STOWAGE_CODE: code, STOWAGE_FAIL_ON: failOn }, tmp());
    expect([gate('0', 'error'), gate('1', 'error'), gate('1', 'warning'), gate('1', 'none'), gate('2', 'none'), gate('', 'none')].map((g) => g.status)).toEqual([0, 1, 1, 0, 2, 2]);
    expect(gate('', 'error').stdout).toBe('::error title=stowage::stowage did not run (see the steps above)\n');
    expect(gate('1', 'error').stdout).toBe('::error title=stowage::stowage found error-level findings\n');
  });

  it('with the real stowage: a glob that matches nothing fails the step and uploads nothing', () => {
    const dir = project();
    const r = runStep('Run stowage', { ...INPUTS, STOWAGE_PATHS: 'infra/**/*.yaml' }, dir, ROOT);
    expect(r).toMatchObject({ status: 2, outputs: { 'exit-code': '2' } });
    expect(existsSync(join(dir, 'stowage.sarif'))).toBe(false);
  });

  it('the README workflow builds cdk.out before linting it, and docs describe every input', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```yaml\n(# \.github\/workflows\/stowage\.yml\n[\s\S]*?)```/.exec(readme)![1]!;
    const steps = (parseYaml(block) as { jobs: { lint: { steps: Array<{ uses?: string; run?: string; with?: { paths?: string } }> } } }).jobs.lint.steps;
    const synth = steps.findIndex((s) => /\bnpx cdk synth\b/.test(s.run ?? ''));
    const lint = steps.findIndex((s) => (s.uses ?? '').startsWith('stowage-dev/stowage@'));
    expect(synth).toBeGreaterThan(-1);
    expect(lint).toBeGreaterThan(synth);
    expect(steps[lint]!.with!.paths).toContain('cdk.out');
    const doc = readFileSync(join(ROOT, 'docs', 'github-action.md'), 'utf8');
    for (const input of Object.keys(action.inputs)) expect(doc).toContain(`| \`${input}\` |`);
  });
});
