/** Findings to LSP diagnostics, docs links and hover text. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Finding } from '../engine/lint.js';
import type { Severity } from '../engine/rule.js';
import type { LspFinding, RuleInfo } from './wire.js';

/** The package root (docs/ lives there). */
export { PACKAGE_ROOT } from '../engine/paths.js';
import { PACKAGE_ROOT } from '../engine/paths.js';
import { docsUrl } from '../formatters/links.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function findingRange(f: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  return {
    start: { line: f.line - 1, character: f.column - 1 },
    end: { line: f.endLine - 1, character: f.endColumn - 1 },
  };
}

export function toDiagnostic(f: LspFinding, rules: Map<string, RuleInfo>): Diagnostic {
  const d: Diagnostic = {
    range: findingRange(f),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    source: 'stowage',
    message: f.message,
  };
  const rule = rules.get(f.ruleId);
  const href = rule ? docsHref(rule) : undefined;
  if (href) d.codeDescription = { href };
  const data: Record<string, string> = {};
  if (f.entity) data.entity = f.entity;
  if (f.cdkPath) data.cdkPath = f.cdkPath;
  if (Object.keys(data).length) d.data = data;
  return d;
}

/** A rule's docs page: a file URL of the page in the package, the URL a plugin names, or the page in the repository. */
export function docsHref(rule: RuleInfo): string | undefined {
  if (hrefs.has(rule)) return hrefs.get(rule);
  const href = findDocsHref(rule);
  hrefs.set(rule, href);
  return href;
}

const hrefs = new WeakMap<RuleInfo, string | undefined>();

function findDocsHref(rule: RuleInfo): string | undefined {
  const docs = rule.docs;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(docs)) return docs;
  const path = docsPath(rule);
  if (path) return pathToFileURL(path).href;
  return docsUrl(docs);
}

function docsPath(rule: RuleInfo): string | undefined {
  if (!rule.docs.endsWith('.md')) return undefined;
  const path = isAbsolute(rule.docs) ? rule.docs : join(PACKAGE_ROOT, rule.docs);
  return existsSync(path) ? path : undefined;
}

const summaries = new Map<string, string>();

/** The first paragraphs of a rule's docs page (without its title and headings). */
export function docsSummary(rule: RuleInfo, paragraphs = 2): string {
  const key = `${rule.id}\0${rule.docs}`;
  const cached = summaries.get(key);
  if (cached !== undefined) return cached;
  let out = '';
  const path = docsPath(rule);
  if (path) {
    try {
      const blocks = readFileSync(path, 'utf8')
        .split(/\r?\n\s*\r?\n/)
        .map((b) => b.split(/\r?\n/).filter((l) => !/^#{1,6}\s/.test(l)).join('\n').trim())
        .filter((b) => b && !b.startsWith('```'));
      out = blocks.slice(0, paragraphs).join('\n\n');
    } catch {
      out = '';
    }
  }
  summaries.set(key, out);
  return out;
}

/** Markdown shown when hovering a finding. */
export function hoverMarkdown(f: Pick<Finding, 'ruleId' | 'severity' | 'message'>, rule: RuleInfo | undefined): string {
  if (!rule) return `**${f.ruleId}** (${f.severity})\n\n${f.message}`;
  const parts = [`**${rule.id}** · ${f.severity}`, rule.description];
  const summary = docsSummary(rule);
  if (summary) parts.push(summary);
  const href = docsHref(rule);
  if (href) parts.push(`[Documentation for ${rule.id}](${href})`);
  return parts.join('\n\n');
}
