/**
 * Globs and wildcards from the linted repository (config `ignorePatterns` and `overrides.files`, `.gitignore`
 * lines, IAM / ECR / Fargate wildcards), matched without regular expressions and without backtracking.
 *
 * A glob is compiled to a small automaton (a list of states, one per pattern piece) and run as a set of
 * states over the text (Thompson's simulation): every text character is read once against at most every
 * state, so matching takes O(|pattern| × |text|) time whatever the pattern, and no input is ever turned
 * into a RegExp.
 */

export interface GlobOptions {
  /** `*`, `?`, `[...]` and `**` also match names that start with a dot. */
  dot?: boolean;
  /** A pattern without a slash is matched against the last segment of the path. */
  matchBase?: boolean;
}

export interface WildcardOptions {
  /** Letters match regardless of case (IAM actions and resources). */
  caseInsensitive?: boolean;
  /** `?` matches any one character (otherwise it is a plain character). */
  questionMark?: boolean;
}

// ------------------------------------------------------------------ wildcards (IAM, ECR, Fargate)

/**
 * A wildcard pattern (`*` any run of characters, including none and `/`; `?` one character when
 * `questionMark`) against a text, as a whole. The classic two-pointer algorithm: on a mismatch it returns
 * to the last `*` only, so the time is at most O(|pattern| × |text|) and no more state than two indexes.
 */
export function wildcardMatch(pattern: string, text: string, opts: WildcardOptions = {}): boolean {
  const ci = !!opts.caseInsensitive;
  const q = !!opts.questionMark;
  const same = (a: string, b: string) => a === b || (ci && a.toLowerCase() === b.toLowerCase());
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = p < pattern.length ? pattern[p]! : '';
    if (c === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && ((q && c === '?') || same(c, text[t]!))) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

// ------------------------------------------------------------------ globs: parsing

type Piece =
  | { t: 'char'; c: string }
  | { t: 'any' } // `?`
  | { t: 'star'; whole?: boolean } // `*`: a run of characters within one segment (a whole segment: at least one)
  | { t: 'class'; negated: boolean; ranges: Array<[number, number]> }
  | { t: 'globstar' } // `**` as a whole segment, with the slash after it: zero or more whole segments
  | { t: 'tailstar' } // `/**` at the end: nothing, or a slash and anything below
  | { t: 'alt'; options: Piece[][] };

/** Parse one glob (no leading `!`) into pieces. Unbalanced brackets and braces are plain characters. */
function parseGlob(src: string): Piece[] {
  let i = 0;
  const parseSeq = (inBrace: boolean): Piece[] => {
    const out: Piece[] = [];
    while (i < src.length) {
      const c = src[i]!;
      if (inBrace && (c === ',' || c === '}')) return out;
      if (c === '\\' && i + 1 < src.length) {
        out.push({ t: 'char', c: src[i + 1]! });
        i += 2;
      } else if (c === '*') {
        let j = i;
        while (src[j] === '*') j++;
        const before = i === 0 ? '/' : src[i - 1];
        const after = j >= src.length ? '' : src[j];
        const wholeSegment = j - i >= 2 && (before === '/' || (inBrace && (before === '{' || before === ',')));
        if (wholeSegment && after === '/') {
          out.push({ t: 'globstar' });
          i = j + 1;
        } else if (wholeSegment && (after === '' || (inBrace && (after === ',' || after === '}')))) {
          // `a/**` (also `a`), `**` alone: a trailing globstar.
          if (out.length && out[out.length - 1]!.t === 'char' && (out[out.length - 1] as { c: string }).c === '/') {
            out.pop();
            out.push({ t: 'tailstar' });
          } else out.push({ t: 'globstar' }, { t: 'star' });
          i = j;
        } else {
          const whole = (before === '/' || (inBrace && (before === '{' || before === ','))) && (after === '' || after === '/' || (inBrace && (after === ',' || after === '}')));
          out.push(whole ? { t: 'star', whole } : { t: 'star' });
          i = j;
        }
      } else if (c === '?') {
        out.push({ t: 'any' });
        i++;
      } else if (c === '[') {
        const cls = parseClass(src, i);
        if (cls) {
          out.push(cls.piece);
          i = cls.end;
        } else {
          out.push({ t: 'char', c });
          i++;
        }
      } else if (c === '{') {
        const start = i;
        i++;
        const options: Piece[][] = [];
        let closed = false;
        for (;;) {
          options.push(parseSeq(true));
          if (i >= src.length) break;
          if (src[i] === '}') {
            i++;
            closed = true;
            break;
          }
          i++; // ','
        }
        if (closed && options.length > 1) out.push({ t: 'alt', options });
        else {
          // `{a}` or an unclosed brace: plain text.
          i = start + 1;
          out.push({ t: 'char', c: '{' });
        }
      } else {
        out.push({ t: 'char', c });
        i++;
      }
    }
    return out;
  };
  const pieces = parseSeq(false);
  // Whatever a brace left unparsed (a stray `}` or `,` at the top level) is plain text.
  while (i < src.length) {
    pieces.push({ t: 'char', c: src[i]! });
    i++;
    pieces.push(...parseSeq(false));
  }
  return pieces;
}

/** `[...]` at `start`: a character class, or undefined when it is not closed. */
function parseClass(src: string, start: number): { piece: Piece; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (src[i] === '!' || src[i] === '^') {
    negated = true;
    i++;
  }
  const ranges: Array<[number, number]> = [];
  let first = true;
  while (i < src.length) {
    let c = src[i]!;
    if (c === ']' && !first) return { piece: { t: 'class', negated, ranges }, end: i + 1 };
    first = false;
    if (c === '/') return undefined;
    if (c === '\\' && i + 1 < src.length) c = src[++i]!;
    const lo = c.charCodeAt(0);
    if (src[i + 1] === '-' && i + 2 < src.length && src[i + 2] !== ']') {
      let hiChar = src[i + 2]!;
      let skip = 3;
      if (hiChar === '\\' && i + 3 < src.length) {
        hiChar = src[i + 3]!;
        skip = 4;
      }
      ranges.push([lo, hiChar.charCodeAt(0)]);
      i += skip;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ globs: the automaton

const enum Op {
  Char, // consume `c`
  Any, // consume one character but '/'
  Class, // consume one character of the class (never '/')
  SegChar, // consume one character but '/' (a segment of `**`, or `*`): loops are built with Split
  AnyChar, // consume any character, '/' included (below a trailing `/**`)
  Split, // epsilon to `next` and `alt`
  Jump, // epsilon to `next`
  Match,
}

interface State {
  op: Op;
  next: number;
  alt: number;
  c: string;
  negated: boolean;
  ranges: Array<[number, number]>;
  /** This state's character may not be a dot that starts a segment (unless `dot`). */
  noDot: boolean;
}

class Automaton {
  readonly states: State[] = [];

  add(op: Op, extra: Partial<State> = {}): number {
    this.states.push({ op, next: -1, alt: -1, c: '', negated: false, ranges: [], noDot: false, ...extra });
    return this.states.length - 1;
  }
}

/**
 * Compile pieces into states; returns the entry state. `next` is where the pieces continue. `segStart`:
 * the first piece starts a segment (so `*`, `?`, `[...]` there may not match a leading dot).
 */
function compile(a: Automaton, pieces: Piece[], next: number, segStart: boolean, dot: boolean): number {
  // Built back to front, so each piece knows the state that follows it.
  const starts: boolean[] = [];
  let s = segStart;
  for (const p of pieces) {
    starts.push(s);
    s = p.t === 'char' ? p.c === '/' : p.t === 'globstar';
  }
  let cont = next;
  for (let k = pieces.length - 1; k >= 0; k--) {
    const p = pieces[k]!;
    const atStart = starts[k]!;
    const noDot = !dot && atStart;
    switch (p.t) {
      case 'char':
        cont = linkTo(a, a.add(Op.Char, { c: p.c }), cont);
        break;
      case 'any':
        cont = linkTo(a, a.add(Op.Any, { noDot }), cont);
        break;
      case 'class':
        cont = linkTo(a, a.add(Op.Class, { negated: p.negated, ranges: p.ranges, noDot }), cont);
        break;
      case 'star': {
        // split → (char → split) | cont; the first character may not be a leading dot.
        const split = a.add(Op.Split, { alt: cont });
        const ch = a.add(Op.SegChar, { noDot: false });
        a.states[ch]!.next = split;
        if (noDot || p.whole) {
          // The first character is checked separately: entry → (firstChar → split) | cont; a star that is
          // a whole segment matches at least one character.
          const entry = p.whole ? a.add(Op.Jump) : a.add(Op.Split, { alt: cont });
          const firstChar = a.add(Op.SegChar, { noDot });
          a.states[firstChar]!.next = split;
          a.states[entry]!.next = firstChar;
          a.states[split]!.next = ch;
          cont = entry;
        } else {
          a.states[split]!.next = ch;
          cont = split;
        }
        break;
      }
      case 'globstar': {
        // Zero or more segments, each one or more characters (the first not a dot unless `dot`) and a '/'.
        const entry = a.add(Op.Split, { alt: cont });
        const first = a.add(Op.SegChar, { noDot: !dot });
        const loop = a.add(Op.Split);
        const more = a.add(Op.SegChar);
        const slash = a.add(Op.Char, { c: '/', next: entry });
        a.states[entry]!.next = first;
        a.states[first]!.next = loop;
        a.states[loop]!.next = more;
        a.states[loop]!.alt = slash;
        a.states[more]!.next = loop;
        cont = entry;
        break;
      }
      case 'tailstar': {
        // Nothing, or '/' and then anything (each segment's first character not a dot unless `dot`).
        const entry = a.add(Op.Split, { alt: cont });
        const slash = a.add(Op.Char, { c: '/' });
        const loop = a.add(Op.Split, { alt: cont });
        const ch = a.add(Op.AnyChar, { noDot: !dot });
        a.states[entry]!.next = slash;
        a.states[slash]!.next = loop;
        a.states[loop]!.next = ch;
        a.states[ch]!.next = loop;
        cont = entry;
        break;
      }
      case 'alt': {
        // Each option continues to `cont` (a Jump keeps one shared target).
        const join = a.add(Op.Jump, { next: cont });
        let entry = -1;
        for (let o = p.options.length - 1; o >= 0; o--) {
          const start = compile(a, p.options[o]!, join, atStart, dot);
          entry = entry < 0 ? start : a.add(Op.Split, { next: start, alt: entry });
        }
        cont = entry;
        break;
      }
    }
  }
  return cont;
}

function linkTo(a: Automaton, state: number, next: number): number {
  a.states[state]!.next = next;
  return state;
}

function inClass(s: State, code: number): boolean {
  let hit = false;
  for (const [lo, hi] of s.ranges)
    if (code >= lo && code <= hi) {
      hit = true;
      break;
    }
  return hit !== s.negated;
}

/** One compiled glob: run the automaton over a text. */
class CompiledGlob {
  private readonly a = new Automaton();
  private readonly start: number;
  // Work lists reused between runs (a run is O(states) memory).
  private mark: Int32Array;
  private gen = 0;

  constructor(pieces: Piece[], dot: boolean) {
    const match = this.a.add(Op.Match);
    this.start = compile(this.a, pieces, match, true, dot);
    this.mark = new Int32Array(this.a.states.length);
  }

  /** Add a state and what it reaches without reading a character (iteratively: no recursion on input size). */
  private close(from: number, into: number[]): void {
    const stack = [from];
    const states = this.a.states;
    while (stack.length) {
      const s = stack.pop()!;
      if (s < 0 || this.mark[s] === this.gen) continue;
      this.mark[s] = this.gen;
      const st = states[s]!;
      if (st.op === Op.Split) {
        stack.push(st.alt, st.next);
      } else if (st.op === Op.Jump) stack.push(st.next);
      else into.push(s);
    }
  }

  test(text: string): boolean {
    const states = this.a.states;
    let current: number[] = [];
    this.gen++;
    this.close(this.start, current);
    for (let i = 0; i < text.length && current.length; i++) {
      const ch = text[i]!;
      const code = text.charCodeAt(i);
      const segStart = i === 0 || text[i - 1] === '/';
      // A segment that is `.` or `..` is never matched by a wildcard (only written out).
      const dotSeg = segStart && ch === '.' && (i + 1 === text.length || text[i + 1] === '/' || (text[i + 1] === '.' && (i + 2 === text.length || text[i + 2] === '/')));
      const next: number[] = [];
      this.gen++;
      for (const s of current) {
        const st = states[s]!;
        let ok: boolean;
        switch (st.op) {
          case Op.Char:
            ok = st.c === ch;
            break;
          case Op.Any:
          case Op.SegChar:
            ok = ch !== '/';
            break;
          case Op.Class:
            ok = ch !== '/' && inClass(st, code);
            break;
          case Op.AnyChar:
            ok = true;
            break;
          default:
            ok = false;
        }
        // Wildcards do not match a dot that starts a segment (unless `dot`), nor a `.` or `..` segment.
        if (ok && st.op !== Op.Char && segStart && ch === '.' && (st.noDot || dotSeg)) ok = false;
        if (ok) this.close(st.next, next);
      }
      current = next;
    }
    return current.some((s) => states[s]!.op === Op.Match);
  }
}

/**
 * A matcher for gitignore / picomatch-style globs (`*`, `**`, `?`, `[...]`, `{a,b}`, a leading `!` negates
 * one pattern): true when any pattern matches the '/'-separated path. Linear in the path's length for a
 * given pattern; no RegExp is built from the patterns.
 */
export function globMatcher(patterns: string[], opts: GlobOptions = {}): (path: string) => boolean {
  const dot = !!opts.dot;
  const compiled = patterns.map((raw) => {
    let src = raw;
    let negated = false;
    while (src.startsWith('!') && !src.startsWith('!(')) {
      negated = !negated;
      src = src.slice(1);
    }
    while (src.startsWith('./')) src = src.slice(2);
    const base = !!opts.matchBase && !src.includes('/');
    return { glob: new CompiledGlob(parseGlob(src), dot), negated, base };
  });
  return (path: string) => {
    let p = path;
    if (p === '') return false;
    while (p.startsWith('./')) p = p.slice(2);
    for (const c of compiled) {
      const subject = c.base ? p.slice(p.lastIndexOf('/') + 1) : p;
      if (c.glob.test(subject) !== c.negated) return true;
    }
    return false;
  };
}

/**
 * Literal parts joined by gaps: does the whole text read `parts[0]`, a gap, `parts[1]`, ..., a gap,
 * `parts[n-1]`, each gap a run of characters that `gapChar` accepts, at least `minGap` long? A set-of-states
 * run over the text: O(|parts| × |text|), no RegExp built from the parts.
 */
export function partsMatch(parts: string[], text: string, gapChar: (code: number) => boolean, minGap: 0 | 1 = 0): boolean {
  // Items: a literal character (code), or a gap: -1 (a run, possibly empty), -2 (exactly one gap character).
  const items: number[] = [];
  parts.forEach((p, k) => {
    if (k > 0) {
      if (minGap) items.push(-2);
      items.push(-1);
    }
    for (let i = 0; i < p.length; i++) items.push(p.charCodeAt(i));
  });
  const m = items.length;
  let cur = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (set: Uint8Array) => {
    // A run gap may be skipped; items are in order, so one forward sweep closes the set.
    for (let k = 0; k < m; k++) if (set[k] && items[k] === -1) set[k + 1] = 1;
  };
  cur[0] = 1;
  close(cur);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    next.fill(0);
    let any = false;
    for (let k = 0; k < m; k++) {
      if (!cur[k]) continue;
      const it = items[k]!;
      const to = it === -1 ? k : k + 1;
      if (it < 0 ? gapChar(c) : it === c) {
        next[to] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close(next);
    [cur, next] = [next, cur];
  }
  return cur[m] === 1;
}
