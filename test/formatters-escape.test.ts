/** Control characters in file names and messages: escaped by every text format. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/config.js';
import { lint, type FileResult } from '../src/engine/lint.js';
import { defineRule, type Rule } from '../src/engine/rule.js';
import { escapeControl, hasControl } from '../src/formatters/escape.js';
import { escapeProperty } from '../src/formatters/github.js';
import { FORMATTERS, type FormatContext } from '../src/formatters/index.js';
import { builtinRules } from '../src/rules/index.js';

describe('escapeControl', () => {
  it('shows newline, carriage return and tab as two characters, other controls as \\u{hex}', () => {
    expect(escapeControl('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeControl('\u0000\u0007\u001b[31m\u007f')).toBe('\\u{0}\\u{7}\\u{1b}[31m\\u{7f}');
    expect(escapeControl('C1: \u0080 \u0085 \u009b \u009f')).toBe('C1: \\u{80} \\u{85} \\u{9b} \\u{9f}');
  });

  it('escapes bidi controls (Trojan Source), line separators and lone surrogates', () => {
    expect(escapeControl('\u202a\u202b\u202c\u202d\u202e|\u2066\u2067\u2068\u2069|\u200e\u200f\u061c')).toBe(
      '\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}|\\u{2066}\\u{2067}\\u{2068}\\u{2069}|\\u{200e}\\u{200f}\\u{61c}',
    );
    expect(escapeControl('a\u2028b\u2029c')).toBe('a\\u{2028}b\\u{2029}c');
    expect(escapeControl('lone \ud800 high, lone \udc00 low, end \ud83d')).toBe('lone \\u{d800} high, lone \\u{dc00} low, end \\u{d83d}');
  });

  it('leaves printable text alone: Unicode letters, emoji, backslashes, quotes', () => {
    for (const s of ['plain', 'Ünïcødé 日本語 ×→', 'emoji 😀 👩‍👩‍👧', 'C:\\stacks\\web.yaml', `"'<>&%:,`, '']) {
      expect(escapeControl(s)).toBe(s);
      expect(hasControl(s)).toBe(false);
    }
    expect(hasControl('a\u202eb')).toBe(true);
    expect(hasControl('a\u0085')).toBe(true);
  });
});

/** A raw control character (other than the newlines that separate a format's lines). */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

describe('every text format escapes a hostile file name and message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-escape-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A newline followed by a workflow command, a bidi override, a C1 control and an ANSI escape.
  const NAME = 'a\n::error file=x.yaml,line=1::injected \u202egnp\u0085\u001b[31m.yaml';
  const SHOWN = 'a\\n::error file=x.yaml,line=1::injected \\u{202e}gnp\\u{85}\\u{1b}[31m.yaml';
  const MESSAGE = 'bad\u0007 value\n::warning ::second \u2066line\r';
  const MESSAGE_SHOWN = 'bad\\u{7} value\\n::warning ::second \\u{2066}line\\r';
  const odd = defineRule({
    id: 'test/odd-message',
    severity: 'error',
    description: 'Reports each resource type with a message full of control characters.',
    docs: 'https://example.com/docs/odd',
    check({ model, file, report }) {
      for (const t of model.all.templates) if (t.file === file) for (const r of t.resources.values()) report(r.node.get('Type')!, MESSAGE);
    },
  });
  const clb = builtinRules.find((r) => r.id === 'elb/no-classic-load-balancer')!;
  const rules: Rule[] = [clb, odd];
  const path = join(dir, NAME);
  writeFileSync(path, 'Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      Subnets: [a, b]\n');
  const results: FileResult[] = lint([{ path, explicit: true }], { rules, config: defaultConfig(dir) }).results;
  const ctx: FormatContext = { cwd: dir, color: false, rules, env: {} };
  const format = (name: string) => FORMATTERS[name]!(results, ctx);

  it('the file is linted under its real name (the test can fail)', () => {
    expect(results.map((r) => r.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`))).toEqual([['3:11 elb/no-classic-load-balancer', '3:11 test/odd-message']]);
    expect(results[0]!.path).toBe(path);
  });

  it('stylish: the name and messages are escaped, so no line of the output is a workflow command', () => {
    const lines = format('stylish').split('\n');
    expect(lines.filter((l) => l.startsWith('::'))).toEqual([]);
    expect(lines[1]).toBe(SHOWN);
    expect(lines[2]).toMatch(/^ {2}a\\n::error .*\.yaml:3:11 {2}warning {2}Load balancer "Lb" .* {2}elb\/no-classic-load-balancer$/);
    expect(lines[3]).toMatch(/^ {2}a\\n::error file=x\.yaml,line=1::injected \\u\{202e\}gnp\\u\{85\}\\u\{1b\}\[31m\.yaml:3:11 {2}error {4}bad\\u\{7\} value\\n::warning ::second \\u\{2066\}line\\r {2}test\/odd-message$/);
    expect(lines).toHaveLength(7);
    for (const l of lines) expect(l).not.toMatch(RAW_CONTROL);
  });

  it('github: one command per line, the name escaped and then GitHub-escaped in the file property', () => {
    const lines = format('github').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) file=/);
    expect(lines[1]).toBe(
      `::error file=${escapeProperty(SHOWN)},line=3,col=11,endLine=3,endColumn=50,title=test/odd-message::bad\\u{7} value\\n::warning ::second \\u{2066}line\\r`,
    );
    // GitHub's own escaping of ':' and ',' in properties applies on top.
    expect(escapeProperty(SHOWN)).toBe('a\\n%3A%3Aerror file=x.yaml%2Cline=1%3A%3Ainjected \\u{202e}gnp\\u{85}\\u{1b}[31m.yaml');
    expect(format('github')).not.toMatch(RAW_CONTROL);
  });

  it('junit and checkstyle: well-formed XML whose attributes read back escaped', () => {
    const parser = (arrays: string[]) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (n, _p, _v, attr) => !attr && arrays.includes(n) });
    const junit = format('junit');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).not.toMatch(RAW_CONTROL);
    const j = parser(['testsuite', 'testcase']).parse(junit) as { testsuites: { testsuite: Array<{ name: string; testcase: Array<{ file: string; failure: { message: string } }> }> } };
    expect(j.testsuites.testsuite[0]!.name).toBe(SHOWN);
    expect(j.testsuites.testsuite[0]!.testcase[1]!.file).toBe(SHOWN);
    expect(j.testsuites.testsuite[0]!.testcase[1]!.failure.message).toBe(MESSAGE_SHOWN);

    const cs = format('checkstyle');
    expect(XMLValidator.validate(cs)).toBe(true);
    expect(cs).not.toMatch(RAW_CONTROL);
    const c = parser(['file', 'error']).parse(cs) as { checkstyle: { file: Array<{ name: string; error: Array<{ message: string }> }> } };
    expect(c.checkstyle.file[0]!.name).toBe(escapeControl(path));
    expect(c.checkstyle.file[0]!.error[1]!.message).toBe(`${MESSAGE_SHOWN} (test/odd-message)`);
  });

  it('gitlab: path, description and check name are escaped text', () => {
    const issues = JSON.parse(format('gitlab')) as Array<{ description: string; check_name: string; location: { path: string } }>;
    expect(issues.map((i) => i.location.path)).toEqual([SHOWN, SHOWN]);
    expect(issues[1]!.description).toBe(MESSAGE_SHOWN);
    expect(issues[1]!.check_name).toBe('test/odd-message');
    for (const i of issues) expect(JSON.stringify(i) + i.description + i.location.path).not.toMatch(RAW_CONTROL);
  });

  it('html: the name and message appear escaped, and no raw control character is left', () => {
    const html = format('html');
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).toContain(`<span class="path">${SHOWN}</span>`);
    expect(html).toContain(`<p class="msg">${MESSAGE_SHOWN}</p>`);
  });
});
