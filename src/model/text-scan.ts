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
export function bracedPieces(text: string, openers = '$'): BracedPiece[] {
  const out: BracedPiece[] = [];
  let from = 0;
  for (;;) {
    const open = nextOpener(text, from, openers);
    if (open < 0) break;
    const close = text.indexOf('}', open + 2);
    if (close < 0) break;
    out.push({ index: open, end: close + 1, whole: text.slice(open, close + 1), inner: text.slice(open + 2, close) });
    from = close + 1;
  }
  return out;
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
