import { relative } from 'node:path';
import pc from 'picocolors';
import type { FileResult } from '../engine/lint.js';
import type { Severity } from '../engine/rule.js';
import { escapeControl } from './escape.js';
import type { FormatContext } from './index.js';
import { docsUrl } from './links.js';
import { hyperlinksEnabled, osc8, safeUrl } from './terminal.js';

const SYMBOL: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/**
 * Grouped by file: the file's name, then `path:line:col  level  message  rule-id` per finding (the
 * location first, relative to the working directory, so terminals and editors open it on a click),
 * then a summary line whose symbol and colour follow the highest severity present. With colour on a
 * terminal that renders them (or `FORCE_HYPERLINK=1`), each rule id links to its docs page (OSC 8).
 * File names, messages and everything else from the input have their control characters escaped.
 */
export function formatStylish(results: FileResult[], context: FormatContext): string {
  const c = pc.createColors(context.color);
  const links = context.hyperlinks ?? hyperlinksEnabled(context.color, context.env ?? process.env);
  const docs = new Map<string, string | undefined>();
  const ruleLink = (id: string): string | undefined => {
    if (!docs.has(id)) {
      const rule = context.rules.find((r) => r.id === id);
      docs.set(id, rule ? safeUrl(docsUrl(rule.docs)) : undefined);
    }
    return docs.get(id);
  };
  const shownPath = (path: string) => escapeControl(relative(context.cwd, path) || path);
  const out: string[] = [];
  const count: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const r of results) {
    if (!r.findings.length) continue;
    const header = shownPath(r.path);
    out.push('', c.underline(header));
    const rows = r.findings.map((f) => {
      count[f.severity]++;
      const path = f.file.path === r.path ? header : shownPath(f.file.path);
      // The construct path is shown once: the message may carry it already (a CDK finding whose source was not found).
      const cdk = f.cdkPath && !f.message.includes(f.cdkPath) ? f.cdkPath : undefined;
      const where = [cdk, f.helmSource ? `from ${f.helmSource}` : undefined].filter(Boolean).join(', ');
      const message = escapeControl(f.message) + (where ? c.dim(` (${escapeControl(where)})`) : '');
      return { path, pos: `:${f.line}:${f.column}`, level: f.severity, message, id: f.ruleId };
    });
    const w0 = Math.max(...rows.map((x) => x.path.length + x.pos.length));
    const w1 = Math.max(...rows.map((x) => x.level.length));
    for (const { path, pos, level, message, id } of rows) {
      const colour = level === 'error' ? c.red : level === 'warning' ? c.yellow : c.blue;
      const pad = ' '.repeat(w0 - path.length - pos.length);
      const shownId = c.dim(escapeControl(id));
      const url = links ? ruleLink(id) : undefined;
      out.push(`  ${c.dim(path)}${pos}${pad}  ${colour(level.padEnd(w1))}  ${message}  ${url ? osc8(url, shownId) : shownId}`);
    }
  }
  const total = count.error + count.warning + count.info;
  if (total === 0) return '';
  const parts = [`${count.error} error${count.error === 1 ? '' : 's'}`, `${count.warning} warning${count.warning === 1 ? '' : 's'}`];
  if (count.info) parts.push(`${count.info} info`);
  const top: Severity = count.error ? 'error' : count.warning ? 'warning' : 'info';
  const colour = top === 'error' ? c.red : top === 'warning' ? c.yellow : c.blue;
  const summary = `${SYMBOL[top]} ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')})`;
  out.push('', colour(c.bold(summary)), '');
  return out.join('\n');
}
