import { isMap, isScalar, isSeq, type MapNode, type Node, type ScalarValue, type SeqNode } from '../parsers/tree.js';
import type { Format } from '../parsers/index.js';
import type { CfnPiece, CfnResource } from './cfn.js';
import { hasPlaceholder } from '../parsers/text-scan.js';
import { unknown, type Absent, type Unknown } from './answer.js';

/**
 * What a value is once intrinsic functions and placeholders are looked through.
 * Rules judge `literal` and `ref` values; `unknown` carries why it cannot be known.
 */
export type Resolved =
  | { kind: 'literal'; value: ScalarValue; /** contains an account/region/stack token */ pseudo?: boolean }
  | { kind: 'ref'; resource: CfnResource; attribute?: string }
  | { kind: 'node'; node: MapNode | SeqNode }
  | Unknown
  | Absent;

export const ABSENT: Resolved = { kind: 'absent' };

/** Resolution rules of one document: a CloudFormation template, or a plain file. */
export interface Scope {
  readonly format: Format;
  resolve(node: Node): Resolved;
}

/**
 * Template placeholders of tools that render files before deploy (envsubst, Helm/mustache, ERB, cookiecutter):
 * `PLACEHOLDER.test(value)`. A one-pass scan (`hasPlaceholder`), not a regular expression: values come from
 * the linted files, and a backtracking pattern is quadratic on a long hostile value.
 */
export const PLACEHOLDER: { test(text: string): boolean } = { test: hasPlaceholder };

/** Scope of task-definition JSON, Kubernetes and eksctl files: placeholders are unknown. */
export class PlainScope implements Scope {
  constructor(readonly format: Format) {}
  resolve(node: Node): Resolved {
    if (node.kind === 'scalar') {
      if (typeof node.value === 'string' && PLACEHOLDER.test(node.value))
        return { kind: 'unknown', reason: `placeholder in "${node.value.length > 40 ? node.value.slice(0, 40) + '…' : node.value}"` };
      return { kind: 'literal', value: node.value };
    }
    return { kind: 'node', node };
  }
}

/** A located property of an object: present or absent, known or unknown. */
export class Prop {
  private res_: Resolved | undefined;

  constructor(
    /** The object that has (or lacks) this property. */
    readonly owner: Obj,
    readonly name: string,
    /** The key node, when present. */
    readonly key: Node | undefined,
    /** The value node, when present. */
    readonly node: Node | undefined,
  ) {}

  get res(): Resolved {
    return (this.res_ ??= this.node === undefined ? ABSENT : this.owner.scope.resolve(this.node));
  }

  /** Present and not removed by `AWS::NoValue`. */
  get present(): boolean {
    return this.res.kind !== 'absent';
  }
  /** Present whatever conditions decide (no `Fn::If` branch removes it). */
  get surelyPresent(): boolean {
    const r = this.res;
    return r.kind !== 'absent' && !(r.kind === 'unknown' && r.mayBeAbsent);
  }
  get absent(): boolean {
    return this.res.kind === 'absent';
  }
  get unknown(): boolean {
    return this.res.kind === 'unknown';
  }
  /** Why this property cannot be judged, as an unknown answer (its own reason when it is unknown). */
  get why(): Unknown {
    const r = this.res;
    if (r.kind === 'unknown') return r;
    return unknown(r.kind === 'absent' ? `${this.name} is not set` : `${this.name} is not a plain value`);
  }

  /** A literal or a reference: something a rule may judge. */
  get known(): boolean {
    return this.res.kind === 'literal' || this.res.kind === 'ref' || this.res.kind === 'node';
  }

  /** The known scalar value as a string (numbers and booleans stringified), else undefined. */
  str(): string | undefined {
    const r = this.res;
    if (r.kind !== 'literal' || r.value === null) return undefined;
    return String(r.value);
  }

  /** The known value as a number (CloudFormation accepts "512" for 512), else undefined. */
  num(): number | undefined {
    const s = this.str();
    if (s === undefined || s.trim() === '') return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }

  /** The known value as a boolean (`true`, `"true"`), else undefined. */
  bool(): boolean | undefined {
    const r = this.res;
    if (r.kind !== 'literal') return undefined;
    if (r.value === true || r.value === false) return r.value;
    if (typeof r.value === 'string') {
      const v = r.value.toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
    }
    return undefined;
  }

  /** Known and equal (case-sensitively) to one of the values. */
  is(...values: string[]): boolean {
    const s = this.str();
    return s !== undefined && values.includes(s);
  }

  /** Known and equal, ignoring case, to one of the values. */
  isCI(...values: string[]): boolean {
    const s = this.str()?.toLowerCase();
    return s !== undefined && values.some((v) => v.toLowerCase() === s);
  }

  /** The value as an object, when it is (or resolves to) a mapping. */
  obj(): Obj | undefined {
    const r = this.res;
    if (r.kind === 'node' && isMap(r.node)) return new Obj(r.node, this.owner.scope);
    return undefined;
  }

  /** The items of a list value, each as a Prop; undefined when absent or unknown. */
  list(): Prop[] | undefined {
    const r = this.res;
    if (r.kind !== 'node' || !isSeq(r.node)) return undefined;
    return r.node.items.map((item, i) => new Prop(this.owner, `${this.name}[${i}]`, undefined, item));
  }

  /** Items of a list of objects; items that are unknown are left out (see `list()` to tell). */
  objects(): Obj[] {
    const out: Obj[] = [];
    for (const p of this.list() ?? []) {
      const o = p.obj();
      if (o) out.push(o);
    }
    return out;
  }

  /** Where a finding about this property belongs: the value when present, else the owner. */
  get where(): Node {
    if (this.node !== undefined) return this.node.kind === 'scalar' || isIntrinsic(this.node) ? this.node : this.node.anchor;
    return this.owner.anchor;
  }
}

/** A CloudFormation intrinsic function call (`{ Ref: x }`, `{ "Fn::GetAtt": [...] }`, `!Sub ...`): a value, not an object. */
export function isIntrinsic(node: Node): node is MapNode {
  if (node.kind !== 'map') return false;
  const k = node.soleKey;
  return k !== undefined && (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::'));
}

/** A view of a mapping through a scope: case-insensitive property access. */
export class Obj {
  constructor(
    readonly node: MapNode,
    readonly scope: Scope,
    /** Where to report something this object lacks; defaults to its key. */
    private readonly anchorNode?: Node,
  ) {}

  get anchor(): Node {
    return this.anchorNode ?? this.node.anchor;
  }

  prop(name: string): Prop {
    const pair = this.node.pairCI(name);
    return new Prop(this, name, pair?.key, pair?.value);
  }

  /** A nested object by name (undefined if absent, unknown or not a mapping). */
  obj(name: string): Obj | undefined {
    return this.prop(name).obj();
  }

  has(name: string): boolean {
    return this.prop(name).present;
  }

  /** Every property as written, in order (duplicates and keys differing in case kept apart). */
  entries(): Prop[] {
    const out: Prop[] = [];
    for (let i = 0; i < this.node.size; i++) {
      const k = this.node.keyAt(i);
      out.push(new Prop(this, String(k.value), k, this.node.valueAt(i)));
    }
    return out;
  }

  keys(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.node.size; i++) out.push(String(this.node.keyAt(i).value));
    return out;
  }
}

/**
 * Text of a value for pattern searches (user data, commands). In a template, a projection of
 * `Template.pieces`: references are written `${Id}` / `${Id.Attr}`, a `${Name}` of a Fn::Sub string
 * that cannot be known as written, anything else unknown as `${?}`; `complete` when every piece is text.
 */
export function textOf(node: Node | undefined, scope: Scope): { text: string; complete: boolean } {
  if (node === undefined) return { text: '', complete: false };
  const pieces = (scope as { pieces?: (n: Node) => CfnPiece[] }).pieces;
  if (pieces) {
    let text = '';
    let complete = true;
    for (const p of pieces.call(scope, node)) {
      if (p.kind === 'text') text += p.text;
      else {
        complete = false;
        text += p.kind === 'ref' ? `\${${p.resource.logicalId}${p.attribute !== undefined ? '.' + p.attribute : ''}}` : (p.written ?? '${?}');
      }
    }
    return { text, complete };
  }
  if (isScalar(node)) {
    const r = scope.resolve(node);
    if (r.kind === 'literal') return { text: r.value === null ? '' : String(r.value), complete: true };
    return { text: typeof node.value === 'string' ? node.value : '${?}', complete: false };
  }
  return { text: '${?}', complete: false };
}
