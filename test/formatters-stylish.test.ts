/** stylish: clickable locations, rule ids linked to their docs (OSC 8) where the terminal can, the summary's symbol. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/index.js';
import { defaultConfig } from '../src/engine/config.js';
import { discover } from '../src/engine/discover.js';
import { lint, type FileResult } from '../src/engine/lint.js';
import { defineRule, type Rule } from '../src/engine/rule.js';
import { FORMATTERS, type FormatContext } from '../src/formatters/index.js';
import { hyperlinksEnabled, osc8, safeUrl } from '../src/formatters/terminal.js';
import { builtinRules } from '../src/rules/index.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const DIR = join(FIXTURES, 'ci', 'formats');
const note = defineRule({
  id: 'test/note',
  severity: 'info',
  description: 'Reports every resource type.',
  docs: 'https://example.com/docs/note',
  check({ model, file, report }) {
    for (const t of model.all.templates) if (t.file === file) for (const r of t.resources.values()) report(r.node.get('Type')!, 'A note about this type.');
  },
});
const clb = builtinRules.find((r) => r.id === 'elb/no-classic-load-balancer')!;
const RULES: Rule[] = [clb, note];
const CLB_DOCS = 'https://github.com/stowage-dev/stowage/blob/main/docs/rules/elb/no-classic-load-balancer.md';

function run(rules = RULES): FileResult[] {
  return lint(
    discover([DIR], ROOT).files.map((f) => ({ path: f.path, explicit: false })),
    { rules, config: defaultConfig(ROOT) },
  ).results;
}

const stylish = (results: FileResult[], ctx: Partial<FormatContext> = {}) => FORMATTERS.stylish!(results, { cwd: ROOT, color: false, rules: RULES, env: {}, ...ctx });
const OSC8 = '\u001b]8;;';
const rel = (name: string) => `test/fixtures/ci/formats/${name}`;

describe('stylish', () => {
  it('groups by file and starts each finding with path:line:col relative to the working directory, aligned per file', () => {
    const results = run();
    const clbMessage = results[2]!.findings[0]!.message;
    expect(stylish(results).split('\n')).toEqual([
      '',
      rel('broken.yaml'),
      `  ${rel('broken.yaml')}:7:1  error  Flow sequence in block collection must be sufficiently indented and end with a ]  parse-error`,
      '',
      rel('stack.yaml'),
      `  ${rel('stack.yaml')}:5:11  warning  ${clbMessage}  elb/no-classic-load-balancer`,
      `  ${rel('stack.yaml')}:5:11  info     A note about this type.  test/note`,
      '',
      '✖ 3 problems (1 error, 1 warning, 1 info)',
      '',
    ]);
    // Relative to another working directory.
    expect(stylish(results, { cwd: DIR }).split('\n')[2]).toBe('  broken.yaml:7:1  error  Flow sequence in block collection must be sufficiently indented and end with a ]  parse-error');
  });

  it('pads locations of different widths so levels line up', () => {
    const [r] = run().filter((x) => x.path.endsWith('stack.yaml'));
    const f = r!.findings[0]!;
    const lines = stylish([{ ...r!, findings: [{ ...f, line: 5, column: 11 }, { ...f, line: 123, column: 45 }] }]).split('\n');
    expect(lines[2]).toMatch(new RegExp(`^ {2}${rel('stack.yaml')}:5:11 {4}warning {2}`));
    expect(lines[3]).toMatch(new RegExp(`^ {2}${rel('stack.yaml')}:123:45 {2}warning {2}`));
  });

  it("the summary's symbol and colour follow the highest severity: an info-only run shows no red cross", () => {
    const results = run();
    const keep = (s: string) => results.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === s) }));
    const summary = (rs: FileResult[], color: boolean) => stylish(rs, { color }).trimEnd().split('\n').pop();
    expect(summary(keep('info'), false)).toBe('ℹ 1 problem (0 errors, 0 warnings, 1 info)');
    expect(summary(keep('warning'), false)).toBe('⚠ 1 problem (0 errors, 1 warning)');
    expect(summary(keep('error'), false)).toBe('✖ 1 problem (1 error, 0 warnings)');
    expect(summary(keep('info'), true)).toBe('\u001b[34m\u001b[1mℹ 1 problem (0 errors, 0 warnings, 1 info)\u001b[22m\u001b[39m');
    expect(summary(keep('warning'), true)).toBe('\u001b[33m\u001b[1m⚠ 1 problem (0 errors, 1 warning)\u001b[22m\u001b[39m');
    expect(summary(results, true)).toBe('\u001b[31m\u001b[1m✖ 3 problems (1 error, 1 warning, 1 info)\u001b[22m\u001b[39m');
    expect(stylish(keep('none'))).toBe('');
  });

  it('links each rule id to its docs page with OSC 8 on a terminal that renders links', () => {
    const out = stylish(run(), { color: true, env: { TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.90.2' } });
    expect(out).toContain(osc8(CLB_DOCS, '\u001b[2melb/no-classic-load-balancer\u001b[22m'));
    expect(out).toContain(osc8('https://example.com/docs/note', '\u001b[2mtest/note\u001b[22m'));
    // parse-error has no docs page: no link.
    expect(out).toContain('  \u001b[2mparse-error\u001b[22m');
    expect(out.split(OSC8).length - 1).toBe(4); // two links, each opened and closed
  });

  it('never links without colour (files, pipes) or in CI, unless FORCE_HYPERLINK says so', () => {
    const vscode = { TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.90.2' };
    expect(stylish(run(), { color: false, env: vscode })).not.toContain(OSC8);
    expect(stylish(run(), { color: true, env: { ...vscode, CI: 'true' } })).not.toContain(OSC8);
    expect(stylish(run(), { color: true, env: { ...vscode, FORCE_HYPERLINK: '0' } })).not.toContain(OSC8);
    expect(stylish(run(), { color: true, env: { TERM: 'xterm-256color' } })).not.toContain(OSC8); // a terminal not known to render them
    const forced = stylish(run(), { color: false, env: { CI: 'true', FORCE_HYPERLINK: '1' } });
    expect(forced).toContain(osc8(CLB_DOCS, 'elb/no-classic-load-balancer'));
    expect(forced).not.toContain('\u001b['); // still no colour
    // An explicit choice in the context wins over the environment.
    expect(stylish(run(), { color: true, hyperlinks: false, env: { FORCE_HYPERLINK: '1' } })).not.toContain(OSC8);
  });

  it('does not link docs that are not http(s) URLs of printable ASCII', () => {
    const bad = (docs: string) => defineRule({ ...note, id: 'test/note', docs });
    for (const docs of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd']) {
      const rules = [clb, bad(docs)];
      const out = stylish(run(rules), { rules, hyperlinks: true });
      expect(out.split(OSC8).length - 1, docs).toBe(2); // only the built-in rule's link
    }
    // Control characters in a URL are percent-encoded, so they cannot end the escape sequence.
    const rules = [clb, bad('https://example.com/a\u0007b\u001b\\c')];
    const out = stylish(run(rules), { rules, hyperlinks: true });
    expect(out).toContain(osc8('https://example.com/a%07b%1B/c', 'test/note'));
  });
});

describe('hyperlinksEnabled (as supports-hyperlinks decides)', () => {
  it('FORCE_HYPERLINK decides first; otherwise colour, no CI, and a terminal known to render links', () => {
    const cases: Array<[boolean, NodeJS.ProcessEnv, boolean]> = [
      [false, { FORCE_HYPERLINK: '1' }, true],
      [false, { FORCE_HYPERLINK: 'true' }, true],
      [true, { FORCE_HYPERLINK: '0', TERM: 'xterm-kitty' }, false],
      [true, { FORCE_HYPERLINK: '', TERM: 'xterm-kitty' }, true], // empty: not set
      [false, { TERM: 'xterm-kitty' }, false],
      [true, { TERM: 'xterm-kitty' }, true],
      [true, { TERM: 'alacritty' }, true],
      [true, { TERM: 'xterm-256color' }, false],
      [true, { TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.1.0' }, true],
      [true, { TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.0.9' }, false],
      [true, { TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.71.0' }, false],
      [true, { TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.72.0' }, true],
      [true, { TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '20240203-110809-5046fc22' }, true],
      [true, { TERM_PROGRAM: 'ghostty' }, true],
      [true, { VTE_VERSION: '6003' }, true],
      [true, { VTE_VERSION: '0.50.0' }, false],
      [true, { VTE_VERSION: '4601' }, false],
      [true, { WT_SESSION: 'x' }, true],
      [true, { TERM: 'xterm-kitty', CI: 'true' }, false],
      [true, { TERM: 'xterm-kitty', TEAMCITY_VERSION: '2024.1' }, false],
    ];
    for (const [color, env, want] of cases) expect(hyperlinksEnabled(color, env, 'linux'), JSON.stringify({ color, env })).toBe(want);
    expect(hyperlinksEnabled(true, { TERM: 'xterm-kitty' }, 'win32')).toBe(false);
  });

  it('safeUrl keeps http(s) URLs of printable ASCII only', () => {
    expect(safeUrl(CLB_DOCS)).toBe(CLB_DOCS);
    expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl('https://example.com/\u001b]8;;x')).toBe('https://example.com/%1B]8;;x');
  });
});

describe('stylish links through the CLI', () => {
  afterEach(() => vi.unstubAllEnvs());

  async function cli(args: string[], isTTY: boolean): Promise<string> {
    let stdout = '';
    await main(['lint', 'stack.yaml', ...args], { stdout: (x) => void (stdout += x), stderr: () => {}, cwd: DIR, isTTY, readStdin: () => '' });
    return stdout;
  }

  function terminal(env: Record<string, string | undefined>): void {
    for (const k of ['CI', 'NO_COLOR', 'FORCE_HYPERLINK', 'TEAMCITY_VERSION', 'NETLIFY', 'WT_SESSION', 'VTE_VERSION', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'TERM']) vi.stubEnv(k, undefined);
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  }

  it('links rule ids on a terminal that renders them, not in a pipe, a file or CI, unless FORCE_HYPERLINK=1', async () => {
    terminal({ TERM: 'xterm-kitty' });
    const link = osc8(CLB_DOCS, '\u001b[2melb/no-classic-load-balancer\u001b[22m');
    expect(await cli([], true)).toContain(link);
    expect(await cli(['--no-color'], true)).not.toContain(OSC8);
    expect(await cli([], false)).not.toContain(OSC8);
    const tmp = mkdtempSync(join(tmpdir(), 'stowage-stylish-'));
    try {
      await cli(['--output-file', join(tmp, 'out.txt')], true);
      const file = readFileSync(join(tmp, 'out.txt'), 'utf8');
      expect(file).toContain('elb/no-classic-load-balancer');
      expect(file).not.toContain(OSC8);
      vi.stubEnv('FORCE_HYPERLINK', '1');
      await cli(['--output-file', join(tmp, 'forced.txt')], true);
      expect(readFileSync(join(tmp, 'forced.txt'), 'utf8')).toContain(osc8(CLB_DOCS, 'elb/no-classic-load-balancer'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    terminal({ TERM: 'xterm-kitty', CI: 'true' });
    expect(await cli([], true)).not.toContain(OSC8);
    terminal({ TERM: 'xterm-kitty', NO_COLOR: '1' });
    expect(await cli([], true)).not.toContain(OSC8);
  });
});
