import { isMap, isScalar, isSeq, MapNode, type Node, type ScalarNode, type SourceFile } from '../parsers/tree.js';
import type { CdkStack } from '../parsers/index.js';
import { ABSENT, Obj, PLACEHOLDER, type Resolved, type Scope } from './value.js';
import { bracedPieces } from '../parsers/text-scan.js';

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::AccountId': '${AWS::AccountId}',
  'AWS::Region': '${AWS::Region}',
  'AWS::StackName': '${AWS::StackName}',
  'AWS::StackId': '${AWS::StackId}',
  'AWS::NotificationARNs': '${AWS::NotificationARNs}',
};

/** One resource of a template. */
export class CfnResource {
  readonly props: Obj;
  constructor(
    readonly template: Template,
    readonly logicalId: string,
    /** The logical-id key. */
    readonly key: ScalarNode,
    /** The resource's mapping (Type, Properties, Metadata, ...). */
    readonly node: MapNode,
    readonly type: string,
  ) {
    const props = node.get('Properties');
    this.props = new Obj(isMap(props) ? props : emptyMap(node), template, key);
  }

  get typeNode(): Node | undefined {
    return this.node.get('Type');
  }

  /** `aws:cdk:path` from the resource's Metadata, or the manifest's mapping. */
  get cdkPath(): string | undefined {
    const meta = this.node.get('Metadata');
    const p = isMap(meta) ? meta.get('aws:cdk:path') : undefined;
    if (isScalar(p) && typeof p.value === 'string') return p.value;
    return this.template.cdk?.paths.get(this.logicalId);
  }
}

function emptyMap(node: MapNode): MapNode {
  // A resource without Properties: an empty view anchored at the resource.
  const m = new MapNode(node.file, node.start, node.start);
  m.parentKey = node.parentKey;
  m.up = node;
  return m;
}

/** A CloudFormation template (or CDK stack template): the scope its intrinsics resolve in. */
export class Template implements Scope {
  readonly format = 'cloudformation' as const;
  readonly resources = new Map<string, CfnResource>();
  readonly parameters = new Set<string>();
  readonly conditions = new Set<string>();
  readonly mappings: MapNode | undefined;
  readonly transforms: string[] = [];

  constructor(
    readonly file: SourceFile,
    readonly root: MapNode,
    readonly cdk?: CdkStack,
  ) {
    const params = root.get('Parameters');
    if (isMap(params)) for (const e of params.entries) this.parameters.add(String(e.key.value));
    const conds = root.get('Conditions');
    if (isMap(conds)) for (const e of conds.entries) this.conditions.add(String(e.key.value));
    const maps = root.get('Mappings');
    this.mappings = isMap(maps) ? maps : undefined;
    const tr = root.get('Transform');
    if (isScalar(tr) && typeof tr.value === 'string') this.transforms.push(tr.value);
    else if (isSeq(tr)) for (const t of tr.items) if (isScalar(t) && typeof t.value === 'string') this.transforms.push(t.value);
    const res = root.get('Resources');
    if (isMap(res)) {
      for (const { key, value } of res.entries) {
        if (!isMap(value)) continue;
        const t = value.get('Type');
        const type = isScalar(t) && typeof t.value === 'string' ? t.value : '';
        const id = String(key.value);
        if (id.startsWith('Fn::ForEach')) continue;
        this.resources.set(id, new CfnResource(this, id, key, value, type));
      }
    }
  }

  private readonly cache = new WeakMap<Node, Resolved>();

  resolve(node: Node): Resolved {
    let r = this.cache.get(node);
    if (!r) {
      r = this.compute(node, 0);
      this.cache.set(node, r);
    }
    return r;
  }

  private pseudo(name: string): Resolved | undefined {
    if (name === 'AWS::NoValue') return ABSENT;
    if (name === 'AWS::AccountId' && this.cdk?.account) return { kind: 'literal', value: this.cdk.account };
    if (name === 'AWS::Region' && this.cdk?.region) return { kind: 'literal', value: this.cdk.region };
    const v = PSEUDO[name];
    if (v === undefined) return undefined;
    return v.startsWith('${') ? { kind: 'literal', value: v, pseudo: true } : { kind: 'literal', value: v };
  }

  private compute(node: Node, depth: number): Resolved {
    if (depth > 30) return { kind: 'unknown', reason: 'too deeply nested functions' };
    if (isScalar(node)) {
      if (typeof node.value === 'string') {
        if (node.value.includes('{{resolve:')) return { kind: 'unknown', reason: 'dynamic reference resolved at deploy time' };
        // Outside Fn::Sub, `${VAR}` and `{{ x }}` are a rendering tool's placeholders, not CloudFormation's.
        if (PLACEHOLDER.test(node.value)) return { kind: 'unknown', reason: `placeholder in "${node.value}"` };
      }
      return { kind: 'literal', value: node.value };
    }
    if (isSeq(node)) return { kind: 'node', node };
    const fn = node.soleKey;
    if (!fn || !(fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))) return { kind: 'node', node };
    const arg = node.valueAt(0);
    switch (fn) {
      case 'Ref': {
        const name = isScalar(arg) ? String(arg.value) : undefined;
        if (name === undefined) return { kind: 'unknown', reason: 'Ref to a computed name' };
        const p = this.pseudo(name);
        if (p) return p;
        if (this.parameters.has(name)) return { kind: 'unknown', reason: `parameter ${name}` };
        const res = this.resources.get(name);
        if (res) return { kind: 'ref', resource: res };
        return { kind: 'unknown', reason: `Ref to undefined "${name}"` };
      }
      case 'Fn::GetAtt': {
        let target: string | undefined;
        let attr: string | undefined;
        if (isSeq(arg) && arg.items.length >= 2) {
          target = isScalar(arg.items[0]) ? String(arg.items[0].value) : undefined;
          const a = arg.items[1]!;
          const ar = isScalar(a) ? ({ kind: 'literal', value: a.value } as Resolved) : this.compute(a, depth + 1);
          attr = ar.kind === 'literal' ? String(ar.value) : undefined;
        } else if (isScalar(arg) && typeof arg.value === 'string') {
          const dot = arg.value.indexOf('.');
          if (dot > 0) {
            target = arg.value.slice(0, dot);
            attr = arg.value.slice(dot + 1);
          }
        }
        const res = target ? this.resources.get(target) : undefined;
        if (!res || attr === undefined) return { kind: 'unknown', reason: 'GetAtt that cannot be followed' };
        return { kind: 'ref', resource: res, attribute: attr };
      }
      case 'Fn::Sub':
        return this.sub(arg, depth);
      case 'Fn::Join': {
        if (!isSeq(arg) || arg.items.length !== 2) return { kind: 'unknown', reason: 'malformed Fn::Join' };
        const delim = this.compute(arg.items[0]!, depth + 1);
        const list = this.compute(arg.items[1]!, depth + 1);
        if (delim.kind !== 'literal' || list.kind !== 'node' || !isSeq(list.node)) return { kind: 'unknown', reason: 'Fn::Join of computed values' };
        const parts: string[] = [];
        let pseudo = false;
        for (const item of list.node.items) {
          const r = this.compute(item, depth + 1);
          if (r.kind !== 'literal') return { kind: 'unknown', reason: r.kind === 'unknown' ? r.reason : 'Fn::Join of computed values' };
          pseudo ||= !!r.pseudo;
          parts.push(r.value === null ? '' : String(r.value));
        }
        return { kind: 'literal', value: parts.join(String(delim.value ?? '')), ...(pseudo ? { pseudo } : {}) };
      }
      case 'Fn::If': {
        if (!isSeq(arg) || arg.items.length !== 3) return { kind: 'unknown', reason: 'malformed Fn::If' };
        const cond = isScalar(arg.items[0]) ? String(arg.items[0].value) : '?';
        const a = this.compute(arg.items[1]!, depth + 1);
        const b = this.compute(arg.items[2]!, depth + 1);
        if (sameResolved(a, b)) return a;
        const mayBeAbsent = a.kind === 'absent' || b.kind === 'absent' || (a.kind === 'unknown' && !!a.mayBeAbsent) || (b.kind === 'unknown' && !!b.mayBeAbsent);
        return { kind: 'unknown', reason: `depends on condition ${cond}`, ...(mayBeAbsent ? { mayBeAbsent } : {}) };
      }
      case 'Fn::Select': {
        if (!isSeq(arg) || arg.items.length !== 2) return { kind: 'unknown', reason: 'malformed Fn::Select' };
        const idx = this.compute(arg.items[0]!, depth + 1);
        const list = this.compute(arg.items[1]!, depth + 1);
        const i = idx.kind === 'literal' ? Number(idx.value) : NaN;
        if (!Number.isInteger(i)) return { kind: 'unknown', reason: 'Fn::Select with a computed index' };
        if (list.kind === 'node' && isSeq(list.node)) {
          const item = list.node.items[i];
          return item ? this.compute(item, depth + 1) : { kind: 'unknown', reason: 'Fn::Select out of range' };
        }
        const split = isMap(arg.items[1]) && arg.items[1].soleKey === 'Fn::Split' ? this.split(arg.items[1].get('Fn::Split')!, depth) : undefined;
        if (split && i >= 0 && i < split.length) return { kind: 'literal', value: split[i]! };
        return { kind: 'unknown', reason: 'Fn::Select from a computed list' };
      }
      case 'Fn::FindInMap': {
        if (!isSeq(arg) || arg.items.length < 3 || !this.mappings) return { kind: 'unknown', reason: 'Fn::FindInMap that cannot be followed' };
        let cur: Node | undefined = this.mappings;
        for (const k of arg.items.slice(0, 3)) {
          const r = this.compute(k, depth + 1);
          if (r.kind !== 'literal' || r.pseudo || !isMap(cur)) return { kind: 'unknown', reason: 'Fn::FindInMap with a computed key' };
          cur = cur.get(String(r.value));
        }
        return cur ? this.compute(cur, depth + 1) : { kind: 'unknown', reason: 'Fn::FindInMap to a missing key' };
      }
      case 'Fn::Base64':
        return this.compute(arg, depth + 1);
      case 'Fn::ImportValue':
        return { kind: 'unknown', reason: 'imported value (Fn::ImportValue)' };
      default:
        return { kind: 'unknown', reason: `computed by ${fn}` };
    }
  }

  private split(arg: Node, depth: number): string[] | undefined {
    if (!isSeq(arg) || arg.items.length !== 2) return undefined;
    const d = this.compute(arg.items[0]!, depth + 1);
    const s = this.compute(arg.items[1]!, depth + 1);
    if (d.kind !== 'literal' || s.kind !== 'literal' || s.pseudo) return undefined;
    return String(s.value ?? '').split(String(d.value ?? ''));
  }

  private sub(arg: Node, depth: number): Resolved {
    let pattern: Node | undefined = arg;
    let vars: MapNode | undefined;
    if (isSeq(arg)) {
      pattern = arg.items[0];
      vars = isMap(arg.items[1]) ? arg.items[1] : undefined;
    }
    if (!isScalar(pattern) || typeof pattern.value !== 'string') return { kind: 'unknown', reason: 'malformed Fn::Sub' };
    const text = pattern.value;
    if (text.includes('{{resolve:')) return { kind: 'unknown', reason: 'dynamic reference resolved at deploy time' };
    let out = '';
    let last = 0;
    let pseudo = false;
    for (const m of bracedPieces(text)) {
      out += text.slice(last, m.index);
      last = m.end;
      const name = m.inner.trim();
      if (name.startsWith('!')) {
        out += '${' + name.slice(1) + '}';
        continue;
      }
      let r: Resolved | undefined;
      const v = vars?.get(name);
      if (v !== undefined) r = this.compute(v, depth + 1);
      else r = this.pseudo(name);
      if (!r) {
        if (this.parameters.has(name)) return { kind: 'unknown', reason: `parameter ${name}` };
        const [id, ...attr] = name.split('.');
        const res = this.resources.get(id!);
        if (res && m.whole.length === text.length) return { kind: 'ref', resource: res, ...(attr.length ? { attribute: attr.join('.') } : {}) };
        return { kind: 'unknown', reason: res ? `includes the generated value of ${id}` : `\${${name}} does not resolve` };
      }
      if (r.kind !== 'literal') return r.kind === 'unknown' ? r : { kind: 'unknown', reason: `\${${name}} is not a string` };
      pseudo ||= !!r.pseudo;
      out += r.value === null ? '' : String(r.value);
    }
    out += text.slice(last);
    return { kind: 'literal', value: out, ...(pseudo ? { pseudo } : {}) };
  }
}

function sameResolved(a: Resolved, b: Resolved): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'literal' && b.kind === 'literal') return a.value === b.value;
  if (a.kind === 'ref' && b.kind === 'ref') return a.resource === b.resource && a.attribute === b.attribute;
  if (a.kind === 'absent') return true;
  if (a.kind === 'node' && b.kind === 'node') return a.node === b.node;
  return false;
}
