/**
 * Control characters in text that reports print (file names, messages, entity names, rule ids).
 *
 * A file name may hold a newline: printed raw, it starts a new line of a CI log, and a line that
 * starts with `::warning` is a GitHub Actions command. Bidirectional overrides reorder what a reader
 * sees (Trojan Source). Every text format passes what it prints through `escapeControl`, so none of
 * these reach a terminal, a log or a report: `\n`, `\r` and `\t` are shown as those two characters,
 * every other C0 and C1 control, DEL, the bidi controls, the line and paragraph separators and lone
 * surrogates as `\u{hex}`. Backslashes are left alone (Windows paths).
 */
export function escapeControl(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const esc = controlEscape(code, s, i);
    if (esc === undefined) {
      if (code >= 0xd800 && code <= 0xdbff) i++; // a valid pair: skip its low half
      continue;
    }
    out += s.slice(from, i) + esc;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** Whether `escapeControl` would change `s`. */
export function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (controlEscape(code, s, i) !== undefined) return true;
    if (code >= 0xd800 && code <= 0xdbff) i++;
  }
  return false;
}

/**
 * The escape of the UTF-16 unit at `i` (whose code is `code`), or undefined when it is printed as it
 * is. A high surrogate followed by a low one is a valid pair (the caller skips the low half).
 */
export function controlEscape(code: number, s: string, i: number): string | undefined {
  if (code < 0x20) return code === 10 ? '\\n' : code === 13 ? '\\r' : code === 9 ? '\\t' : hex(code);
  if (code < 0x7f) return undefined;
  if (code <= 0x9f) return hex(code); // DEL and C1 (NEL U+0085 included)
  if (code < 0x061c) return undefined;
  if (
    code === 0x061c || // Arabic letter mark
    code === 0x200e || code === 0x200f || // LRM, RLM
    (code >= 0x202a && code <= 0x202e) || // LRE, RLE, PDF, LRO, RLO
    (code >= 0x2066 && code <= 0x2069) || // LRI, RLI, FSI, PDI
    code === 0x2028 || code === 0x2029 // line and paragraph separators
  )
    return hex(code);
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = s.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff ? undefined : hex(code);
  }
  if (code >= 0xdc00 && code <= 0xdfff) return hex(code); // a low surrogate without its high half
  return undefined;
}

function hex(code: number): string {
  return `\\u{${code.toString(16)}}`;
}
