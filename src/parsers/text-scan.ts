/**
 * Hand-written scans of values from the linted files (`${...}` pieces, placeholders), each one pass over
 * the text: a regular expression such as `/\$\{([^}]*)\}/g` reads the rest of the text again from every
 * `${` that has no closing brace, which is quadratic on a hostile value.
 */

/** A `${...}` piece (or `&{...}`, with other openers): where it starts and ends, and the text between the braces. */
export interface BracedPiece {
  /** Offset of the opener (`$`). */
  index: number;
  /** Offset just past the closing `}`. */
  end: number;
  /** The whole piece, `${...}`. */
  whole: string;
  /** The text between the braces. */
  inner: string;
}

/**
 * The `${...}` pieces of a text, left to right, as `/\$\{([^}]*)\}/g` finds them (with `openers` `'$&'`: as
 * `/[$&]\{([^}]*)\}/g`). Linear: once no `}` follows, no later piece can close either.
 */
export function* bracedPieces(text: string, openers = '$'): Generator<BracedPiece> {
  // Yielded one at a time: callers often stop at the first piece, and a hostile text may hold a million.
  let from = 0;
  for (;;) {
    const open = nextOpener(text, from, openers);
    if (open < 0) return;
    const close = text.indexOf('}', open + 2);
    if (close < 0) return;
    yield { index: open, end: close + 1, whole: text.slice(open, close + 1), inner: text.slice(open + 2, close) };
    from = close + 1;
  }
}

function nextOpener(text: string, from: number, openers: string): number {
  for (let i = text.indexOf('{', from + 1); i >= 0; i = text.indexOf('{', i + 1)) {
    if (i - 1 >= from && openers.includes(text[i - 1]!)) return i - 1;
  }
  return -1;
}

/** Does the text hold a `${...}` (or, with openers `'$&'`, a `&{...}`) piece? */
export function hasBracedPiece(text: string, openers = '$'): boolean {
  const open = nextOpener(text, 0, openers);
  return open >= 0 && text.indexOf('}', open + 2) >= 0;
}

/** The text between the pieces (`text.split(/\$\{[^}]*\}/)`, with `openers` as in `bracedPieces`). */
export function splitOnPieces(text: string, openers = '$'): string[] {
  const out: string[] = [];
  let last = 0;
  for (const p of bracedPieces(text, openers)) {
    out.push(text.slice(last, p.index));
    last = p.end;
  }
  out.push(text.slice(last));
  return out;
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isIdStart = (c: number) => isUpper(c) || (c >= 97 && c <= 122) || c === 95;
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
/** `[A-Z0-9_]` */
const isConstPart = (c: number) => isUpper(c) || (c >= 48 && c <= 57) || c === 95;

/**
 * Does a value hold a template placeholder of a tool that renders files before deploy: `{{` (Helm,
 * mustache, `${{`), `${VAR}` / `${VAR:-default}` / `${VAR-default}` (envsubst), `<%=` (ERB) or
 * `__NAME__` (cookiecutter-style)? The same answer as
 * `/\{\{|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}|\$\{\{|<%=|__[A-Z][A-Z0-9_]+__/`, in one pass.
 */
export function hasPlaceholder(text: string): boolean {
  if (text.includes('{{') || text.includes('<%=')) return true;
  const lastBrace = text.lastIndexOf('}');
  const n = text.length;
  // `__[A-Z][A-Z0-9_]+__` lies within one run of [A-Z0-9_]: the earliest `__X` of the current run, and
  // whether a `__` starts at least four characters after it.
  let runEarliest = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
      // `${NAME}` or `${NAME:-...}` / `${NAME-...}` (any text, then a `}` somewhere after).
      let j = i + 2;
      if (j < n && isIdStart(text.charCodeAt(j))) {
        j++;
        while (j < n && isIdPart(text.charCodeAt(j))) j++;
        const d = text.charCodeAt(j);
        if (d === 125 /* } */) return true;
        const dash = d === 58 /* : */ ? j + 1 : j;
        if (text.charCodeAt(dash) === 45 /* - */ && lastBrace > dash) return true;
      }
    }
    if (!isConstPart(c)) {
      runEarliest = -1;
      continue;
    }
    if (c === 95 && text.charCodeAt(i + 1) === 95) {
      if (runEarliest >= 0 && i >= runEarliest + 4 && i + 1 < n) return true;
      if (runEarliest < 0 && isUpper(text.charCodeAt(i + 2))) runEarliest = i;
    }
  }
  return false;
}

/** What `\s` matches. */
export function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** A line terminator for `.`, `^` and `$` (`\n`, `\r`, U+2028, U+2029). */
export function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** `[A-Za-z0-9_]` (what `\w` and `\b` know as word characters). */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * Where a global pattern's matches start or end, in order. An `exec` loop that keeps only the numbers:
 * `[...text.matchAll(re)]` holds every match array at once, and on a long hostile text that many live
 * objects makes the garbage collector's work grow faster than the text.
 */
export function matchOffsets(text: string, re: RegExp, which: 'start' | 'end'): number[] {
  if (!re.global) throw new Error(`matchOffsets needs a global pattern: ${String(re)}`);
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(which === 'start' ? m.index : m.index + m[0].length);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/**
 * Is some position of `after` at or past some position of `from`, with no `\n` between them? Both lists
 * ascend; one pass over them and the text. (What `/A[^\n]*B/` asks, without reading the rest of the line
 * again from every A.)
 */
export function onSameLine(text: string, from: number[], after: number[]): boolean {
  let k = 0;
  let lineEnd = -1;
  for (const e of from) {
    if (e > lineEnd) {
      lineEnd = text.indexOf('\n', e);
      if (lineEnd < 0) lineEnd = text.length;
    }
    while (k < after.length && after[k]! < e) k++;
    if (k < after.length && after[k]! <= lineEnd) return true;
  }
  return false;
}

/**
 * Does a line end with a `{{ ... }}` (no `}` or newline inside), then only spaces? As
 * `/\{\{[^}\n]*\}\}\s*$/m`, in one pass.
 */
export function endsWithMustache(text: string): boolean {
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '}') {
      if (text[i + 1] === '}' && open >= 0 && open + 2 <= i) {
        let j = i + 2;
        while (j < text.length && isSpace(text.charCodeAt(j)) && !isLineBreak(text.charCodeAt(j))) j++;
        if (j === text.length || isLineBreak(text.charCodeAt(j))) return true;
      }
      open = -1;
    } else if (c === '\n') open = -1;
    else if (c === '{' && text[i + 1] === '{' && open < 0) open = i;
  }
  return false;
}

/**
 * A `{{ ... }}` on one line that is not a `{{resolve:...}}` dynamic reference: as
 * `/\{\{(?!\s*resolve:)[^\n]*\}\}/`, in one pass.
 */
export function hasMustache(text: string): boolean {
  let lineEnd = -1;
  let close = -2;
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 1)) {
    if (i > lineEnd) {
      lineEnd = text.indexOf('\n', i);
      if (lineEnd < 0) lineEnd = text.length;
    }
    // The first `}}` after the opener (looked for again only when the opener passes it).
    if (close !== -1 && close < i + 2) close = text.indexOf('}}', i + 2);
    if (close < 0) return false;
    if (close + 2 > lineEnd) continue;
    let j = i + 2;
    while (j < text.length && isSpace(text.charCodeAt(j))) j++;
    if (!text.startsWith('resolve:', j)) return true;
  }
  return false;
}

/**
 * Replace the parts of an image reference that cannot be known with `hole`: `${...}`, `{{ ... }}`,
 * `<%= ... %>`, `__NAME__`, `{name}`. The same result as `text.replace(/\$\{[^}]*\}|\{\{[\s\S]*?\}\}|
 * <%=[\s\S]*?%>|__[A-Z][A-Z0-9_]+__|\{[A-Za-z_][\w.-]*\}/g, hole)`, in one pass (each closing token is
 * looked for once, not again from every opener).
 */
export function replaceUnknownParts(text: string, hole: string): string {
  const n = text.length;
  const next = { brace: -2, mustache: -2, erb: -2 };
  const find = (key: keyof typeof next, token: string, from: number) => {
    if (next[key] !== -1 && next[key] < from) next[key] = text.indexOf(token, from);
    return next[key];
  };
  let runEnd = -1;
  let runLastDouble = -1;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let end = -1;
    if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123) {
      const close = find('brace', '}', i + 2);
      if (close >= 0) end = close + 1;
    } else if (c === 123 /* { */) {
      if (text.charCodeAt(i + 1) === 123) {
        const close = find('mustache', '}}', i + 2);
        if (close >= 0) end = close + 2;
      }
      if (end < 0 && i + 1 < n && isIdStart(text.charCodeAt(i + 1))) {
        let j = i + 2;
        while (j < n && (isWordChar(text.charCodeAt(j)) || text[j] === '.' || text[j] === '-')) j++;
        if (text[j] === '}') end = j + 1;
      }
    } else if (c === 60 /* < */ && text.startsWith('<%=', i)) {
      const close = find('erb', '%>', i + 3);
      if (close >= 0) end = close + 2;
    } else if (c === 95 /* _ */ && text.charCodeAt(i + 1) === 95 && isUpper(text.charCodeAt(i + 2))) {
      // The run of [A-Z0-9_] holding it, and the last `__` in that run (greedy `+`).
      if (i >= runEnd) {
        runEnd = i;
        while (runEnd < n && isConstPart(text.charCodeAt(runEnd))) runEnd++;
        runLastDouble = -1;
        for (let j = runEnd - 2; j >= i; j--)
          if (text.charCodeAt(j) === 95 && text.charCodeAt(j + 1) === 95) {
            runLastDouble = j;
            break;
          }
      }
      if (runLastDouble >= i + 4) end = runLastDouble + 2;
    }
    if (end < 0) {
      i++;
      continue;
    }
    out += text.slice(last, i) + hole;
    last = i = end;
  }
  return out + text.slice(last);
}

/**
 * Compare strings by Unicode code point (plain `<` compares UTF-16 code units, which puts characters
 * beyond U+FFFF before U+E000–U+FFFF). For every list a message or a walk puts in order.
 */
export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–U+DFFF) stands for a code point above every BMP character.
    const hx = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
    const hy = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
    return hx - hy;
  }
  return a.length - b.length;
}
