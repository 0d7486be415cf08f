/**
 * The located tree: what every loader (YAML, JSON) produces and every later
 * stage reads. Nodes keep start/end offsets into their source file; line and
 * column are computed only when a finding is reported.
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count). */
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Syntax = 'yaml' | 'json';

/** One file of the run, with its text and a lazily built line index. */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    /** Absolute path (or the --stdin-filename / editor URI path). */
    readonly path: string,
    readonly text: string,
    readonly syntax: Syntax,
  ) {}

  position(offset: number): Position {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Offset of the first character of a 1-based line. */
  lineOffset(line: number): number {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    return starts[Math.min(Math.max(line - 1, 0), starts.length - 1)]!;
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export type Node = MapNode | SeqNode | ScalarNode;
export type ScalarValue = string | number | boolean | null;

/*
 * Memory: a run holds every file's tree at once (the model spans the run), so nodes are kept
 * small. The node kind lives on the prototype; a node keeps one upward link (`up`: its
 * collection, or its file at a root) instead of both a parent and a file; a map keeps its keys
 * and values in one flat array (no pair objects); arrays are trimmed to size when complete.
 */

abstract class NodeBase {
  /** The collection that holds this node, or the file when it is a root (or a key). */
  up: MapNode | SeqNode | SourceFile;
  /** The key under which this node is a mapping value, if any. */
  parentKey: ScalarNode | undefined = undefined;

  constructor(
    file: SourceFile,
    readonly start: number,
    readonly end: number,
  ) {
    this.up = file;
  }

  /** The file this node was read from. */
  get file(): SourceFile {
    let up = this.up;
    while (!(up instanceof SourceFile)) up = up.up;
    return up;
  }

  /** The collection that holds this node (for walking outwards). */
  get parent(): MapNode | SeqNode | undefined {
    const up = this.up;
    return up instanceof SourceFile ? undefined : up;
  }
  set parent(p: MapNode | SeqNode | undefined) {
    this.up = p ?? this.file;
  }

  get range(): Range {
    return this.file.range(this.start, this.end);
  }

  /** Where a finding about this node as a whole belongs: its key if it has one. */
  get anchor(): Node {
    return this.parentKey ?? (this as unknown as Node);
  }
}

export class ScalarNode extends NodeBase {
  declare readonly kind: 'scalar';
  constructor(
    file: SourceFile,
    start: number,
    end: number,
    readonly value: ScalarValue,
  ) {
    super(file, start, end);
  }
  /** True for quoted scalars and JSON strings (a quoted "true" is a string). */
  get quoted(): boolean {
    const c = this.file.text.charCodeAt(this.start);
    return c === 34 || c === 39;
  }
}

/**
 * A scalar reached through an alias (`*name`) or a merge key (`<<: *name`), located at that
 * alias in the collection that uses it; `source` is the anchored scalar, where it is written.
 */
export class AliasedScalar extends ScalarNode {
  constructor(
    file: SourceFile,
    start: number,
    end: number,
    value: ScalarValue,
    readonly source: ScalarNode,
  ) {
    super(file, start, end, value);
  }
  override get quoted(): boolean {
    return this.source.quoted;
  }
}

export interface Pair {
  key: ScalarNode;
  value: Node;
}

export class MapNode extends NodeBase {
  declare readonly kind: 'map';
  /** Keys and values, alternating: `[key0, value0, key1, value1, ...]`. Built by the parsers. */
  kv: Node[] = [];
  /** Set when this map stands for a CloudFormation short-form tag (`!Ref x`). */
  shortTag: string | undefined = undefined;

  /** Number of entries. */
  get size(): number {
    return this.kv.length >> 1;
  }
  keyAt(i: number): ScalarNode {
    return this.kv[2 * i] as ScalarNode;
  }
  valueAt(i: number): Node {
    return this.kv[2 * i + 1]!;
  }

  /** The entries as key/value pairs (a new array on each call: prefer `pair`, `size`, `keyAt`, `valueAt` in loops). */
  get entries(): Pair[] {
    const kv = this.kv;
    const out: Pair[] = new Array(kv.length >> 1);
    for (let i = 0; i < kv.length; i += 2) out[i >> 1] = { key: kv[i] as ScalarNode, value: kv[i + 1]! };
    return out;
  }

  /** Exact-key lookup. */
  pair(key: string): Pair | undefined {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if ((kv[i] as ScalarNode).value === key) return { key: kv[i] as ScalarNode, value: kv[i + 1]! };
    return undefined;
  }

  get(key: string): Node | undefined {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if ((kv[i] as ScalarNode).value === key) return kv[i + 1];
    return undefined;
  }

  /** Case-insensitive lookup: `taskRoleArn` finds `TaskRoleArn` and `taskRoleArn`. */
  pairCI(key: string): Pair | undefined {
    const exact = this.pair(key);
    if (exact) return exact;
    const lower = key.toLowerCase();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) {
      const k = (kv[i] as ScalarNode).value;
      if (typeof k === 'string' && k.length === lower.length && k.toLowerCase() === lower) return { key: kv[i] as ScalarNode, value: kv[i + 1]! };
    }
    return undefined;
  }

  getCI(key: string): Node | undefined {
    return this.pairCI(key)?.value;
  }

  /** The single key of a one-entry map (an intrinsic function's name), else undefined. */
  get soleKey(): string | undefined {
    if (this.kv.length !== 2) return undefined;
    const k = (this.kv[0] as ScalarNode).value;
    return typeof k === 'string' ? k : undefined;
  }
}

export class SeqNode extends NodeBase {
  declare readonly kind: 'seq';
  /** The items. Built by the parsers. */
  items: Node[] = [];
}

Object.defineProperty(ScalarNode.prototype, 'kind', { value: 'scalar' });
Object.defineProperty(MapNode.prototype, 'kind', { value: 'map' });
Object.defineProperty(SeqNode.prototype, 'kind', { value: 'seq' });

/** An array without spare capacity (arrays grown by push keep up to half again as much room). */
export function trimmed<T>(a: T[]): T[] {
  return a.length ? a.slice() : a;
}

const INTERNED = new Map<string, string>();
/**
 * One copy of a short string that many nodes hold (keys such as `Type`, values such as `Allow`):
 * a run holds hundreds of thousands of them.
 */
export function intern(s: string): string {
  if (s.length > 40) return s;
  const hit = INTERNED.get(s);
  if (hit !== undefined) return hit;
  if (INTERNED.size < 200_000) INTERNED.set(s, s);
  return s;
}

export function isMap(n: Node | undefined): n is MapNode {
  return n !== undefined && n.kind === 'map';
}
export function isSeq(n: Node | undefined): n is SeqNode {
  return n !== undefined && n.kind === 'seq';
}
export function isScalar(n: Node | undefined): n is ScalarNode {
  return n !== undefined && n.kind === 'scalar';
}

/** A string value of a scalar node, or undefined. */
export function scalarString(n: Node | undefined): string | undefined {
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Plain JavaScript value of a subtree (for small pieces such as policies). */
export function toPlain(n: Node | undefined, depth = 0): unknown {
  if (n === undefined || depth > 200) return undefined;
  if (n.kind === 'scalar') return n.value;
  if (n.kind === 'seq') return n.items.map((i) => toPlain(i, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n.size; i++) o[String(n.keyAt(i).value)] = toPlain(n.valueAt(i), depth + 1);
  return o;
}

/** A syntax problem found while loading a file. */
export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
}

/**
 * A problem's range kept inside a text of `length` characters, ending at or after its start.
 * Parsers report errors at the end of the input one character past it (`a: {` is missing its
 * `}` there): such an error becomes an empty range at the end of the text.
 */
export function clampProblem(p: SyntaxProblem, length: number): SyntaxProblem {
  const start = Math.min(Math.max(0, Number.isFinite(p.start) ? Math.trunc(p.start) : 0), length);
  const end = Math.min(Math.max(start, Number.isFinite(p.end) ? Math.trunc(p.end) : start), length);
  return start === p.start && end === p.end ? p : { ...p, start, end };
}

/** Every problem and document range of a loaded file kept inside its text (see `clampProblem`). */
export function clampLoaded(loaded: LoadedFile): LoadedFile {
  const n = loaded.file.text.length;
  for (const d of loaded.documents) {
    d.errors = d.errors.map((p) => clampProblem(p, n));
    d.warnings = d.warnings.map((p) => clampProblem(p, n));
    d.start = Math.min(Math.max(0, d.start), n);
    d.end = Math.min(Math.max(d.start, d.end), n);
  }
  return loaded;
}

/** One YAML document or one JSON file. */
export interface LoadedDocument {
  root: Node | undefined;
  /** Offsets of the document in the file. */
  start: number;
  end: number;
  /** Problems that make the document unusable (it is then not modelled). */
  errors: SyntaxProblem[];
  /** Problems worth reporting that still leave a usable tree (duplicate keys). */
  warnings: SyntaxProblem[];
  /** Helm's `# Source: chart/templates/x.yaml` comment, when present. */
  helmSource?: string;
}

export interface LoadedFile {
  file: SourceFile;
  documents: LoadedDocument[];
}
