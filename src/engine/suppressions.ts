import type { SourceFile } from '../parsers/tree.js';
import { splitIds, type IdAt } from '../model/model.js';

/** A `# stowage-disable...` comment. */
export interface Directive {
  kind: 'next-line' | 'line' | 'file';
  /** Rule ids; empty means every rule. */
  rules: string[];
  /** Where each rule id is written (for "unknown rule" findings); absent where not known. */
  ids?: IdAt[];
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
      const rest = m[2]!;
      const restStart = offset + m.index + m[0].length - rest.length;
      const rules = splitIds(rest.trim());
      const ids: IdAt[] = [];
      let cursor = 0;
      for (const id of rules) {
        const k = rest.indexOf(id, cursor);
        if (k < 0) break;
        ids.push({ id, start: restStart + k, end: restStart + k + id.length });
        cursor = k + id.length;
      }
      out.push({ kind, rules, ids, line: i + 1, start: at, end: offset + text.length, used: new Set() });
    }
    offset += text.length + (file.text[offset + text.length] === '\r' && file.text[offset + text.length + 1] === '\n' ? 2 : 1);
  });
  return out;
}

/** Does a directive suppress a rule's finding on a line? */
function applies(d: Directive, ruleId: string, line: number): boolean {
  const here = d.kind === 'file' || (d.kind === 'line' && d.line === line) || (d.kind === 'next-line' && d.line + 1 === line);
  return here && (d.rules.length === 0 || d.rules.includes(ruleId));
}

function markUsed(d: Directive, ruleId: string): Directive {
  d.used.add(d.rules.length === 0 ? '*' : ruleId);
  return d;
}

/** The directive that suppresses a rule's finding on a line, if any (and mark it used). */
export function suppressedBy(directives: Directive[], ruleId: string, line: number): Directive | undefined {
  for (const d of directives) if (applies(d, ruleId, line)) return markUsed(d, ruleId);
  return undefined;
}

/**
 * The directives of a file indexed by the line they act on and the rules they name, so that each
 * finding looks at a handful of candidates instead of every directive of the file (a file with
 * thousands of comments and thousands of findings). Answers exactly as `suppressedBy`: the first
 * directive of the file that applies.
 */
export class DirectiveIndex {
  private readonly byLine = new Map<number, Directive[]>();
  private readonly fileByRule = new Map<string, Directive>();
  private fileAll: Directive | undefined;

  constructor(readonly directives: Directive[]) {
    for (const d of directives) {
      if (d.kind === 'file') {
        if (d.rules.length === 0) this.fileAll ??= d;
        for (const r of d.rules) if (!this.fileByRule.has(r)) this.fileByRule.set(r, d);
        continue;
      }
      const line = d.kind === 'line' ? d.line : d.line + 1;
      const list = this.byLine.get(line);
      if (list) list.push(d);
      else this.byLine.set(line, [d]);
    }
  }

  suppressedBy(ruleId: string, line: number): Directive | undefined {
    let best: Directive | undefined;
    const consider = (d: Directive | undefined) => {
      if (d && (!best || d.start < best.start) && applies(d, ruleId, line)) best = d;
    };
    consider(this.fileAll);
    consider(this.fileByRule.get(ruleId));
    for (const d of this.byLine.get(line) ?? []) consider(d);
    return best ? markUsed(best, ruleId) : undefined;
  }
}
