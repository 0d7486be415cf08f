import { createHash } from 'node:crypto';
import type { FileResult, Finding } from '../engine/lint.js';
import type { Severity } from '../engine/rule.js';
import type { SourceFile } from '../parsers/tree.js';
import { controlEscape, escapeControl } from './escape.js';
import type { FormatContext } from './index.js';
import { docsUrl, relPath, toolVersion } from './links.js';
import { safeUrl } from './terminal.js';

/** Lines of context shown before and after a finding's range. */
export const CONTEXT_LINES = 2;
/** Lines of a multi-line range shown (the rest is summarised in one row). */
export const MAX_RANGE_LINES = 8;
/** Characters of a source line shown (a window around the first highlight of a longer line). */
export const MAX_LINE_CHARS = 320;
/** Rows of the by-file and by-rule charts (the rest is counted in a last row). */
const MAX_CHART_ROWS = 20;

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };
const PLURAL: Record<Severity, [string, string]> = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'] };

/**
 * One self-contained HTML page (inline CSS and script, no network: its Content-Security-Policy
 * allows nothing but its own style and script, by hash): totals, bar charts of the findings by
 * severity, rule domain, rule and file, then each file's findings on the source lines they point at
 * (highlighted ranges, `CONTEXT_LINES` of context, line numbers) with message and docs link.
 * Everything from the input is HTML-escaped and its control characters shown as escapes. The
 * script adds filters (severity, rule, text; kept in the URL's fragment); without it the page is
 * complete. Deterministic (no time stamps), and linear in the findings: at most
 * `MAX_RANGE_LINES + 2 * CONTEXT_LINES` lines of `MAX_LINE_CHARS` characters per finding.
 */
export function formatHtml(results: FileResult[], context: FormatContext): string {
  const docs = new Map<string, string | undefined>();
  for (const r of context.rules) if (!docs.has(r.id)) docs.set(r.id, safeUrl(docsUrl(r.docs)));
  const files = results.map((r, i) => ({ result: r, index: i + 1, path: escapeControl(relPath(context.cwd, r.path)) }));
  const all = results.flatMap((r) => r.findings);
  const total = tally(all);

  const byDomain = new Map<string, Counts>();
  const byRule = new Map<string, Counts>();
  for (const f of all) {
    const slash = f.ruleId.indexOf('/');
    const domain = slash > 0 ? f.ruleId.slice(0, slash) : f.ruleId;
    add(byDomain, domain, f.severity);
    add(byRule, f.ruleId, f.severity);
  }
  const sorted = (m: Map<string, Counts>) => [...m].sort((a, b) => sum(b[1]) - sum(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const withFindings = files.filter((f) => f.result.findings.length);
  const fileRows = withFindings
    .map((f) => ({ f, counts: tally(f.result.findings) }))
    .sort((a, b) => sum(b.counts) - sum(a.counts) || a.f.index - b.f.index);

  const n = all.length;
  const title = n ? `stowage: ${n} finding${n === 1 ? '' : 's'} in ${withFindings.length} file${withFindings.length === 1 ? '' : 's'}` : 'stowage: no findings';
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '${STYLE_HASH}'; script-src '${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="generator" content="stowage">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body data-total="${n}" data-errors="${total.error}" data-warnings="${total.warning}" data-infos="${total.info}">`,
    '<header class="top">',
    `<h1>stowage report</h1>`,
    `<p class="meta">${n ? `${n} finding${n === 1 ? '' : 's'} in ${withFindings.length} of ${files.length} file${files.length === 1 ? '' : 's'}` : `No findings in ${files.length} file${files.length === 1 ? '' : 's'}`} · stowage ${esc(toolVersion())}</p>`,
    '<div class="tiles">',
    ...SEVERITIES.map((s) => `<a class="tile t-${s}" href="#severity=${s}" id="total-${s}"><span class="num">${total[s]}</span> ${total[s] === 1 ? PLURAL[s][0] : PLURAL[s][1]}</a>`),
    '</div>',
    '</header>',
  );

  if (n) {
    out.push('<section class="summary" aria-label="Summary">');
    out.push(
      chart('by-severity', 'By severity', SEVERITIES.map((s) => ({ label: esc(s), href: `#severity=${s}`, key: s, counts: only(s, total[s]) })), 0),
      chart('by-domain', 'By rule domain', sorted(byDomain).map(([d, c]) => ({ label: esc(escapeControl(d)), href: `#rule=${encodeURIComponent(d)}`, key: d, counts: c })), 0),
      chart(
        'by-file',
        'By file',
        fileRows.slice(0, MAX_CHART_ROWS).map(({ f, counts }) => ({ label: esc(f.path), href: `#file-${f.index}`, key: f.path, counts })),
        Math.max(0, fileRows.length - MAX_CHART_ROWS),
        'files',
      ),
      chart(
        'by-rule',
        'By rule',
        sorted(byRule).slice(0, MAX_CHART_ROWS).map(([id, c]) => ({ label: esc(escapeControl(id)), href: `#rule=${encodeURIComponent(id)}`, key: id, counts: c })),
        Math.max(0, byRule.size - MAX_CHART_ROWS),
        'rules',
      ),
    );
    out.push('</section>');
    out.push(
      '<nav id="filters" class="filters" aria-label="Filters" hidden>',
      ...SEVERITIES.map((s) => `<label class="f-${s}"><input type="checkbox" name="severity" value="${s}" checked> ${s} (${total[s]})</label>`),
      '<span id="rule-chip" class="chip" hidden>rule <code id="rule-value"></code> <button type="button" id="rule-clear" aria-label="Clear the rule filter">×</button></span>',
      '<input type="search" id="q" placeholder="Filter by file, rule or message" aria-label="Filter by file, rule or message">',
      `<output id="shown" for="q">${n} finding${n === 1 ? '' : 's'}</output>`,
      '</nav>',
    );
  }

  out.push('<main>');
  if (!n) out.push('<p class="clean">✓ No findings.</p>');
  for (const f of withFindings) renderFile(out, f.result, f.path, f.index, context, docs);
  const clean = files.filter((f) => !f.result.findings.length);
  if (clean.length) {
    out.push(`<details class="clean-files"><summary>${clean.length} file${clean.length === 1 ? '' : 's'} without findings</summary><ul>`);
    for (const f of clean) out.push(`<li>${esc(f.path)}</li>`);
    out.push('</ul></details>');
  }
  out.push('</main>');
  out.push(`<footer>Generated by stowage ${esc(toolVersion())}. Rule ids link to their documentation.</footer>`);
  out.push(`<script>${SCRIPT}</script>`, '</body>', '</html>', '');
  return out.join('\n');
}

type Counts = Record<Severity, number>;

function tally(findings: Finding[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function add(m: Map<string, Counts>, key: string, s: Severity): void {
  let c = m.get(key);
  if (!c) m.set(key, (c = { error: 0, warning: 0, info: 0 }));
  c[s]++;
}

const sum = (c: Counts) => c.error + c.warning + c.info;
const only = (s: Severity, n: number): Counts => ({ error: 0, warning: 0, info: 0, [s]: n });

interface ChartRow {
  label: string; // HTML
  href: string;
  key: string;
  counts: Counts;
}

/** A bar chart as a table: label, a stacked bar (inline SVG, one rect per severity) and the count. */
function chart(id: string, title: string, rows: ChartRow[], more: number, moreNoun = ''): string {
  const max = Math.max(1, ...rows.map((r) => sum(r.counts)));
  const body = rows.map((r) => {
    const count = sum(r.counts);
    let x = 0;
    const rects: string[] = [];
    for (const s of SEVERITIES) {
      if (!r.counts[s]) continue;
      const w = (r.counts[s] / max) * 100;
      rects.push(`<rect class="b-${s}" x="${num(x)}" y="0" width="${num(w)}" height="10"><title>${r.counts[s]} ${r.counts[s] === 1 ? PLURAL[s][0] : PLURAL[s][1]}</title></rect>`);
      x += w;
    }
    const parts = SEVERITIES.filter((s) => r.counts[s]).map((s) => `${r.counts[s]} ${r.counts[s] === 1 ? PLURAL[s][0] : PLURAL[s][1]}`).join(', ');
    return (
      `<tr data-key="${esc(escapeControl(r.key))}" data-count="${count}"><th scope="row"${id === 'by-file' ? ' class="path"' : ''}><a href="${esc(r.href)}" title="${r.label}"><bdi>${r.label}</bdi></a></th>` +
      `<td class="bar"><svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${esc(parts || '0')}">${rects.join('')}</svg></td>` +
      `<td class="n">${count}</td></tr>`
    );
  });
  if (more) body.push(`<tr class="more"><th scope="row" colspan="3">and ${more} more ${moreNoun}</th></tr>`);
  return `<div class="chart" id="${id}"><h2>${esc(title)}</h2><table>${body.join('')}</table></div>`;
}

/** A number with at most two decimals, the same on every platform. */
function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function renderFile(out: string[], r: FileResult, path: string, index: number, context: FormatContext, docs: Map<string, string | undefined>): void {
  const c = tally(r.findings);
  const chips = SEVERITIES.filter((s) => c[s])
    .map((s) => `<span class="chip c-${s}">${c[s]} ${c[s] === 1 ? PLURAL[s][0] : PLURAL[s][1]}</span>`)
    .join(' ');
  out.push(`<details class="file" id="file-${index}" open><summary><span class="path">${esc(path)}</span> ${chips}</summary>`);
  // Findings are grouped by the file their range is in (a CDK finding's TypeScript), in order.
  const groups = new Map<SourceFile, Finding[]>();
  for (const f of r.findings) {
    let g = groups.get(f.file);
    if (!g) groups.set(f.file, (g = []));
    g.push(f);
  }
  let n = 0;
  for (const [file, findings] of groups) {
    const shown = file.path === r.path ? path : escapeControl(relPath(context.cwd, file.path));
    for (const hunk of hunks(file, findings)) out.push(renderHunk(file, shown, hunk, index, () => ++n, docs, context.cwd));
  }
  out.push('</details>');
}

interface Placed {
  f: Finding;
  start: number;
  end: number;
  /** First and last line of the range shown (1-based), and the range's real last line. */
  first: number;
  last: number;
  realLast: number;
}

interface Hunk {
  from: number;
  to: number;
  placed: Placed[];
}

/** Findings (sorted by position) in windows of context; overlapping or adjacent windows merge. */
function hunks(file: SourceFile, findings: Finding[]): Hunk[] {
  const len = file.text.length;
  // The empty line after a final line break is shown only when a finding is on it.
  const lastLine = file.position(len > 0 && file.text.charCodeAt(len - 1) === 10 ? len - 1 : len).line;
  const placed: Placed[] = findings.map((f) => {
    const start = clamp(f.start, 0, len);
    const end = clamp(f.end, start, len);
    const first = file.position(start).line;
    // A range that ends at the start of a line (after its newline) ends on the line before.
    const realLast = end > start ? file.position(end - 1).line : first;
    return { f, start, end, first, last: Math.min(realLast, first + MAX_RANGE_LINES - 1), realLast };
  });
  placed.sort((a, b) => a.first - b.first || a.start - b.start);
  const out: Hunk[] = [];
  for (const p of placed) {
    const from = Math.max(1, p.first - CONTEXT_LINES);
    // A range cut short has no context after it (its next lines are still in the range).
    const to = p.realLast > p.last ? p.last : Math.max(p.last, Math.min(lastLine, p.last + CONTEXT_LINES));
    const h = out[out.length - 1];
    // Merge only windows that touch a range already shown, so a run of findings cannot grow a hunk past its own lines.
    if (h && from <= h.to + 1) {
      h.to = Math.max(h.to, to);
      h.placed.push(p);
    } else out.push({ from, to, placed: [p] });
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

function renderHunk(file: SourceFile, path: string, h: Hunk, fileIndex: number, next: () => number, docs: Map<string, string | undefined>, cwd: string): string {
  const rows: string[] = [];
  const text = file.text;
  const lastLine = file.position(text.length).line;
  // Notes go under the last shown line of their range; ranges that are cut get a row saying so.
  const notesAfter = new Map<number, Placed[]>();
  for (const p of h.placed) {
    const list = notesAfter.get(p.last);
    if (list) list.push(p);
    else notesAfter.set(p.last, [p]);
  }
  // The ranges active on a line: a sweep over the placed findings (sorted by first line).
  let active: Placed[] = [];
  let k = 0;
  for (let line = h.from; line <= h.to; line++) {
    while (k < h.placed.length && h.placed[k]!.first <= line) active.push(h.placed[k++]!);
    active = active.filter((p) => p.last >= line);
    const lineStart = file.lineOffset(line);
    const lineEnd = line < lastLine ? file.lineOffset(line + 1) : text.length;
    // Without its line break.
    let contentEnd = lineEnd;
    if (contentEnd > lineStart && text.charCodeAt(contentEnd - 1) === 10) contentEnd--;
    if (contentEnd > lineStart && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const marks = active.map((p) => {
      let s = Math.max(p.start, lineStart);
      let e = Math.min(Math.max(p.end, p.start + 1), contentEnd);
      if (s > contentEnd) s = contentEnd;
      if (e < s) e = s;
      return { s, e, sev: p.f.severity, empty: e === s };
    });
    rows.push(`<tr class="line"><td class="ln">${line}</td><td class="src">${renderLine(text, lineStart, contentEnd, marks)}</td></tr>`);
    const notes = notesAfter.get(line);
    if (notes)
      for (const p of notes) {
        if (p.realLast > p.last) rows.push(`<tr class="cut"><td class="ln">⋮</td><td class="src">… the range goes on to line ${p.realLast}</td></tr>`);
        rows.push(renderNote(p.f, path, fileIndex, next(), docs, cwd));
      }
  }
  return `<table class="code">${rows.join('')}</table>`;
}

interface Mark {
  s: number;
  e: number;
  sev: Severity;
  empty: boolean;
}

/** A source line as HTML, with its highlighted ranges (the highest severity wins where they overlap). */
function renderLine(text: string, start: number, end: number, marks: Mark[]): string {
  // A long line is shown as a window around its first highlight.
  let a = start;
  let b = end;
  if (end - start > MAX_LINE_CHARS) {
    let first = marks.length ? end : start;
    for (const m of marks) first = Math.min(first, m.s);
    a = clamp(first - 40, start, end - MAX_LINE_CHARS);
    b = a + MAX_LINE_CHARS;
    if (a > start && isLowSurrogate(text.charCodeAt(a))) a++;
    if (b < end && isLowSurrogate(text.charCodeAt(b))) b--;
  }
  const events: Array<{ at: number; sev: Severity; d: number }> = [];
  const empties = new Map<number, Severity>();
  for (const m of marks) {
    if (m.empty) {
      const at = clamp(m.s, a, b);
      const prev = empties.get(at);
      if (!prev || RANK[m.sev] > RANK[prev]) empties.set(at, m.sev);
      continue;
    }
    const s = clamp(m.s, a, b);
    const e = clamp(m.e, a, b);
    if (e <= s) continue;
    events.push({ at: s, sev: m.sev, d: 1 }, { at: e, sev: m.sev, d: -1 });
  }
  events.sort((x, y) => x.at - y.at);
  const open: Counts = { error: 0, warning: 0, info: 0 };
  let html = a > start ? '<span class="elided">…</span>' : '';
  let pos = a;
  let i = 0;
  const top = (): Severity | undefined => (open.error ? 'error' : open.warning ? 'warning' : open.info ? 'info' : undefined);
  const emit = (to: number) => {
    if (to <= pos) return;
    const sev = top();
    const code = codeHtml(text, pos, to);
    html += sev ? `<mark class="m-${sev}">${code}</mark>` : code;
    pos = to;
  };
  const boundaries = [...new Set([...events.map((e) => e.at), ...empties.keys()])].sort((x, y) => x - y);
  for (const at of boundaries) {
    emit(at);
    const empty = empties.get(at);
    if (empty) html += `<mark class="m-${empty} empty" title="here"> </mark>`;
    while (i < events.length && events[i]!.at === at) {
      open[events[i]!.sev] += events[i]!.d;
      i++;
    }
  }
  emit(b);
  if (b < end) html += '<span class="elided">…</span>';
  return html;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Source text as HTML: specials escaped, control characters (but tabs) shown as escapes. */
function codeHtml(text: string, from: number, to: number): string {
  let out = '';
  let run = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c !== 9) {
      const e = controlEscape(c, text, i);
      if (e !== undefined) rep = `<span class="ctl">${e}</span>`;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
        i++; // a valid pair
        continue;
      }
    }
    if (rep === undefined) continue;
    out += text.slice(run, i) + rep;
    run = i + 1;
  }
  return out + text.slice(run, to);
}

function renderNote(f: Finding, path: string, fileIndex: number, n: number, docs: Map<string, string | undefined>, cwd: string): string {
  const id = `f-${fileIndex}-${n}`;
  const url = docs.get(f.ruleId);
  const ruleId = esc(escapeControl(f.ruleId));
  const rule = url ? `<a class="rule" href="${esc(url)}" target="_blank" rel="noopener noreferrer">${ruleId}</a>` : `<span class="rule">${ruleId}</span>`;
  const extra: string[] = [];
  if (f.entity) extra.push(`<span>${esc(escapeControl(f.entity))}</span>`);
  if (f.cdkPath && !f.message.includes(f.cdkPath)) extra.push(`<span>CDK ${esc(escapeControl(f.cdkPath))}</span>`);
  if (f.helmSource) extra.push(`<span>from ${esc(escapeControl(f.helmSource))}</span>`);
  const also = f.templateLocation ?? f.sourceLocation;
  if (also) extra.push(`<span>also at ${esc(escapeControl(relPath(cwd, also.filePath)))}:${also.line}:${also.column}</span>`);
  return (
    `<tr class="note n-${f.severity}" id="${id}" data-severity="${f.severity}" data-rule="${esc(escapeControl(f.ruleId))}"><td class="ln"></td><td class="ann">` +
    `<div class="head"><span class="sev s-${f.severity}">${f.severity}</span> <a class="loc" href="#${id}">${esc(path)}:${f.line}:${f.column}</a> ${rule}</div>` +
    `<p class="msg">${esc(escapeControl(f.message))}</p>` +
    (extra.length ? `<p class="extra">${extra.join(' · ')}</p>` : '') +
    `</td></tr>`
  );
}

/** Escape text for HTML text and double- or single-quoted attributes. */
function esc(s: string): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const rep = c === 38 ? '&amp;' : c === 60 ? '&lt;' : c === 62 ? '&gt;' : c === 34 ? '&quot;' : c === 39 ? '&#39;' : undefined;
    if (rep === undefined) continue;
    out += s.slice(run, i) + rep;
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

const STYLE = `
:root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--panel:#f6f8fa;--code:#ffffff;--ln:#8c959f;--link:#0969da;
--error:#cf222e;--warning:#9a6700;--info:#0969da;--m-error:rgba(207,34,46,.2);--m-warning:rgba(212,167,44,.3);--m-info:rgba(9,105,218,.15);--note:#f6f8fa;color-scheme:light dark}
@media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--panel:#151b23;--code:#0d1117;--ln:#6e7681;--link:#4493f8;
--error:#f85149;--warning:#d29922;--info:#4493f8;--m-error:rgba(248,81,73,.3);--m-warning:rgba(210,153,34,.3);--m-info:rgba(68,147,248,.25);--note:#151b23}}
*{box-sizing:border-box}
body{margin:0;padding:24px clamp(12px,3vw,40px);background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--link)}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:14px;margin:0 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.meta{margin:0 0 16px;color:var(--muted)}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:24px}
.tile{display:block;min-width:140px;padding:12px 16px;border:1px solid var(--border);border-left-width:6px;border-radius:8px;background:var(--panel);color:var(--fg);text-decoration:none}
.tile .num{display:block;font-size:28px;font-weight:600;line-height:1.1}
.t-error{border-left-color:var(--error)}.t-warning{border-left-color:var(--warning)}.t-info{border-left-color:var(--info)}
.summary{columns:2 420px;column-gap:16px;margin-bottom:24px}
.chart{border:1px solid var(--border);border-radius:8px;padding:12px 16px;background:var(--panel);min-width:0;break-inside:avoid;margin-bottom:16px}
.chart table{width:100%;border-collapse:collapse;table-layout:fixed}
.chart th{text-align:left;font-weight:normal;width:55%;padding:2px 8px 2px 0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
/* File paths are cut at their start, where they are alike. */
.chart th.path{direction:rtl;text-align:left}
.chart th a{color:var(--fg);text-decoration:none}.chart th a:hover{text-decoration:underline}
.chart td.bar{padding:2px 0}.chart svg{display:block;width:100%;height:12px;background:var(--border);border-radius:2px}
.chart td.n{width:4em;text-align:right;font-variant-numeric:tabular-nums}
.chart tr.more th{color:var(--muted);font-style:italic;width:auto}
.b-error{fill:var(--error)}.b-warning{fill:var(--warning)}.b-info{fill:var(--info)}
.filters{position:sticky;top:0;z-index:1;display:flex;gap:12px;align-items:center;flex-wrap:wrap;padding:8px 0;margin-bottom:8px;background:var(--bg);border-bottom:1px solid var(--border)}
.filters input[type=search]{flex:1;min-width:200px;padding:4px 8px;border:1px solid var(--border);border-radius:6px;background:var(--code);color:var(--fg);font:inherit}
.filters output{color:var(--muted)}
.chip{display:inline-block;padding:0 8px;border-radius:10px;border:1px solid var(--border);font-size:12px;font-weight:normal}
.chip button{border:0;background:none;color:inherit;cursor:pointer;font:inherit;padding:0 2px}
.c-error{color:var(--error);border-color:var(--error)}.c-warning{color:var(--warning);border-color:var(--warning)}.c-info{color:var(--info);border-color:var(--info)}
details.file{border:1px solid var(--border);border-radius:8px;margin:0 0 16px;background:var(--panel);overflow:hidden}
details.file>summary{padding:8px 12px;cursor:pointer;font-weight:600;border-bottom:1px solid var(--border)}
details.file>summary .path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
table.code{width:100%;border-collapse:collapse;background:var(--code);font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
table.code+table.code{border-top:1px dashed var(--border)}
td.ln{width:1%;min-width:4em;padding:0 10px;text-align:right;color:var(--ln);user-select:none;vertical-align:top;border-right:1px solid var(--border)}
td.src{padding:0 12px;white-space:pre-wrap;overflow-wrap:anywhere;tab-size:4}
tr.cut td{color:var(--muted);font-style:italic}
mark{color:inherit;border-radius:2px;padding:0}
.m-error{background:var(--m-error);text-decoration:underline wavy var(--error);text-underline-offset:3px}
.m-warning{background:var(--m-warning);text-decoration:underline wavy var(--warning);text-underline-offset:3px}
.m-info{background:var(--m-info);text-decoration:underline dotted var(--info);text-underline-offset:3px}
mark.empty{display:inline-block;width:.6em}
.ctl{color:var(--error);font-weight:600}
.elided{color:var(--muted)}
tr.note td.ann{padding:6px 12px 8px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;background:var(--note);border-top:1px solid var(--border);border-bottom:1px solid var(--border)}
tr.note.n-error td.ann{box-shadow:inset 4px 0 var(--error)}tr.note.n-warning td.ann{box-shadow:inset 4px 0 var(--warning)}tr.note.n-info td.ann{box-shadow:inset 4px 0 var(--info)}
tr.note .head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.sev{font-weight:600;text-transform:uppercase;font-size:11px;letter-spacing:.04em}
.s-error{color:var(--error)}.s-warning{color:var(--warning)}.s-info{color:var(--info)}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;color:var(--muted);overflow-wrap:anywhere}
.rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;margin-left:auto}
.msg{margin:2px 0 0;max-width:110ch}
.extra{margin:2px 0 0;color:var(--muted);font-size:12.5px}
.clean{font-size:18px}
.clean-files{margin:16px 0;color:var(--muted)}
.clean-files ul{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
footer{margin-top:24px;color:var(--muted);font-size:12px}
[data-off~=error] mark.m-error,[data-off~=warning] mark.m-warning,[data-off~=info] mark.m-info{background:none;text-decoration:none}
[hidden]{display:none!important}
`
  .trim()
  .replace(/\n/g, '');

/*
 * The page's script (ES2017, no dependencies): severity checkboxes, a rule filter (from a chart's
 * link) and a text filter hide the findings that do not match, then the code blocks and files left
 * without a visible finding; the state lives in the URL's fragment (`#severity=error&rule=ecs&q=role`).
 */
const SCRIPT = `
(function(){
var d=document,root=d.documentElement,body=d.body;
var notes=[].slice.call(d.querySelectorAll('tr.note'));
var texts=notes.map(function(n){return n.textContent.toLowerCase();});
var blocks=[].slice.call(d.querySelectorAll('table.code'));
var files=[].slice.call(d.querySelectorAll('details.file'));
var boxes=[].slice.call(d.querySelectorAll('#filters input[name=severity]'));
var q=d.getElementById('q'),out=d.getElementById('shown'),chip=d.getElementById('rule-chip'),chipValue=d.getElementById('rule-value');
var filters=d.getElementById('filters');
if(!filters)return;
filters.hidden=false;
var rule='';
function plural(n){return n===1?' finding':' findings';}
function apply(write){
var sev={};boxes.forEach(function(b){sev[b.value]=b.checked;});
var text=q.value.trim().toLowerCase(),shown=0;
notes.forEach(function(n,i){
var id=n.getAttribute('data-rule');
var ok=sev[n.getAttribute('data-severity')]&&(!rule||id===rule||id.indexOf(rule+'/')===0)&&(!text||texts[i].indexOf(text)>=0);
n.hidden=!ok;if(ok)shown++;
});
blocks.forEach(function(b){b.hidden=!b.querySelector('tr.note:not([hidden])');});
files.forEach(function(f){f.hidden=!f.querySelector('tr.note:not([hidden])');});
chip.hidden=!rule;chipValue.textContent=rule;
out.textContent=shown===notes.length?'all '+shown+plural(shown):shown+' of '+notes.length+plural(notes.length);
var parts=[],off=boxes.filter(function(b){return !b.checked;});
if(off.length)parts.push('severity='+boxes.filter(function(b){return b.checked;}).map(function(b){return b.value;}).join(','));
if(rule)parts.push('rule='+encodeURIComponent(rule));
if(text)parts.push('q='+encodeURIComponent(q.value.trim()));
body.setAttribute('data-shown',String(shown));
body.setAttribute('data-filter',parts.join('&'));
body.setAttribute('data-off',off.map(function(b){return b.value;}).join(' '));
if(write){try{history.replaceState(null,'',parts.length?'#'+parts.join('&'):location.pathname+location.search);}catch(e){}}
}
function fromHash(){
var h=location.hash.slice(1);
if(h.indexOf('=')<0)return false;
var p={};h.split('&').forEach(function(kv){var i=kv.indexOf('=');if(i>0){try{p[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1));}catch(e){}}});
var sev=p.severity?p.severity.split(','):null;
boxes.forEach(function(b){b.checked=!sev||sev.indexOf(b.value)>=0;});
rule=p.rule||'';q.value=p.q||'';
return true;
}
boxes.forEach(function(b){b.addEventListener('change',function(){apply(true);});});
q.addEventListener('input',function(){apply(true);});
d.getElementById('rule-clear').addEventListener('click',function(){rule='';apply(true);});
window.addEventListener('hashchange',function(){if(fromHash()){apply(false);window.scrollTo(0,filters.offsetTop);}});
fromHash();
apply(false);
root.setAttribute('data-ready','1');
})();
`.trim();

const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;
const SCRIPT_HASH = `sha256-${createHash('sha256').update(SCRIPT).digest('base64')}`;
