import type { FileResult, Finding, FindingLocation } from '../engine/lint.js';
import type { FormatContext } from './index.js';

/** ESLint-compatible JSON: one entry per file, `messages` with 1-based positions. */
export function formatJson(results: FileResult[], _context: FormatContext): string {
  return JSON.stringify(results.map(toEslint));
}

export function toEslint(r: FileResult) {
  const messages = r.findings.map(toMessage);
  return {
    filePath: r.path,
    messages,
    errorCount: r.findings.filter((f) => f.severity === 'error').length,
    fatalErrorCount: r.findings.filter((f) => f.fatal).length,
    warningCount: r.findings.filter((f) => f.severity !== 'error').length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
  };
}

function toMessage(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity === 'error' ? 2 : 1,
    level: f.severity,
    message: f.message,
    ...(f.messageId !== undefined ? { messageId: f.messageId } : {}),
    ...(f.data ? { data: f.data } : {}),
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ...(f.fatal ? { fatal: true } : {}),
    ...(f.entity ? { entity: f.entity } : {}),
    ...(f.cdkPath ? { cdkPath: f.cdkPath } : {}),
    ...(f.k8sObject ? { k8sObject: f.k8sObject } : {}),
    ...(f.helmSource ? { helmSource: f.helmSource } : {}),
    ...(f.templateLocation ? { templateLocation: location(f.templateLocation) } : {}),
    ...(f.sourceLocation ? { sourceLocation: location(f.sourceLocation) } : {}),
  };
}

/** Where a CDK finding also is (the template, or the TypeScript). */
function location(l: FindingLocation) {
  return { filePath: l.filePath, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn };
}
