import type { FileResult } from '../engine/lint.js';
import type { FormatContext } from './index.js';
import { escapeControl } from './escape.js';
import { xmlEscape } from './links.js';

/** Checkstyle XML (as ESLint's `checkstyle` formatter writes it): `<file>` per file, `<error>` per finding; control characters in file names and messages escaped (`escapeControl`). */
export function formatCheckstyle(results: FileResult[], _context: FormatContext): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const r of results) {
    out.push(`  <file name="${xmlEscape(escapeControl(r.path))}">`);
    for (const f of r.findings) {
      out.push(
        `    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${xmlEscape(escapeControl(`${f.message} (${f.ruleId})`))}" source="${xmlEscape(escapeControl(`stowage.${f.ruleId}`))}"/>`,
      );
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>', '');
  return out.join('\n');
}
