/** Code actions for findings: suppress for a line (YAML), for a resource (JSON CloudFormation), and quick fixes. */
import { findNodeAtLocation, modify, parseTree, type FormattingOptions } from 'jsonc-parser';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedFile } from '../parsers/index.js';
import { multilineScalars, type LspFinding } from './wire.js';
import { isLineBreak, isSpace } from '../parsers/text-scan.js';

/** Findings that cannot be suppressed. */
const UNSUPPRESSIBLE = new Set(['parse-error', 'unused-disable-directive', 'unknown-rule']);

export interface ActionContext {
  document: TextDocument;
  /** The parsed document (in-process callers); the lint worker marks findings `inMultilineScalar` instead. */
  parsed?: ParsedFile | undefined;
  /** The document is JSON (as the linter read it); guessed from the text when not given. */
  json?: boolean;
  findings: LspFinding[];
}

/** The findings a client's diagnostics stand for (matched by rule id and start position). */
export function findingsFor<F extends LspFinding>(diagnostics: Diagnostic[], findings: F[]): Array<{ diagnostic: Diagnostic; finding: F }> {
  const out: Array<{ diagnostic: Diagnostic; finding: F }> = [];
  for (const d of diagnostics) {
    if (d.source !== 'stowage') continue;
    const f = findings.find((x) => x.ruleId === d.code && x.line - 1 === d.range.start.line && x.column - 1 === d.range.start.character);
    if (f) out.push({ diagnostic: d, finding: f });
  }
  return out;
}

export function codeActions(ctx: ActionContext, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const uri = ctx.document.uri;
  const json = ctx.parsed ? ctx.parsed.file.syntax === 'json' : (ctx.json ?? /^\s*[{[]/.test(ctx.document.getText()));
  const multiline = ctx.parsed && !json ? multilineScalars(ctx.parsed) : undefined;
  for (const { diagnostic, finding } of findingsFor(diagnostics, ctx.findings)) {
    if (finding.fix) {
      actions.push({
        title: finding.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [uri]: finding.fix.edits.map((e) => ({ range: { start: ctx.document.positionAt(e.start), end: ctx.document.positionAt(e.end) }, newText: e.text })) } },
      });
    }
    if (UNSUPPRESSIBLE.has(finding.ruleId) || finding.fatal) continue;
    if (!json) {
      const key = `line:${finding.ruleId}:${finding.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const edit = finding.inMultilineScalar || multiline?.(finding.start, finding.line) ? undefined : disableNextLineEdit(ctx.document, finding);
      if (edit) actions.push({ title: `Disable ${finding.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: [edit] } } });
    } else if (finding.entity) {
      const key = `resource:${finding.ruleId}:${finding.entity}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const edits = disableForResourceEdits(ctx.document, finding.entity, finding.ruleId);
      if (edits) actions.push({ title: `Disable ${finding.ruleId} for this resource`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: edits } } });
    }
  }
  return actions;
}

/**
 * `# stowage-disable-next-line <ids> [-- reason]`: the ids, and where they end (where another id goes). Read
 * as `/^(\s*#\s*stowage-disable-next-line)(\s+[^\n]*?)?(\s+--\s.*)?\s*$/` reads it, in one pass (that
 * pattern's lazy ids and optional reason backtrack quadratically on a long line of spaces).
 */
export function nextLineDirective(line: string): { at: number; ids: string } | undefined {
  const n = line.length;
  const space = (i: number) => i < n && isSpace(line.charCodeAt(i));
  let i = 0;
  while (space(i)) i++;
  if (line[i] !== '#') return undefined;
  i++;
  while (space(i)) i++;
  const word = 'stowage-disable-next-line';
  if (!line.startsWith(word, i)) return undefined;
  const head = i + word.length;
  if (head === n) return { at: head, ids: '' };
  if (!space(head)) return undefined;
  let w = head;
  while (space(w)) w++;
  let trail = n;
  while (trail > head && space(trail - 1)) trail--;
  let lastBreak = -1;
  for (let k = trail - 1; k >= head; k--)
    if (isLineBreak(line.charCodeAt(k))) {
      lastBreak = k;
      break;
    }
  // The first ` -- ` after the ids' leading spaces whose reason runs to the trailing spaces.
  for (let k = line.indexOf('--', w); k >= 0 && k < trail; k = line.indexOf('--', k + 1)) {
    if (!space(k - 1) || !space(k + 2) || lastBreak >= k + 3) continue;
    let r = k - 1;
    while (r > w && space(r - 1)) r--;
    if (r < k && r >= w) return { at: r, ids: line.slice(head, r).trim() };
  }
  const at = Math.max(w, trail);
  return { at, ids: line.slice(head, at).trim() };
}

/**
 * `# stowage-disable-next-line <rule>` above the finding's line, at its indentation (or the rule added
 * to one already there). The caller checks that the line is not inside a multi-line scalar.
 */
export function disableNextLineEdit(doc: TextDocument, f: Pick<LspFinding, 'line' | 'ruleId'>): TextEdit | undefined {
  const line = f.line - 1;
  const text = lineText(doc, line);
  if (line > 0) {
    const above = lineText(doc, line - 1);
    const m = nextLineDirective(above);
    if (m) {
      const ids = m.ids;
      if (ids.split(/[,\s]+/).includes(f.ruleId)) return undefined;
      const at = m.at;
      return { range: { start: { line: line - 1, character: at }, end: { line: line - 1, character: at } }, newText: ids ? `, ${f.ruleId}` : ` ${f.ruleId}` };
    }
  }
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = doc.getText().includes('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# stowage-disable-next-line ${f.ruleId}${eol}` };
}

function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** Add the rule to `Resources.<id>.Metadata.stowage.ignore` of a JSON template. */
export function disableForResourceEdits(doc: TextDocument, logicalId: string, ruleId: string): TextEdit[] | undefined {
  const text = doc.getText();
  const root = parseTree(text);
  if (!root) return undefined;
  const resource = findNodeAtLocation(root, ['Resources', logicalId]);
  if (!resource || resource.type !== 'object') return undefined;
  const path = ['Resources', logicalId, 'Metadata', 'stowage', 'ignore'];
  const existing = findNodeAtLocation(root, path);
  const formattingOptions = detectFormatting(text);
  let edits;
  if (existing?.type === 'array') {
    if (existing.children?.some((c) => c.value === ruleId)) return undefined;
    edits = modify(text, [...path, -1], ruleId, { isArrayInsertion: true, formattingOptions });
  } else if (existing?.type === 'string') {
    edits = modify(text, path, `${String(existing.value)}, ${ruleId}`, { formattingOptions });
  } else {
    edits = modify(text, path, [ruleId], { formattingOptions });
  }
  return edits.map((e) => ({ range: { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.length) }, newText: e.content }));
}

function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  if (m && m[1]!.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: m ? m[1]!.length : 2, eol };
}
