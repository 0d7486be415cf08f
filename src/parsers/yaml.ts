import { Composer, Parser, isAlias, isMap as yIsMap, isScalar as yIsScalar, isSeq as yIsSeq, isPair } from 'yaml';
import type { Node as YNode, Document } from 'yaml';
import {
  AliasedScalar,
  clampLoaded,
  intern,
  MapNode,
  ScalarNode,
  SeqNode,
  SourceFile,
  trimmed,
  type LoadedDocument,
  type LoadedFile,
  type Node,
  type SyntaxProblem,
} from './tree.js';

/** Deeper than this, a document is refused rather than risk the stack. */
export const MAX_DEPTH = 400;
/** A document whose aliases expand to more nodes than this is refused (alias bombs). */
export const MAX_EXPANDED_NODES = 2_000_000;

export const TOO_DEEP = `nesting is too deep to read (over ${MAX_DEPTH} levels)`;

/** CloudFormation's short-form tags and the long form each stands for. */
const CFN_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  '!ForEach': 'Fn::ForEach',
};

/** A limit hit while converting; `at` is where (an offset in the file). */
class LoadLimit extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Offsets of a patched text back to the file's own offsets. */
type OffsetMap = (offset: number) => number;
const identity: OffsetMap = (n) => n;

/** A file with more syntax errors than this is refused at its first one (the rest would cost time and memory). */
export const MAX_ERRORS = 1000;

/** `uniqueKeys: false`: the package's own duplicate check is quadratic; the converter checks instead. */
const OPTIONS = { uniqueKeys: false, version: '1.2' } as const;

/** Thrown from the composer's error callback; carries the first error of the file. */
class TooManyErrors extends Error {
  constructor(readonly first: SyntaxProblem) {
    super('too many syntax errors');
  }
}

/** The composer's error callback (a private member of the yaml package's Composer). */
type ErrorHook = (source: number | [number, number] | { offset: number }, code: string, message: string, warning?: boolean) => void;
const hook = (c: Composer) => c as unknown as { onError: ErrorHook };

/** The yaml package's documents, with its warnings (unknown tags such as `!Ref`) not even built. */
function parse(text: string): Document.Parsed[] {
  const composer = new Composer(OPTIONS);
  const report = hook(composer).onError;
  let errors = 0;
  let first: SyntaxProblem | undefined;
  let aborted: TooManyErrors | undefined;
  const count = (at: number, message: string) => {
    if (aborted) throw aborted; // the package catches and reports again on its way out
    if (!first || at < first.start) first = { message: `${cleanMessage(message)} (and more than ${MAX_ERRORS} other syntax errors)`, start: at, end: at + 1 };
    if (++errors > MAX_ERRORS) throw (aborted = new TooManyErrors(first));
  };
  hook(composer).onError = (source, code, message, warning) => {
    if (warning) return;
    count(typeof source === 'number' ? source : Array.isArray(source) ? source[0] : source.offset, message);
    report(source, code, message, warning);
  };
  // Errors between documents come as tokens the composer records without its callback.
  function* tokens() {
    for (const t of new Parser().parse(text)) {
      if (t.type === 'error') count(t.offset, t.message);
      yield t;
    }
  }
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // the package builds an Error per problem: skip the stack traces
  try {
    return Array.from(composer.compose(tokens())) as Document.Parsed[];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** A YAML text's documents; every range lies inside the text (see `clampProblem`). */
export function loadYaml(path: string, text: string): LoadedFile {
  return clampLoaded(readYaml(path, text));
}

function readYaml(path: string, text: string): LoadedFile {
  const file = new SourceFile(path, text, 'yaml');
  // Refuse runaway nesting before the yaml package recurses into it (it would exhaust the stack).
  const deep = yamlNestingBeyond(text, MAX_DEPTH);
  if (deep !== undefined) return { file, documents: [failed(0, text.length, TOO_DEEP, deep)] };
  let docs: Document.Parsed[];
  let pos: OffsetMap = identity;
  try {
    docs = parse(text);
    const lenient = underIndentedQuotes(text, docs);
    if (lenient) ({ docs, pos } = lenient);
  } catch (e) {
    if (e instanceof TooManyErrors) return { file, documents: [{ root: undefined, start: 0, end: text.length, errors: [e.first], warnings: [] }] };
    return { file, documents: [failed(0, text.length, describe(e), 0)] };
  }
  const documents: LoadedDocument[] = [];
  let prevEnd = 0;
  for (const doc of docs) {
    const start = pos(doc.range[0]);
    const end = pos(doc.range[2]);
    const errors: SyntaxProblem[] = [];
    const warnings: SyntaxProblem[] = [];
    // After the first error of a document the parser's recovery may report follow-on errors
    // at unreliable places; the first one is where the document breaks.
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0];
    if (first) errors.push(locate(text, first, pos));
    let root: Node | undefined;
    if (errors.length === 0) {
      const conv = new Converter(file, pos);
      try {
        root = conv.convert(doc.contents as YNode | null, undefined, 0);
      } catch (e) {
        const at = e instanceof LoadLimit ? e.at : start;
        errors.push({ message: describe(e), start: at, end: at + 1 });
      }
      if (!errors.length && conv.errors.length) errors.push(conv.errors[0]!);
      for (const w of conv.warnings) warnings.push(w);
    }
    const loaded: LoadedDocument = { root: errors.length ? undefined : root, start, end, errors, warnings };
    const empty = !doc.contents || (yIsScalar(doc.contents) && doc.contents.value === null && !doc.contents.source);
    const contentStart = empty || !doc.contents?.range ? end : pos(doc.contents.range[0]);
    const helm = helmSource(text, prevEnd, Math.max(prevEnd, contentStart));
    if (helm) loaded.helmSource = helm;
    prevEnd = Math.max(prevEnd, end);
    documents.push(loaded);
  }
  return { file, documents };
}

function failed(start: number, end: number, message: string, at: number): LoadedDocument {
  return { root: undefined, start, end, errors: [{ message, start: at, end: at + 1 }], warnings: [] };
}

function describe(e: unknown): string {
  if (e instanceof LoadLimit) return e.message;
  if (e instanceof RangeError) return TOO_DEEP;
  return `could not read the document: ${e instanceof Error ? e.message : String(e)}`;
}

/** A yaml package error as a problem: at the character that is wrong where the package points elsewhere. */
function locate(text: string, e: { code: string; message: string; pos: [number, number] }, pos: OffsetMap): SyntaxProblem {
  let start = pos(e.pos[0]);
  let end = Math.max(start + 1, pos(e.pos[1]));
  let message = cleanMessage(e.message);
  const quote = e.code === 'MISSING_CHAR' ? MISSING_QUOTE.exec(message) : null;
  if (e.code === 'RESOURCE_EXHAUSTION') {
    message = TOO_DEEP; // the package ran out of stack (the nesting guard should have refused first)
  } else if (quote) {
    // The package points where the scalar was cut off; the quote that is never closed is more use.
    const open = openingQuote(text, start, quote[1]!);
    if (open !== undefined) [start, end] = [open, open + 1];
  } else if (e.code === 'BLOCK_AS_IMPLICIT_KEY') {
    // `name: web` followed by a line indented too far (`   labels: {}`), or `key: value: other`:
    // the package points at the value; the `:` that cannot start a mapping there is the mistake.
    const nl = text.indexOf('\n', start);
    const nl2 = nl < 0 ? -1 : text.indexOf('\n', nl + 1);
    const m = /:(?=[ \t\r\n]|$)/.exec(text.slice(start, nl2 < 0 ? text.length : nl2));
    if (m) [start, end] = [start + m.index, start + m.index + 1];
    message = 'a mapping cannot start here (is this line indented too far, or does a value contain ": "?)';
  }
  return { message, start, end };
}

function cleanMessage(m: string): string {
  // The yaml package appends " at line N, column M:" and a code frame; we report the position ourselves.
  return m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

const SOURCE_RE = /^# Source: (.+)$/m;
/** Helm writes `# Source: <path>` right after `---`: look between the previous document and this one's content. */
function helmSource(text: string, from: number, to: number): string | undefined {
  const m = SOURCE_RE.exec(text.slice(from, Math.min(to, from + 4096)));
  return m ? m[1]!.trim() : undefined;
}

// ------------------------------------------------------------------ nesting guard

/**
 * Offset at which the nesting of a YAML text (flow brackets, block indentation and compact
 * `- - x` entries) first goes over `limit`, if it does. A cheap over-estimate, read before
 * the yaml package is given the text: its composer recurses once per level and a stack
 * overflow there must not happen.
 */
export function yamlNestingBeyond(text: string, limit: number): number | undefined {
  const n = text.length;
  const indents: number[] = [];
  let flow = 0;
  let blockParent = -1; // indentation of a line that opened a block scalar (`|`, `>`)
  let i = 0;
  while (i < n) {
    // Start of a line: measure indentation.
    const lineStart = i;
    while (i < n && text.charCodeAt(i) === 32) i++;
    const col = i - lineStart;
    const c = text.charCodeAt(i);
    if (i >= n) break;
    if (c === 10 || c === 13 || c === 35) {
      i = nextLine(text, i);
      continue;
    }
    if (blockParent >= 0) {
      if (col > blockParent) {
        i = nextLine(text, i);
        continue;
      }
      blockParent = -1;
    }
    let compact = 0;
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1]! >= col) indents.pop();
      indents.push(col);
      // `- - - x` and `- key: ...` nest on one line.
      while (text.charCodeAt(i) === 45 /* - */ && isBlank(text.charCodeAt(i + 1))) {
        if (indents.length + compact > limit) return i;
        compact++;
        i += 2;
        while (text.charCodeAt(i) === 32) i++;
      }
      if (indents.length - 1 + compact > limit) return i;
    }
    // The rest of the line: flow brackets, quoted scalars (which may span lines), comments.
    let last = -1; // last non-blank character code on the line, outside comments
    const contentStart = i;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 10 || ch === 13) break;
      if (ch === 35 /* # */ && (i === contentStart || isBlank(text.charCodeAt(i - 1)))) {
        while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
        break;
      }
      if ((ch === 34 || ch === 39) && (i === contentStart || opensQuote(text.charCodeAt(i - 1)))) {
        const close = closeQuote(text, i);
        i = close < 0 ? n : close;
        last = ch;
        continue;
      }
      if (ch === 91 || ch === 123) {
        flow++;
        if (Math.max(0, indents.length - 1) + compact + flow > limit) return i;
      } else if ((ch === 93 || ch === 125) && flow > 0) flow--;
      if (!isBlank(ch)) last = ch;
      i++;
    }
    if (flow === 0 && (last === 124 || last === 62 || last === 45 || last === 43 || (last >= 48 && last <= 57))) {
      // A block scalar header (`|`, `>-`, `|2+`) ends the line: its content is text.
      const header = /(?:^|[\s:-])[|>][1-9+-]{0,2}\s*(?:#[\s\S]*)?$/.exec(text.slice(Math.max(lineStart, i - 40), i));
      if (header) blockParent = col;
    }
    i = nextLine(text, i);
  }
  return undefined;
}

/** Offset of the next line's first character (after `\n`, `\r\n` or a lone `\r`). */
function nextLine(text: string, i: number): number {
  const n = text.length;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return n;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
}

/** A quote after these characters starts a quoted scalar (elsewhere it is part of a plain one: `it's`). */
function opensQuote(prev: number): boolean {
  return prev === 32 || prev === 9 || prev === 91 || prev === 123 || prev === 44 || prev === 58 || prev === 63;
}

/** Offset just after the quoted scalar that opens at `i`, or -1 when it is never closed. */
function closeQuote(text: string, i: number): number {
  const q = text[i]!;
  let j = i + 1;
  while (j < text.length) {
    const c = text[j]!;
    if (q === '"' && c === '\\') {
      j += 2;
      continue;
    }
    if (c === q) {
      if (q === "'" && text[j + 1] === "'") {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return -1;
}

// ------------------------------------------------------------------ under-indented quoted scalars

const MISSING_QUOTE = /^Missing closing (["'])quote/;
/** Characters read again, at most, to accept under-indented quoted scalars. */
const MAX_REREAD = 32 * 1024 * 1024;

/**
 * A multi-line quoted scalar whose continuation lines are indented less than YAML 1.2 asks
 * (`Description: "one\ntwo"` with `two` at the key's column) is read by CloudFormation,
 * PyYAML/cfn-lint and Go's yaml alike; the yaml package rejects it. Such scalars are read
 * again with their continuation lines indented (leading white space of a continuation line
 * is not content), and offsets are mapped back to the file.
 */
function underIndentedQuotes(text: string, original: Document.Parsed[]): { docs: Document.Parsed[]; pos: OffsetMap } | undefined {
  let docs = original;
  const opens = new Set<number>();
  let patched: { text: string; pos: OffsetMap } | undefined;
  // Each round reads the file again: bound the work (rounds × size).
  const rounds = Math.min(50, Math.floor(MAX_REREAD / Math.max(1, text.length)));
  for (let round = 0; round < rounds; round++) {
    let added = false;
    for (const doc of docs) {
      const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0];
      const m = first && first.code === 'MISSING_CHAR' ? MISSING_QUOTE.exec(first.message) : null;
      if (!m) continue;
      const at = openingQuote(patched?.text ?? text, first!.pos[0], m[1]!);
      if (at === undefined) continue;
      const orig = patched ? patched.pos(at) : at;
      if (!opens.has(orig)) {
        opens.add(orig);
        added = true;
      }
    }
    if (!added) break;
    const next = reindent(text, opens);
    if (!next) break;
    try {
      docs = parse(next.text);
    } catch {
      return undefined; // worse than before: keep the first reading
    }
    patched = next;
  }
  if (!patched) return undefined;
  const count = (ds: Document.Parsed[]) => ds.reduce((s, d) => s + d.errors.length, 0);
  return count(docs) < count(original) ? { docs, pos: patched.pos } : undefined;
}

/** The opening quote of the scalar that a "Missing closing quote" error at `end` cut short. */
function openingQuote(text: string, end: number, quote: string): number | undefined {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"') {
      let k = 0;
      while (text[i - 1 - k] === '\\') k++;
      if (k % 2 === 1) continue;
    } else if (text[i - 1] === "'") {
      i--; // an escaped '' pair
      continue;
    }
    return i;
  }
  return undefined;
}

function reindent(text: string, opens: Set<number>): { text: string; pos: OffsetMap } | undefined {
  const inserts: Array<{ at: number; n: number }> = [];
  for (const q of [...opens].sort((a, b) => a - b)) {
    const close = closeQuote(text, q);
    if (close < 0) continue; // truly unterminated
    const lineStart = Math.max(text.lastIndexOf('\n', q - 1), text.lastIndexOf('\r', q - 1)) + 1;
    const target = q - lineStart;
    for (let i = q; i < close; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      if (c === '\r' && text[i + 1] === '\n') i++;
      const ls = i + 1;
      let s = 0;
      while (text[ls + s] === ' ') s++;
      const next = text[ls + s];
      if (next === undefined || next === '\n' || next === '\r') continue;
      if (s === 0 && /^(?:---|\.\.\.)(?:\s|$)/.test(text.slice(ls, ls + 4))) continue;
      if (s < target) inserts.push({ at: ls, n: target - s });
    }
  }
  if (!inserts.length) return undefined;
  inserts.sort((a, b) => a.at - b.at);
  let out = '';
  let last = 0;
  const patchedAt: number[] = [];
  const shift: number[] = [];
  let total = 0;
  for (const ins of inserts) {
    out += text.slice(last, ins.at) + ' '.repeat(ins.n);
    last = ins.at;
    patchedAt.push(ins.at + total);
    total += ins.n;
    shift.push(total);
  }
  out += text.slice(last);
  const pos: OffsetMap = (p) => {
    let lo = 0;
    let hi = patchedAt.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (patchedAt[mid]! <= p) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return p;
    const inserted = inserts[k]!;
    if (p < patchedAt[k]! + inserted.n) return inserted.at; // inside inserted spaces
    return p - shift[k]!;
  };
  return { text: out, pos };
}

// ------------------------------------------------------------------ conversion

class Converter {
  private readonly memo = new Map<YNode, { node: Node; size: number }>();
  private total = 0;
  /** Problems that make the document unusable (a mapping or list used as a key). */
  readonly errors: SyntaxProblem[] = [];
  /** Problems that leave a usable tree (duplicate keys: the last one wins). */
  readonly warnings: SyntaxProblem[] = [];

  constructor(
    private readonly file: SourceFile,
    private readonly pos: OffsetMap,
  ) {}

  convert(y: YNode | null, key: ScalarNode | undefined, depth: number): Node {
    return this.convertSized(y, key, depth).node;
  }

  private range(y: YNode): [number, number] {
    const r = y.range;
    if (!r) return [0, 0];
    return [this.pos(r[0]), this.pos(r[1])];
  }

  private convertSized(y: YNode | null, key: ScalarNode | undefined, depth: number): { node: Node; size: number } {
    if (depth > MAX_DEPTH) throw new LoadLimit(TOO_DEEP, y ? this.range(y)[0] : (key?.start ?? 0));
    if (y === null || y === undefined) {
      const at = key ? key.end : 0;
      return { node: new ScalarNode(this.file, at, at, null), size: 1 };
    }
    if (isAlias(y)) {
      const target = this.aliasTarget(y);
      if (!target) {
        const r = this.range(y);
        return { node: new ScalarNode(this.file, r[0], r[1], null), size: 1 };
      }
      const hit = this.memo.get(target);
      if (hit) this.expand(hit.size, y);
      const shared = hit ?? this.convertSized(target, key, depth + 1);
      // A scalar is located at the alias that uses it (see `relocated`); a mapping or list is the anchored node.
      return shared.node.kind === 'scalar' ? { node: this.relocated(shared.node, this.range(y)), size: 1 } : shared;
    }
    const cached = this.memo.get(y);
    if (cached) {
      this.expand(cached.size, y);
      return cached;
    }
    const anchor = (y as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, y);
    const out = this.fresh(y, depth);
    this.memo.set(y, out);
    return out;
  }

  /** Nodes that aliases bring in again (a shared subtree counts each time it is reached). */
  private expand(n: number, at: YNode): void {
    this.total += n;
    if (this.total > MAX_EXPANDED_NODES)
      throw new LoadLimit(`aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes; refusing to read (alias bomb?)`, this.range(at)[0]);
  }

  /** Anchors seen so far, in document order (an alias names the latest one before it). */
  private readonly anchors = new Map<string, YNode>();

  private aliasTarget(a: YNode): YNode | undefined {
    return this.anchors.get((a as unknown as { source: string }).source);
  }

  private fresh(y: YNode, depth: number): { node: Node; size: number } {
    const range = this.range(y);
    let start = range[0];
    const end = range[1];
    const tag = (y as { tag?: string }).tag;
    const cfn = tag ? CFN_TAGS[tag] : undefined;
    if (cfn) {
      const at = this.file.text.lastIndexOf(tag!, start);
      if (at >= 0 && start - at < 200) start = at;
    }
    let inner: { node: Node; size: number };
    if (yIsScalar(y)) {
      const v = y.value;
      let value = v === undefined ? null : typeof v === 'bigint' ? Number(v) : (v as string | number | boolean | null);
      if ((value as unknown) instanceof Date) value = String(y.source ?? value);
      else if (typeof value === 'string') value = intern(value);
      inner = { node: new ScalarNode(this.file, cfn ? range[0] : start, end, value), size: 1 };
    } else if (yIsMap(y)) {
      const map = new MapNode(this.file, cfn ? range[0] : start, end);
      const kv: Node[] = [];
      const index = new Map<string, number>(); // key → position in kv, for duplicates and merges
      const merged = new Set<ScalarNode>();
      let size = 1;
      for (const item of y.items) {
        if (!isPair(item)) continue;
        const k = item.key as YNode | null;
        const keyNode = this.keyScalar(k, map);
        if (keyNode.value === '<<' && item.value && !(yIsScalar(item.value) && !(item.value as { value: unknown }).value)) {
          size += this.merge(map, kv, index, item.value as YNode, depth, merged);
          continue;
        }
        const { node: value, size: s } = this.convertSized(item.value as YNode | null, keyNode, depth + 1);
        const v = this.adopt(value, map, keyNode);
        const name = String(keyNode.value);
        const prev = index.get(name);
        if (prev === undefined) {
          index.set(name, kv.length);
          kv.push(keyNode, v);
        } else {
          // The last of duplicate keys wins, as in CloudFormation, PyYAML and JSON.parse; an
          // explicit key overrides a merged one silently.
          if (!merged.has(kv[prev] as ScalarNode)) this.warnings.push({ message: `duplicate key ${JSON.stringify(name)}`, start: keyNode.start, end: keyNode.end });
          kv[prev] = keyNode;
          kv[prev + 1] = v;
        }
        size += s + 1;
      }
      map.kv = trimmed(kv);
      inner = { node: map, size };
    } else if (yIsSeq(y)) {
      const seq = new SeqNode(this.file, cfn ? range[0] : start, end);
      const items: Node[] = [];
      let size = 1;
      for (const item of y.items) {
        const { node, size: s } = this.convertSized(item as YNode | null, undefined, depth + 1);
        items.push(this.adopt(node, seq, undefined));
        size += s;
      }
      seq.items = trimmed(items);
      inner = { node: seq, size };
    } else {
      inner = { node: new ScalarNode(this.file, start, end, null), size: 1 };
    }
    if (!cfn) return inner;
    return { node: this.wrapTag(tag!, cfn, start, end, inner.node), size: inner.size + 2 };
  }

  /**
   * Merge keys (`<<: *defaults`): copy entries the map does not define itself. Entries that come
   * through an alias are located at that alias (`*defaults`), in the map that merges them: a
   * map's keys lie inside the map, and a finding about a merged key or scalar value points at
   * the line of the map the user can edit (its entity, suppression comments and key path are
   * the merging map's). A merged mapping or list value stays the anchored node (its content is
   * located where it is written). Entries of an inline map (`<<: {a: 1}`) are already inside.
   */
  private merge(map: MapNode, kv: Node[], index: Map<string, number>, value: YNode, depth: number, merged: Set<ScalarNode>): number {
    const sources = yIsSeq(value) ? (value.items as YNode[]) : [value];
    let size = 0;
    for (const src of sources) {
      const { node, size: s } = this.convertSized(src, undefined, depth + 1);
      if (node.kind !== 'map') continue;
      size += s;
      const via = isAlias(src) ? this.range(src) : undefined;
      for (let i = 0; i < node.size; i++) {
        const original = node.keyAt(i);
        const name = String(original.value);
        if (index.has(name)) continue;
        let key = original;
        let v = node.valueAt(i);
        if (via) {
          key = this.relocated(original, via);
          if (v.kind === 'scalar') v = this.relocated(v, via);
        }
        if (!via && v.up === node) {
          // An inline source map's values belong to the merging map now.
          v.up = map;
          v.parentKey = key;
        } else this.adopt(v, map, key);
        index.set(name, kv.length);
        kv.push(key, v);
        merged.add(key);
      }
    }
    return size;
  }

  /** A copy of a scalar located at `at` (an alias, or the alias of a merge key), keeping how it was written. */
  private relocated(n: ScalarNode, at: [number, number]): ScalarNode {
    return new AliasedScalar(this.file, at[0], at[1], n.value, n);
  }

  /** Nodes reached through an alias are shared; only set parent links once. */
  private adopt(node: Node, parent: MapNode | SeqNode, key: ScalarNode | undefined): Node {
    if (node.up instanceof SourceFile) {
      node.up = parent;
      node.parentKey = key;
    }
    return node;
  }

  private keyScalar(k: YNode | null, owner: MapNode): ScalarNode {
    if (k && yIsScalar(k)) {
      const r = k.range ? this.range(k) : [owner.start, owner.start];
      const v = k.value;
      return new ScalarNode(this.file, r[0]!, r[1]!, intern(v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v)));
    }
    const r = k?.range ? this.range(k) : [owner.start, owner.start];
    if (k && (yIsMap(k) || yIsSeq(k)) && !this.errors.length) {
      // `image: {{ name }}` reads as a mapping whose key is a mapping: no format we read allows that.
      this.errors.push({ message: `a mapping key must be a string, not a ${yIsMap(k) ? 'mapping' : 'list'}`, start: r[0]!, end: Math.max(r[0]! + 1, r[1]!) });
    }
    return new ScalarNode(this.file, r[0]!, r[1]!, k ? this.file.text.slice(r[0], r[1]) : '');
  }

  private wrapTag(tag: string, fn: string, start: number, end: number, inner: Node): MapNode {
    const map = new MapNode(this.file, start, end);
    map.shortTag = tag;
    const key = new ScalarNode(this.file, start, start + tag.length, fn);
    let value: Node = inner;
    if (fn === 'Fn::GetAtt' && inner.kind === 'scalar' && typeof inner.value === 'string') {
      // `!GetAtt Resource.Attribute.Path` is `[Resource, "Attribute.Path"]`.
      const s = inner.value;
      const dot = s.indexOf('.');
      const seq = new SeqNode(this.file, inner.start, inner.end);
      const textAt = this.file.text.indexOf(s, inner.start);
      const base = textAt >= 0 && textAt <= inner.end ? textAt : inner.start;
      if (dot > 0) {
        const a = new ScalarNode(this.file, base, base + dot, s.slice(0, dot));
        const b = new ScalarNode(this.file, base + dot + 1, base + s.length, s.slice(dot + 1));
        a.up = seq;
        b.up = seq;
        seq.items = [a, b];
      } else {
        inner.up = seq;
        seq.items = [inner];
      }
      value = seq;
    }
    value.up = map;
    value.parentKey = key;
    map.kv = [key, value];
    return map;
  }
}
