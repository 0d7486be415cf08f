import { relative } from 'node:path';
import pc from 'picocolors';
import type { FileResult } from '../engine/lint.js';
import type { FormatContext } from './index.js';

/** Grouped by file: `line:col  level  message  rule-id`, then a summary line. */
export function formatStylish(results: FileResult[], context: FormatContext): string {
  const c = pc.createColors(context.color);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const r of results) {
    if (!r.findings.length) continue;
    out.push('', c.underline(relative(context.cwd, r.path) || r.path));
    const rows = r.findings.map((f) => {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      // The construct path is shown once: the message may carry it already (a CDK finding whose source was not found).
      const cdk = f.cdkPath && !f.message.includes(f.cdkPath) ? f.cdkPath : undefined;
      const where = [cdk, f.helmSource ? `from ${f.helmSource}` : undefined].filter(Boolean).join(', ');
      const message = f.message.replace(/\n/g, ' ') + (where ? c.dim(` (${where})`) : '');
      return [`${f.line}:${f.column}`, f.severity, message, f.ruleId] as const;
    });
    const w0 = Math.max(...rows.map((x) => x[0].length));
    const w1 = Math.max(...rows.map((x) => x[1].length));
    for (const [pos, level, message, id] of rows) {
      const colour = level === 'error' ? c.red : level === 'warning' ? c.yellow : c.blue;
      out.push(`  ${c.dim(pos.padEnd(w0))}  ${colour(level.padEnd(w1))}  ${message}  ${c.dim(id)}`);
    }
  }
  const total = errors + warnings + infos;
  if (total === 0) return '';
  const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
  if (infos) parts.push(`${infos} info`);
  const summary = `✖ ${total} problem${total === 1 ? '' : 's'} (${parts.join(', ')})`;
  out.push('', (errors ? c.red : c.yellow)(c.bold(summary)), '');
  return out.join('\n');
}
