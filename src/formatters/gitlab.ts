import { createHash } from 'node:crypto';
import { fingerprint } from '../engine/baseline.js';
import type { FileResult, Finding } from '../engine/lint.js';
import type { FormatContext } from './index.js';
import { escapeControl } from './escape.js';
import { relPath } from './links.js';

type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** How a finding maps onto GitLab's severities. */
export function gitlabSeverity(f: Finding): GitlabSeverity {
  if (f.fatal || f.ruleId === 'parse-error') return 'critical';
  return f.severity === 'error' ? 'major' : f.severity === 'warning' ? 'minor' : 'info';
}

/**
 * GitLab Code Quality (a subset of the Code Climate format): an array of issues with
 * `description`, `check_name`, `fingerprint`, `severity` and `location.path` / `lines.begin`.
 * The fingerprint is the baseline fingerprint (line-independent) plus the occurrence number
 * among findings that share it, so it is unique within a report and survives line shifts. GitLab
 * shows the text fields in merge requests: their control characters are escaped (`escapeControl`).
 */
export function formatGitlab(results: FileResult[], context: FormatContext): string {
  const seen = new Map<string, number>();
  const issues = results.flatMap((r) =>
    r.findings.map((f) => {
      const base = `${fingerprint(f, context.cwd)}\0${f.message}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return {
        type: 'issue',
        description: escapeControl(f.message),
        check_name: escapeControl(f.ruleId),
        fingerprint: createHash('md5').update(`${base}\0${n}`).digest('hex'),
        severity: gitlabSeverity(f),
        location: { path: escapeControl(relPath(context.cwd, f.file.path)), lines: { begin: f.line, end: f.endLine } },
      };
    }),
  );
  return JSON.stringify(issues, null, 2);
}
