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

abstract class NodeBase {
  /** The key under which this node is a mapping value, if any. */
  parentKey: ScalarNode | undefined;
  /** The collection that holds this node (for walking outwards). */
  parent: MapNode | SeqNode | undefined;

  constructor(
    readonly file: SourceFile,
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): Range {
    return this.file.range(this.start, this.end);
  }

  /** Where a finding about this node as a whole belongs: its key if it has one. */
  get anchor(): Node {
    return this.parentKey ?? (this as unknown as Node);
  }
}

export class ScalarNode extends NodeBase {
  readonly kind = 'scalar';
  constructor(
    file: SourceFile,
    start: number,
    end: number,
    readonly value: ScalarValue,
    /** True for quoted scalars and JSON strings (a quoted "true" is a string). */
    readonly quoted = false,
  ) {
    super(file, start, end);
  }
}

export interface Pair {
  key: ScalarNode;
  value: Node;
}

export class MapNode extends NodeBase {
  readonly kind = 'map';
  readonly entries: Pair[] = [];
  /** Set when this map stands for a CloudFormation short-form tag (`!Ref x`). */
  shortTag: string | undefined;

  constructor(file: SourceFile, start: number, end: number) {
    super(file, start, end);
  }

  /** Exact-key lookup. */
  pair(key: string): Pair | undefined {
    for (const p of this.entries) if (p.key.value === key) return p;
    return undefined;
  }

  get(key: string): Node | undefined {
    return this.pair(key)?.value;
  }

  /** Case-insensitive lookup: `taskRoleArn` finds `TaskRoleArn` and `taskRoleArn`. */
  pairCI(key: string): Pair | undefined {
    const exact = this.pair(key);
    if (exact) return exact;
    const lower = key.toLowerCase();
    for (const p of this.entries) {
      const k = p.key.value;
      if (typeof k === 'string' && k.length === lower.length && k.toLowerCase() === lower) return p;
    }
    return undefined;
  }

  getCI(key: string): Node | undefined {
    return this.pairCI(key)?.value;
  }

  /** The single key of a one-entry map (an intrinsic function's name), else undefined. */
  get soleKey(): string | undefined {
    if (this.entries.length !== 1) return undefined;
    const k = this.entries[0]!.key.value;
    return typeof k === 'string' ? k : undefined;
  }
}

export class SeqNode extends NodeBase {
  readonly kind = 'seq';
  readonly items: Node[] = [];
  constructor(file: SourceFile, start: number, end: number) {
    super(file, start, end);
  }
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
  for (const p of n.entries) o[String(p.key.value)] = toPlain(p.value, depth + 1);
  return o;
}

/** A syntax problem found while loading a file. */
export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
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
