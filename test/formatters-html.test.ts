/** --format html: a self-contained report. (test/e2e/html-report.test.ts opens it in a real browser.) */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/config.js';
import { discover } from '../src/engine/discover.js';
import { lint, type FileResult, type Finding } from '../src/engine/lint.js';
import { defineRule, type Rule, type Severity } from '../src/engine/rule.js';
import { CONTEXT_LINES, MAX_LINE_CHARS, MAX_RANGE_LINES } from '../src/formatters/html.js';
import { FORMATTERS, type FormatContext } from '../src/formatters/index.js';
import { SourceFile } from '../src/parsers/tree.js';
import { builtinRules } from '../src/rules/index.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

const DIR = join(FIXTURES, 'ci', 'formats');
const note = defineRule({
  id: 'test/note',
  severity: 'info',
  description: 'Reports every resource type.',
  docs: 'https://example.com/docs/note?a=1&b=2',
  check({ model, file, report }) {
    for (const t of model.all.templates) if (t.file === file) for (const r of t.resources.values()) report(r.node.get('Type')!, 'A note about this type.');
  },
});
const clb = builtinRules.find((r) => r.id === 'elb/no-classic-load-balancer')!;
const RULES: Rule[] = [clb, note];
const ctx: FormatContext = { cwd: ROOT, color: false, rules: RULES };
const html = (results: FileResult[], c: Partial<FormatContext> = {}) => FORMATTERS.html!(results, { ...ctx, ...c });

function run(): FileResult[] {
  return lint(
    discover([DIR], ROOT).files.map((f) => ({ path: f.path, explicit: false })),
    { rules: RULES, config: defaultConfig(ROOT) },
  ).results;
}

/** A finding on `file` from offset `start` to `end`. */
function finding(file: SourceFile, start: number, end: number, ruleId = 'test/note', severity: Severity = 'warning', message = 'Something is wrong here.'): Finding {
  const a = file.position(start);
  const b = file.position(end);
  return { ruleId, severity, message, file, start, end, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** The rows of a chart, as `key count`. */
function chartRows(out: string, id: string): string[] {
  const chart = new RegExp(`<div class="chart" id="${id}">(.*?)</table></div>`).exec(out)?.[1] ?? '';
  return [...chart.matchAll(/<tr data-key="([^"]*)" data-count="(\d+)">/g)].map((m) => `${m[1]} ${m[2]}`);
}

/** The source lines shown, as `number|html`. */
function codeLines(out: string): string[] {
  return [...out.matchAll(/<tr class="line"><td class="ln">(\d+)<\/td><td class="src">(.*?)<\/td><\/tr>/g)].map((m) => `${m[1]}|${m[2]}`);
}

describe('html', () => {
  const out = html(run());

  it('is one self-contained page: a CSP that allows only its own style and script (by hash), and nothing loaded', () => {
    expect(out.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src \'none\';')).toBe(true);
    const style = /<style>([\s\S]*?)<\/style>/.exec(out)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(out)![1]!;
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(out).toContain(`style-src ${sha(style)}; script-src ${sha(script)};`);
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out.match(/<style/g)).toHaveLength(1);
    // Nothing that would load: no src attributes, stylesheets, CSS imports or urls; URLs only in links.
    expect(out).not.toMatch(/\ssrc=|<link|@import|url\(|<iframe|<object|<embed|<img/i);
    const urls = [...out.matchAll(/https?:\/\//g)].map((m) => out.slice(m.index - 6, m.index));
    expect(urls.length).toBeGreaterThan(0);
    for (const before of urls) expect(before).toBe('href="');
    expect(out.endsWith('</html>\n')).toBe(true);
  });

  it('counts the findings at the top: totals and charts by severity, rule domain, rule and file', () => {
    expect(out).toContain('<body data-total="3" data-errors="1" data-warnings="1" data-infos="1">');
    expect(out).toContain('<p class="meta">3 findings in 2 of 3 files · stowage ');
    expect(out).toContain('<a class="tile t-error" href="#severity=error" id="total-error"><span class="num">1</span> error</a>');
    expect(chartRows(out, 'by-severity')).toEqual(['error 1', 'warning 1', 'info 1']);
    expect(chartRows(out, 'by-domain')).toEqual(['elb 1', 'parse-error 1', 'test 1']);
    expect(chartRows(out, 'by-rule')).toEqual(['elb/no-classic-load-balancer 1', 'parse-error 1', 'test/note 1']);
    expect(chartRows(out, 'by-file')).toEqual(['test/fixtures/ci/formats/stack.yaml 2', 'test/fixtures/ci/formats/broken.yaml 1']);
    // A stacked bar: one rect per severity, scaled to the longest bar.
    expect(out).toMatch(/<tr data-key="test\/fixtures\/ci\/formats\/stack.yaml" data-count="2">.*?<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="1 warning, 1 info"><rect class="b-warning" x="0" y="0" width="50" height="10">.*?<rect class="b-info" x="50" y="0" width="50" height="10">/);
    expect(out).toContain('<details class="clean-files"><summary>1 file without findings</summary><ul>\n<li>test/fixtures/ci/formats/clean.yaml</li>');
  });

  it('shows each finding on its source lines: line numbers, context, the highlighted range, message and docs link', () => {
    const stack = /<details class="file" id="file-3" open>([\s\S]*?)<\/details>/.exec(out)![1]!;
    expect(codeLines(stack)).toEqual([
      "3|Resources:",
      '4|  ApiLoadBalancer:',
      // Two findings on one range: the highest severity colours it.
      '5|    Type: <mark class="m-warning">AWS::ElasticLoadBalancing::LoadBalancer</mark>',
      '6|    Properties:',
      '7|      Listeners:',
    ]);
    expect(5 - CONTEXT_LINES).toBe(3);
    const notes = [...stack.matchAll(/<tr class="note n-(\w+)" id="([^"]+)" data-severity="\w+" data-rule="([^"]+)">.*?<a class="loc" href="#[^"]+">([^<]+)<\/a> (.*?)<\/div><p class="msg">(.*?)<\/p>/g)].map(
      (m) => [m[1], m[2], m[3], m[4], m[5], m[6]],
    );
    expect(notes).toEqual([
      ['warning', 'f-3-1', 'elb/no-classic-load-balancer', 'test/fixtures/ci/formats/stack.yaml:5:11', '<a class="rule" href="https://github.com/stowage-dev/stowage/blob/main/docs/rules/elb/no-classic-load-balancer.md" target="_blank" rel="noopener noreferrer">elb/no-classic-load-balancer</a>', expect.stringMatching(/^Load balancer &quot;ApiLoadBalancer&quot; is a Classic Load Balancer/)],
      ['info', 'f-3-2', 'test/note', 'test/fixtures/ci/formats/stack.yaml:5:11', '<a class="rule" href="https://example.com/docs/note?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">test/note</a>', 'A note about this type.'],
    ]);
    // Notes sit right under the last line of their range.
    expect(stack.indexOf('<td class="ln">5</td>')).toBeLessThan(stack.indexOf('id="f-3-1"'));
    expect(stack.indexOf('id="f-3-2"')).toBeLessThan(stack.indexOf('<td class="ln">6</td>'));
    // parse-error has no docs page.
    expect(out).toContain('<span class="rule">parse-error</span>');
  });

  it('is deterministic', () => {
    expect(html(run())).toBe(out);
  });

  it('says so when there is nothing to report', () => {
    const empty = html([]);
    expect(empty).toContain('<body data-total="0" data-errors="0" data-warnings="0" data-infos="0">');
    expect(empty).toContain('<p class="clean">✓ No findings.</p>');
    expect(empty).not.toContain('class="chart"');
  });
});

describe('html with hostile input', () => {
  const NAME = '/w/<script>alert(1)</script>\n"x\' &amp;\u202e.yaml';
  const TEXT = 'a: "<img src=x onerror=alert(2)>"\nb: "\u202eevil\u0007" # </script><script>alert(3)</script>\n';
  const file = new SourceFile(NAME, TEXT, 'yaml');
  const message = 'Bad </script><script>alert(4)</script> & "quoted" \u001b[31m\nnext';
  // defineRule refuses such an id; a finding's rule id is still printed as data.
  const evil: Rule = { ...note, id: 'test/<b>evil</b>', docs: 'javascript:alert(5)' };
  const results: FileResult[] = [{ path: NAME, findings: [finding(file, TEXT.indexOf('"<img'), TEXT.indexOf('\n'), 'test/<b>evil</b>', 'error', message), finding(file, TEXT.indexOf('"\u202e'), TEXT.indexOf(' #'), 'test/note', 'info')] }];
  const out = html(results, { cwd: '/w', rules: [evil, note] });

  it('escapes everything from the input: no element, attribute or script comes from it', () => {
    expect(out.match(/<script/g)).toHaveLength(1);
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(out).not.toMatch(/<img|<b>|javascript:/);
    expect(out).toContain('<span class="path">&lt;script&gt;alert(1)&lt;/script&gt;\\n&quot;x&#39; &amp;amp;\\u{202e}.yaml</span>');
    expect(out).toContain('<p class="msg">Bad &lt;/script&gt;&lt;script&gt;alert(4)&lt;/script&gt; &amp; &quot;quoted&quot; \\u{1b}[31m\\nnext</p>');
    expect(out).toContain('<span class="rule">test/&lt;b&gt;evil&lt;/b&gt;</span>'); // no link: not an http(s) URL
    expect(out).toContain('data-rule="test/&lt;b&gt;evil&lt;/b&gt;"');
    expect(codeLines(out)).toEqual([
      '1|a: <mark class="m-error">"&lt;img src=x onerror=alert(2)&gt;"</mark>',
      '2|b: <mark class="m-info">"<span class="ctl">\\u{202e}</span>evil<span class="ctl">\\u{7}</span>"</mark> # &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;',
    ]);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('html on big inputs', () => {
  it('shows at most MAX_RANGE_LINES lines of a long range, and says where it ends', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line${i + 1}: x`).join('\n') + '\n';
    const file = new SourceFile('/w/long.yaml', text, 'yaml');
    const start = file.lineOffset(10);
    const end = file.lineOffset(61) - 1; // to the end of line 60
    const out = html([{ path: file.path, findings: [finding(file, start, end)] }], { cwd: '/w' });
    const lines = codeLines(out).map((l) => Number(l.split('|')[0]));
    expect(lines).toEqual(Array.from({ length: CONTEXT_LINES + MAX_RANGE_LINES }, (_, i) => 10 - CONTEXT_LINES + i));
    expect(out).toContain('<tr class="cut"><td class="ln">⋮</td><td class="src">… the range goes on to line 60</td></tr>');
    expect(codeLines(out)[CONTEXT_LINES]).toBe('10|<mark class="m-warning">line10: x</mark>');
  });

  it('shows a window of MAX_LINE_CHARS characters around the highlight of a very long line', () => {
    const text = `{"a": "${'x'.repeat(100_000)}", "b": "HERE", "c": "${'y'.repeat(100_000)}"}`;
    const file = new SourceFile('/w/min.json', text, 'json');
    const at = text.indexOf('"HERE"');
    const out = html([{ path: file.path, findings: [finding(file, at, at + 6)] }], { cwd: '/w' });
    const [line] = codeLines(out);
    expect(line).toMatch(/^1\|<span class="elided">…<\/span>x{32}", "b": <mark class="m-warning">"HERE"<\/mark>, "c": "y+<span class="elided">…<\/span>$/);
    expect(line!.replace(/<[^>]+>/g, '').length - '1|……'.length).toBe(MAX_LINE_CHARS);
    expect(out.length).toBeLessThan(20_000);
  });

  it('marks an empty range, and keeps CRLF line ends out of the code', () => {
    const file = new SourceFile('/w/crlf.yaml', 'a: 1\r\nb: 2\r\nc: 3\r\n', 'yaml');
    const out = html([{ path: file.path, findings: [finding(file, 11, 11)] }], { cwd: '/w' });
    expect(codeLines(out)).toEqual(['1|a: 1', '2|b: 2<mark class="m-warning empty" title="here"> </mark>', '3|c: 3']);
  });

  it('grows linearly: ten times the findings, ten times the report', () => {
    const report = (n: number) => {
      const text = Array.from({ length: n * 10 }, (_, i) => `key${i}: value${i}`).join('\n');
      const file = new SourceFile('/w/big.yaml', text, 'yaml');
      const findings = Array.from({ length: n }, (_, i) => {
        const s = file.lineOffset(i * 10 + 5);
        return finding(file, s, s + 3, i % 2 ? 'ecs/a' : 'k8s/b', i % 3 ? 'warning' : 'error');
      });
      return html([{ path: file.path, findings }], { cwd: '/w', rules: [] });
    };
    const small = report(200);
    const big = report(2000);
    const base = html([], { cwd: '/w', rules: [] }).length;
    const ratio = (big.length - base) / (small.length - base);
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThan(11);
    // Each finding: its line and CONTEXT_LINES on each side, no more.
    expect(codeLines(big)).toHaveLength(2000 * (1 + 2 * CONTEXT_LINES));
  });
});
