import { parseAllDocuments, isAlias, isMap as yIsMap, isScalar as yIsScalar, isSeq as yIsSeq, isPair } from 'yaml';
import type { Node as YNode, Document } from 'yaml';
import {
  MapNode,
  ScalarNode,
  SeqNode,
  SourceFile,
  type LoadedDocument,
  type LoadedFile,
  type Node,
  type SyntaxProblem,
} from './tree.js';

/** Deeper than this, a document is refused rather than risk the stack. */
export const MAX_DEPTH = 400;
/** A document whose aliases expand to more nodes than this is refused (alias bombs). */
export const MAX_EXPANDED_NODES = 2_000_000;

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

class LoadLimit extends Error {}

export function loadYaml(path: string, text: string): LoadedFile {
  const file = new SourceFile(path, text, 'yaml');
  const documents: LoadedDocument[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, version: '1.2' }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  } catch (e) {
    return { file, documents: [failed(0, text.length, describe(e))] };
  }
  for (const doc of docs) {
    const [start, , end] = doc.range;
    const errors: SyntaxProblem[] = [];
    const warnings: SyntaxProblem[] = [];
    for (const err of doc.errors) {
      const p: SyntaxProblem = { message: cleanMessage(err.message), start: err.pos[0], end: err.pos[1] };
      if (err.code === 'DUPLICATE_KEY') warnings.push(p);
      else errors.push(p);
    }
    let root: Node | undefined;
    if (errors.length === 0) {
      try {
        root = new Converter(file).convert(doc.contents as YNode | null, undefined, 0);
      } catch (e) {
        errors.push({ message: describe(e), start, end: Math.min(end, start + 1) });
      }
    }
    const loaded: LoadedDocument = { root: errors.length ? undefined : root, start, end, errors, warnings };
    const helm = helmSource(text, start, end);
    if (helm) loaded.helmSource = helm;
    documents.push(loaded);
  }
  return { file, documents };
}

function failed(start: number, end: number, message: string): LoadedDocument {
  return { root: undefined, start, end, errors: [{ message, start, end: Math.min(end, start + 1) }], warnings: [] };
}

function describe(e: unknown): string {
  if (e instanceof LoadLimit) return e.message;
  if (e instanceof RangeError) return `nesting is too deep to read (over ${MAX_DEPTH} levels)`;
  return `could not read the document: ${e instanceof Error ? e.message : String(e)}`;
}

function cleanMessage(m: string): string {
  // The yaml package appends " at line N, column M:" and a code frame; we report the position ourselves.
  return m.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

const SOURCE_RE = /^# Source: (.+)$/m;
function helmSource(text: string, start: number, end: number): string | undefined {
  // Helm writes `# Source: <path>` right after `---`; look at the document's head only.
  const head = text.slice(Math.max(0, start - 200), Math.min(end, start + 400));
  const m = SOURCE_RE.exec(head);
  return m ? m[1]!.trim() : undefined;
}

class Converter {
  private readonly memo = new Map<YNode, { node: Node; size: number }>();
  private total = 0;

  constructor(private readonly file: SourceFile) {}

  convert(y: YNode | null, key: ScalarNode | undefined, depth: number): Node {
    return this.convertSized(y, key, depth).node;
  }

  private convertSized(y: YNode | null, key: ScalarNode | undefined, depth: number): { node: Node; size: number } {
    if (depth > MAX_DEPTH) throw new LoadLimit(`nesting is too deep to read (over ${MAX_DEPTH} levels)`);
    if (y === null || y === undefined) {
      const at = key ? key.end : 0;
      return { node: new ScalarNode(this.file, at, at, null), size: 1 };
    }
    if (isAlias(y)) {
      const target = this.aliasTarget(y);
      if (!target) {
        const r = y.range ?? [0, 0];
        return { node: new ScalarNode(this.file, r[0], r[1], null), size: 1 };
      }
      const hit = this.memo.get(target);
      if (hit) {
        this.count(hit.size);
        return hit;
      }
      return this.convertSized(target, key, depth + 1);
    }
    const cached = this.memo.get(y);
    if (cached) {
      this.count(cached.size);
      return cached;
    }
    const anchor = (y as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, y);
    const out = this.fresh(y, depth);
    this.memo.set(y, out);
    return out;
  }

  private count(n: number): void {
    this.total += n;
    if (this.total > MAX_EXPANDED_NODES)
      throw new LoadLimit(`aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes; refusing to read (alias bomb?)`);
  }

  /** Anchors seen so far, in document order (an alias names the latest one before it). */
  private readonly anchors = new Map<string, YNode>();

  private aliasTarget(a: YNode): YNode | undefined {
    return this.anchors.get((a as unknown as { source: string }).source);
  }

  private fresh(y: YNode, depth: number): { node: Node; size: number } {
    const range = y.range ?? [0, 0, 0];
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
      const value = v === undefined ? null : typeof v === 'bigint' ? Number(v) : (v as string | number | boolean | null);
      const quoted = y.type === 'QUOTE_DOUBLE' || y.type === 'QUOTE_SINGLE';
      inner = { node: new ScalarNode(this.file, cfn ? range[0] : start, end, (value as unknown) instanceof Date ? String(y.source ?? value) : value, quoted), size: 1 };
      this.count(1);
    } else if (yIsMap(y)) {
      const map = new MapNode(this.file, cfn ? range[0] : start, end);
      let size = 1;
      for (const item of y.items) {
        if (!isPair(item)) continue;
        const k = item.key as YNode | null;
        const keyNode = this.keyScalar(k, map);
        if (keyNode.value === '<<' && item.value && !(yIsScalar(item.value) && !(item.value as { value: unknown }).value)) {
          size += this.merge(map, item.value as YNode, depth);
          continue;
        }
        const { node: value, size: s } = this.convertSized(item.value as YNode | null, keyNode, depth + 1);
        const v = this.adopt(value, map, keyNode);
        map.entries.push({ key: keyNode, value: v });
        size += s + 1;
      }
      this.count(1);
      inner = { node: map, size };
    } else if (yIsSeq(y)) {
      const seq = new SeqNode(this.file, cfn ? range[0] : start, end);
      let size = 1;
      for (const item of y.items) {
        const { node, size: s } = this.convertSized(item as YNode | null, undefined, depth + 1);
        seq.items.push(this.adopt(node, seq, undefined));
        size += s;
      }
      this.count(1);
      inner = { node: seq, size };
    } else {
      inner = { node: new ScalarNode(this.file, start, end, null), size: 1 };
    }
    if (!cfn) return inner;
    return { node: this.wrapTag(tag!, cfn, start, end, inner.node), size: inner.size + 2 };
  }

  /** Merge keys (`<<: *defaults`): copy entries the map does not define itself. */
  private merge(map: MapNode, value: YNode, depth: number): number {
    const sources = yIsSeq(value) ? (value.items as YNode[]) : [value];
    let size = 0;
    for (const src of sources) {
      const { node, size: s } = this.convertSized(src, undefined, depth + 1);
      if (node.kind !== 'map') continue;
      size += s;
      for (const e of node.entries) if (!map.pair(String(e.key.value))) map.entries.push(e);
    }
    return size;
  }

  /** Nodes reached through an alias are shared; only set parent links once. */
  private adopt(node: Node, parent: MapNode | SeqNode, key: ScalarNode | undefined): Node {
    if (node.parent === undefined) {
      node.parent = parent;
      node.parentKey = key;
    }
    return node;
  }

  private keyScalar(k: YNode | null, owner: MapNode): ScalarNode {
    if (k && yIsScalar(k)) {
      const r = k.range ?? [owner.start, owner.start];
      const v = k.value;
      return new ScalarNode(this.file, r[0], r[1], v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v));
    }
    const r = k?.range ?? [owner.start, owner.start];
    return new ScalarNode(this.file, r[0], r[1], k ? this.file.text.slice(r[0], r[1]) : '');
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
        a.parent = seq;
        b.parent = seq;
        seq.items.push(a, b);
      } else {
        inner.parent = seq;
        seq.items.push(inner);
      }
      value = seq;
    }
    value.parent = map;
    value.parentKey = key;
    map.entries.push({ key, value });
    return map;
  }
}

