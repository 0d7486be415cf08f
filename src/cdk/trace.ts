/** Creation stack traces of constructs, as the assembly records them: the file, line and column of a frame. */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSpace } from '../parsers/text-scan.js';

/** `"<anonymous> (/app/bin/app.ts:6:12)"`, `"new OrdersStack (file:///app/lib/x.ts:4:5)"`, `"/app/bin/app.ts:6:12"`. */
export function frameLocation(frame: string): { file: string; line: number; column: number } | undefined {
  if (frame.startsWith('...') || frame.startsWith('(')) return undefined;
  const m = frameParts(frame);
  if (!m) return undefined;
  let file = m[1]!.trim();
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (!isAbsolute(file)) return undefined;
  return { file, line: Number(m[2]), column: Number(m[3]) };
}

/**
 * A frame's `<path>:<line>:<column>` at its end, the path after `(`, a space or the start: what
 * `/(?:\(|^|\s)((?:file:\/\/)?(?:[A-Za-z]:)?[^():]*?):(\d+):(\d+)\)?\s*$/` captures (frames come from the
 * assembly, so they are read from the end once instead of from every space).
 */
export function frameParts(frame: string): [string, string, string, string] | undefined {
  const isDigit = (i: number) => i >= 0 && frame.charCodeAt(i) >= 48 && frame.charCodeAt(i) <= 57;
  const opensPath = (i: number) => i === 0 || frame[i - 1] === '(' || isSpace(frame.charCodeAt(i - 1));
  let end = frame.length;
  while (end > 0 && isSpace(frame.charCodeAt(end - 1))) end--;
  if (frame[end - 1] === ')') end--;
  let c = end;
  while (isDigit(c - 1)) c--;
  if (c === end || frame[c - 1] !== ':') return undefined;
  let l = c - 1;
  while (isDigit(l - 1)) l--;
  if (l === c - 1 || frame[l - 1] !== ':') return undefined;
  const colon = l - 1;
  let run = colon;
  while (run > 0 && !'():'.includes(frame[run - 1]!)) run--;
  const starts: number[] = [];
  if (frame[run - 1] === ':') {
    const letter = (i: number) => i >= 0 && /^[A-Za-z]$/.test(frame[i]!);
    if (letter(run - 2)) {
      starts.push(run - 2);
      if (run - 9 >= 0 && frame.slice(run - 9, run - 2) === 'file://') starts.push(run - 9);
    }
    if (run - 5 >= 0 && frame.slice(run - 5, run) === 'file:' && frame.startsWith('//', run)) starts.push(run - 5);
  }
  let start = -1;
  for (const s of starts) if (opensPath(s) && (start < 0 || s < start)) start = s;
  if (start < 0) for (let s = run; s <= colon; s++) if (opensPath(s)) {
    start = s;
    break;
  }
  if (start < 0) return undefined;
  return [frame.slice(start, end), frame.slice(start, colon), frame.slice(l, c - 1), frame.slice(c, end)];
}
