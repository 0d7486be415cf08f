import type { SourceFile } from '../parsers/tree.js';
import { splitIds } from '../model/model.js';

/** A `# stowage-disable...` comment. */
export interface Directive {
  kind: 'next-line' | 'line' | 'file';
  /** Rule ids; empty means every rule. */
  rules: string[];
  /** 1-based line of the comment. */
  line: number;
  start: number;
  end: number;
  /** Rule ids (or '*') this directive suppressed something for. */
  used: Set<string>;
}

// `[\s\S]*` (not `.*`) to the end: it cannot fail there, so a line of many `#` is read once.
const DIRECTIVE = /(?:^|\s)#\s*stowage-(disable-next-line|disable-line|disable)(?=\s|$)([\s\S]*)$/;

/** Directives in a YAML file's comments (JSON has no comments; use resource Metadata there). */
export function parseDirectives(file: SourceFile): Directive[] {
  if (file.syntax !== 'yaml' || !file.text.includes('stowage-disable')) return [];
  const out: Directive[] = [];
  const lines = file.text.split(/\r\n|\r|\n/);
  let offset = 0;
  lines.forEach((text, i) => {
    const m = DIRECTIVE.exec(text);
    if (m) {
      const kind = m[1] === 'disable' ? 'file' : m[1] === 'disable-line' ? 'line' : 'next-line';
      const at = offset + m.index + (m[0].startsWith('#') ? 0 : 1);
      out.push({ kind, rules: splitIds(m[2]!.trim()), line: i + 1, start: at, end: offset + text.length, used: new Set() });
    }
    offset += text.length + (file.text[offset + text.length] === '\r' && file.text[offset + text.length + 1] === '\n' ? 2 : 1);
  });
  return out;
}

/** The directive that suppresses a rule's finding on a line, if any (and mark it used). */
export function suppressedBy(directives: Directive[], ruleId: string, line: number): Directive | undefined {
  for (const d of directives) {
    const applies = d.kind === 'file' || (d.kind === 'line' && d.line === line) || (d.kind === 'next-line' && d.line + 1 === line);
    if (!applies) continue;
    if (d.rules.length === 0 || d.rules.includes(ruleId)) {
      d.used.add(d.rules.length === 0 ? '*' : ruleId);
      return d;
    }
  }
  return undefined;
}
