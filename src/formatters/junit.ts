import type { FileResult } from '../engine/lint.js';
import type { FormatContext } from './index.js';
import { escapeControl } from './escape.js';
import { relPath, xmlEscape, xmlText } from './links.js';

/**
 * JUnit XML: one `<testsuite>` per file, one failing `<testcase>` per finding (named by rule
 * id and line), and one passing test case for a file without findings. Control characters in
 * file names and messages are escaped (`escapeControl`).
 */
export function formatJunit(results: FileResult[], context: FormatContext): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const r of results) {
    const file = escapeControl(relPath(context.cwd, r.path));
    const cases: string[] = [];
    if (!r.findings.length) {
      cases.push(`    <testcase name="${xmlEscape('stowage')}" classname="${xmlEscape(file)}" file="${xmlEscape(file)}" time="0"/>`);
    }
    for (const f0 of r.findings) {
      const f = { ...f0, ruleId: escapeControl(f0.ruleId), message: escapeControl(f0.message), entity: f0.entity && escapeControl(f0.entity), cdkPath: f0.cdkPath && escapeControl(f0.cdkPath) };
      const where = `${file}:${f.line}:${f.column}`;
      const extra = [f.entity ? `entity: ${f.entity}` : '', f.cdkPath ? `CDK path: ${f.cdkPath}` : ''].filter(Boolean).join('\n');
      cases.push(
        `    <testcase name="${xmlEscape(`${f.ruleId} (line ${f.line})`)}" classname="${xmlEscape(file)}" file="${xmlEscape(file)}" line="${f.line}" time="0">\n` +
          `      <failure message="${xmlEscape(f.message)}" type="${xmlEscape(f.severity)}">${xmlText(`${f.severity}: ${f.message} (${f.ruleId})\nat ${where}${extra ? `\n${extra}` : ''}`)}</failure>\n` +
          `    </testcase>`,
      );
    }
    const n = Math.max(1, r.findings.length);
    tests += n;
    failures += r.findings.length;
    suites.push(
      `  <testsuite name="${xmlEscape(file)}" tests="${n}" failures="${r.findings.length}" errors="0" skipped="0" time="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="stowage" tests="${tests}" failures="${failures}" errors="0" time="0">\n${suites.length ? suites.join('\n') + '\n' : ''}</testsuites>\n`;
}
