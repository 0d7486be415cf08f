import type { FileResult, Finding } from '../engine/lint.js';
import type { FormatContext } from './index.js';
import { escapeControl } from './escape.js';
import { docsUrl, relPath } from './links.js';

/**
 * GitHub Actions workflow commands: one annotation per finding
 * (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<rule id>::message`);
 * info findings are notices. Control characters in file names and messages are escaped first
 * (`escapeControl`), so a newline in a file name cannot start a command line of its own; then GitHub's
 * own escaping applies. GitHub shows at most ten annotations of each level per step,
 * so the CLI also appends `githubSummary` to `$GITHUB_STEP_SUMMARY`.
 */
export function formatGithub(results: FileResult[], context: FormatContext): string {
  const out: string[] = [];
  for (const r of results)
    for (const f of r.findings) {
      const command = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const props = [
        `file=${escapeProperty(escapeControl(relPath(context.cwd, f.file.path)))}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeProperty(escapeControl(f.ruleId))}`,
      ];
      out.push(`::${command} ${props.join(',')}::${escapeData(escapeControl(f.message))}`);
    }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Escaping of a workflow command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A Markdown table of every finding, for the job summary (`$GITHUB_STEP_SUMMARY`). */
export function githubSummary(results: FileResult[], context: FormatContext): string {
  const findings: Finding[] = results.flatMap((r) => r.findings);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const head = `### stowage: ${findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} info)` : 'no findings'}\n`;
  if (!findings.length) return `${head}\n`;
  const docs = new Map(context.rules.map((r) => [r.id, docsUrl(r.docs)]));
  const rows = findings.map((f) => {
    const id = cell(escapeControl(f.ruleId)).replace(/`/g, "'");
    const rule = docs.has(f.ruleId) ? `[\`${id}\`](${docs.get(f.ruleId)})` : `\`${id}\``;
    return `| ${f.severity} | ${cell(`${escapeControl(relPath(context.cwd, f.file.path))}:${f.line}:${f.column}`)} | ${rule} | ${cell(escapeControl(f.message))} |`;
  });
  return `${head}\n| level | location | rule | message |\n|---|---|---|---|\n${rows.join('\n')}\n\n`;
}

/** A table cell: pipes escaped, newlines as spaces, Markdown/HTML specials neutralised. */
function cell(s: string): string {
  return s.replace(/\r?\n|\r/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
