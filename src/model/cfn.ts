import { isMap, isScalar, isSeq, MapNode, type Node, ScalarNode, type SourceFile } from '../parsers/tree.js';
import type { CdkStack } from '../parsers/index.js';
import { ABSENT, Obj, PLACEHOLDER, type Resolved, type Scope } from './value.js';
import { bracedPieces } from '../parsers/text-scan.js';
import { unknown, type Unknown } from './answer.js';

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

/** One entry of a mapping: a top-level section, or a resource as the Resources section writes it. */
export interface CfnEntry {
  key: ScalarNode;
  value: Node;
}

/** How one entry of a template refers to another. */
export type CfnReferenceVia = 'Ref' | 'Fn::GetAtt' | 'Fn::Sub' | 'DependsOn' | 'Condition';

/** A reference from a resource to a resource, or from a condition to a condition. */
export interface CfnReference {
  /** The logical id or condition name referred to (one the template defines). */
  target: string;
  via: CfnReferenceVia;
  /** Where the name is written: the Ref's name, the GetAtt's logical id, the `${...}` in a Sub string, the DependsOn item, the Condition's name. */
  node: Node;
}

/**
 * What the entries of a template refer to, in document order: the edges CloudFormation orders
 * resource creation (and evaluates conditions) by.
 */
export interface CfnDependencies {
  /** Resource logical id → its references to resources of the template (Ref, Fn::GetAtt, Fn::Sub, DependsOn). */
  resources: Map<string, CfnReference[]>;
  /** Condition name → its references to conditions of the template (`Condition: Name` in the Conditions section). */
  conditions: Map<string, CfnReference[]>;
  /** Output name → its references to resources (in its Value and Export). */
  outputs: Map<string, CfnReference[]>;
}

/** An output of a template that gives out a resource (its Ref, an attribute, or a string built from them). */
export interface CfnOutputUse {
  name: string;
  /** The output's key in the Outputs section. */
  key: Node;
  /** It has an `Export` (other stacks can `Fn::ImportValue` it). */
  exported: boolean;
  /** How the output names the resource. */
  via: CfnReferenceVia;
}

/**
 * A value read through its intrinsic functions as a sequence of pieces: literal text, a reference
 * to a resource of the template (`Ref`, `Fn::GetAtt`, `${Id}` / `${Id.Attr}` in `Fn::Sub`), and
 * what cannot be known (with its reason). `Fn::Sub` and `Fn::Join` are read piece by piece; any other
 * value is one piece.
 */
export type CfnPiece =
  | { kind: 'text'; text: string; /** holds an account/region/stack token */ pseudo?: boolean }
  | { kind: 'ref'; resource: CfnResource; attribute?: string }
  | (Unknown & { /** the text as written (a `${Name}` of a Fn::Sub string, a string with a placeholder) */ written?: string });

/** Transforms that AWS runs and that never add or rewrite sections or resources of their own accord. */
const AWS_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions', 'AWS::CodeDeployBlueGreen', 'AWS::SecretsManager-2020-07-23', 'AWS::SecretsManager-2024-09-16']);
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

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

  /** The template's top-level entries (sections), in document order. */
  get sections(): CfnEntry[] {
    return this.root.entries;
  }

  /**
   * Every entry of the Resources section as written, mappings or not (`resources` holds only the
   * mappings), without `Fn::ForEach` loops; empty when Resources is not a mapping.
   */
  get resourceEntries(): CfnEntry[] {
    const res = this.root.get('Resources');
    if (!isMap(res)) return [];
    return res.entries.filter((e) => !String(e.key.value).startsWith('Fn::ForEach::'));
  }

  /** True when the template names this transform (short or long form). */
  hasTransform(name: string): boolean {
    return this.transformNames.includes(name);
  }

  /**
   * Why the template as written may not be what CloudFormation processes, if it may not: a macro
   * (a transform other than AWS's own, long form included), `AWS::Include`, or `Fn::Transform`.
   * Sections, resources and references may then come from elsewhere.
   */
  get rewrittenBy(): string | undefined {
    const other = this.transformNames.find((t) => !AWS_TRANSFORMS.has(t));
    if (other) return other === 'AWS::Include' ? 'the AWS::Include transform' : `the macro ${other}`;
    const text = this.file.text;
    if (text.includes('Fn::Transform') || text.includes('!Transform')) return 'Fn::Transform';
    return undefined;
  }

  private get transformNames(): string[] {
    const names: string[] = [];
    const tr = this.root.get('Transform');
    for (const t of isSeq(tr) ? tr.items : tr ? [tr] : []) {
      if (isScalar(t)) names.push(typeof t.value === 'string' ? t.value : String(t.value));
      else if (isMap(t)) {
        const name = t.get('Name');
        names.push(isScalar(name) && typeof name.value === 'string' ? name.value : '(computed)');
      } else names.push('(computed)');
    }
    return names;
  }

  private deps: CfnDependencies | undefined;

  /**
   * The references between resources and between conditions (computed once). Counted wherever
   * CloudFormation resolves them: anywhere in a resource but its Type and Condition (Properties,
   * Metadata, update policies, both branches of Fn::If), and in the Conditions section. References
   * to parameters, pseudo parameters and undefined names are not edges; names inside Fn::ForEach
   * loops are generated and left out. The SAM transform rewrites its `AWS::Serverless::*`
   * resources, so their references are left out.
   */
  dependencies(): CfnDependencies {
    if (this.deps) return this.deps;
    const resources = new Map<string, CfnReference[]>();
    const conditions = new Map<string, CfnReference[]>();
    const sam = this.hasTransform(SAM_TRANSFORM);
    for (const res of this.resources.values()) {
      const out: CfnReference[] = [];
      resources.set(res.logicalId, out);
      if (sam && res.type.startsWith('AWS::Serverless::')) continue;
      const node = res.node;
      for (let i = 0; i < node.size; i++) {
        const k = node.keyAt(i).value;
        const v = node.valueAt(i);
        if (k === 'Type' || k === 'Condition') continue;
        if (k === 'DependsOn') {
          for (const n of isSeq(v) ? v.items : [v]) {
            if (isScalar(n) && typeof n.value === 'string' && this.resources.has(n.value)) out.push({ target: n.value, via: 'DependsOn', node: n });
          }
        } else this.resourceRefs(v, out, 0);
      }
    }
    const conds = this.root.get('Conditions');
    if (isMap(conds)) {
      for (let i = 0; i < conds.size; i++) {
        const name = String(conds.keyAt(i).value);
        if (name.startsWith('Fn::ForEach::') || conditions.has(name)) continue;
        const out: CfnReference[] = [];
        conditions.set(name, out);
        this.conditionRefs(conds.valueAt(i), out, 0);
      }
    }
    const outputs = new Map<string, CfnReference[]>();
    const outs = this.root.get('Outputs');
    if (isMap(outs)) {
      for (let i = 0; i < outs.size; i++) {
        const name = String(outs.keyAt(i).value);
        if (outputs.has(name)) continue;
        const out: CfnReference[] = [];
        outputs.set(name, out);
        const v = outs.valueAt(i);
        if (isMap(v)) for (const k of ['Value', 'Export']) {
          const n = v.get(k);
          if (n !== undefined) this.resourceRefs(n, out, 0);
        }
      }
    }
    this.deps = { resources, conditions, outputs };
    return this.deps;
  }

  private referrerIndex: Map<string, Array<{ from: string; section: 'Resources' | 'Outputs'; ref: CfnReference }>> | undefined;

  /** What refers to a resource: other resources and outputs, each with the reference (the inverse of `dependencies`). */
  referrers(resource: CfnResource): Array<{ from: string; section: 'Resources' | 'Outputs'; ref: CfnReference }> {
    if (!this.referrerIndex) {
      const index = new Map<string, Array<{ from: string; section: 'Resources' | 'Outputs'; ref: CfnReference }>>();
      const deps = this.dependencies();
      const add = (section: 'Resources' | 'Outputs', refs: Map<string, CfnReference[]>) => {
        for (const [from, list] of refs)
          for (const ref of list) {
            let l = index.get(ref.target);
            if (!l) index.set(ref.target, (l = []));
            l.push({ from, section, ref });
          }
      };
      add('Resources', deps.resources);
      add('Outputs', deps.outputs);
      this.referrerIndex = index;
    }
    return this.referrerIndex.get(resource.logicalId) ?? [];
  }

  /** The outputs that give out a resource (by Ref, GetAtt or a Sub/Join built from it), exported or not. */
  outputsOf(resource: CfnResource): CfnOutputUse[] {
    const outs = this.root.get('Outputs');
    if (!isMap(outs)) return [];
    const seen = new Set<string>();
    const out: CfnOutputUse[] = [];
    for (const r of this.referrers(resource)) {
      if (r.section !== 'Outputs' || seen.has(r.from)) continue;
      seen.add(r.from);
      const pair = outs.pair(r.from);
      if (!pair) continue;
      const v = pair.value;
      out.push({ name: r.from, key: pair.key, exported: isMap(v) && v.get('Export') !== undefined, via: r.ref.via });
    }
    return out;
  }

  /**
   * Is a resource handed to what is outside the template: an output, or a parameter of a nested
   * stack (`AWS::CloudFormation::Stack`), where other stacks may use it?
   */
  handedOut(resource: CfnResource): boolean {
    for (const r of this.referrers(resource)) {
      if (r.section === 'Outputs') return true;
      if (this.resources.get(r.from)?.type === 'AWS::CloudFormation::Stack') return true;
    }
    return false;
  }

  /** The pieces of a value (see `CfnPiece`): the one reading of `Fn::Sub` and `Fn::Join` that rules use. */
  pieces(node: Node, depth = 0): CfnPiece[] {
    if (depth > 20) return [unknown('too deeply nested functions')];
    if (isMap(node)) {
      const fn = node.soleKey;
      const arg = fn ? node.valueAt(0) : undefined;
      if (fn === 'Fn::Base64' && arg !== undefined) return this.pieces(arg, depth + 1);
      if (fn === 'Fn::Sub' && arg !== undefined) return this.subPieces(arg, depth);
      if (fn === 'Fn::Join' && isSeq(arg) && arg.items.length === 2 && isSeq(arg.items[1])) {
        const d = this.resolve(arg.items[0]!);
        if (d.kind !== 'literal') return [d.kind === 'unknown' ? d : unknown('Fn::Join with a computed delimiter')];
        const delim = d.value === null ? '' : String(d.value);
        const out: CfnPiece[] = [];
        arg.items[1].items.forEach((item, i) => {
          if (i > 0 && delim !== '') out.push({ kind: 'text', text: delim });
          out.push(...this.pieces(item, depth + 1));
        });
        return out;
      }
    }
    const r = this.resolve(node);
    if (r.kind === 'literal') return [{ kind: 'text', text: r.value === null ? '' : String(r.value), ...(r.pseudo ? { pseudo: true } : {}) }];
    if (r.kind === 'ref') return [{ kind: 'ref', resource: r.resource, ...(r.attribute !== undefined ? { attribute: r.attribute } : {}) }];
    if (r.kind === 'unknown') return [isScalar(node) && typeof node.value === 'string' ? { ...r, written: node.value } : r];
    if (r.kind === 'absent') return [];
    return [unknown('a list or mapping, not a string')];
  }

  private subPieces(arg: Node, depth: number): CfnPiece[] {
    const pattern = isSeq(arg) ? arg.items[0] : arg;
    const vars = isSeq(arg) && isMap(arg.items[1]) ? arg.items[1] : undefined;
    if (!isScalar(pattern) || typeof pattern.value !== 'string') return [unknown('malformed Fn::Sub')];
    const text = pattern.value;
    if (text.includes('{{resolve:')) return [unknown('dynamic reference resolved at deploy time')];
    const out: CfnPiece[] = [];
    let last = 0;
    for (const m of bracedPieces(text)) {
      if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
      last = m.end;
      const name = m.inner.trim();
      if (name.startsWith('!')) {
        out.push({ kind: 'text', text: '${' + name.slice(1) + '}' });
        continue;
      }
      const v = vars?.get(name);
      if (v !== undefined) {
        out.push(...this.pieces(v, depth + 1));
        continue;
      }
      const p = this.pseudo(name);
      if (p) {
        if (p.kind === 'literal') out.push({ kind: 'text', text: p.value === null ? '' : String(p.value), ...(p.pseudo ? { pseudo: true } : {}) });
        continue;
      }
      if (this.parameters.has(name)) {
        out.push({ ...unknown(`parameter ${name}`), written: m.whole });
        continue;
      }
      const dot = name.indexOf('.');
      const id = dot > 0 ? name.slice(0, dot) : name;
      const res = this.resources.get(id);
      if (res) out.push({ kind: 'ref', resource: res, ...(dot > 0 ? { attribute: name.slice(dot + 1) } : {}) });
      else out.push({ ...unknown(`\${${name}} does not resolve`), written: m.whole });
    }
    if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
    return out;
  }

  private resourceRefs(node: Node, out: CfnReference[], depth: number): void {
    if (depth > 100) return;
    if (isSeq(node)) {
      for (const item of node.items) this.resourceRefs(item, out, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    const fn = node.soleKey;
    if (fn === 'Ref') {
      const arg = node.valueAt(0);
      if (isScalar(arg) && typeof arg.value === 'string' && this.resources.has(arg.value)) out.push({ target: arg.value, via: 'Ref', node: arg });
      else this.resourceRefs(arg, out, depth + 1);
      return;
    }
    if (fn === 'Fn::GetAtt') {
      const arg = node.valueAt(0);
      if (isSeq(arg)) {
        const id = arg.items[0];
        if (isScalar(id) && typeof id.value === 'string' && this.resources.has(id.value)) out.push({ target: id.value, via: 'Fn::GetAtt', node: id });
      } else if (isScalar(arg) && typeof arg.value === 'string') {
        const dot = arg.value.indexOf('.');
        const id = dot > 0 ? arg.value.slice(0, dot) : arg.value;
        if (this.resources.has(id)) out.push({ target: id, via: 'Fn::GetAtt', node: arg });
      }
      this.resourceRefs(arg, out, depth + 1);
      return;
    }
    if (fn === 'Fn::Sub') {
      this.subRefs(node.valueAt(0), out);
      this.resourceRefs(node.valueAt(0), out, depth + 1);
      return;
    }
    for (let i = 0; i < node.size; i++) {
      // A loop's body names what the loop generates: left out.
      if (String(node.keyAt(i).value).startsWith('Fn::ForEach::')) continue;
      this.resourceRefs(node.valueAt(i), out, depth + 1);
    }
  }

  /** `${Resource}` and `${Resource.Attribute}` in a Fn::Sub string, not shadowed by its variable map. */
  private subRefs(arg: Node, out: CfnReference[]): void {
    const pattern = isSeq(arg) ? arg.items[0] : arg;
    const vars = isSeq(arg) && isMap(arg.items[1]) ? arg.items[1] : undefined;
    if (!isScalar(pattern) || typeof pattern.value !== 'string') return;
    const text = pattern.value;
    const seen = new Map<string, number>();
    for (let at = text.indexOf('${'); at >= 0; at = text.indexOf('${', at + 2)) {
      const close = text.indexOf('}', at + 2);
      if (close < 0) break;
      const whole = text.slice(at, close + 1);
      const nth = seen.get(whole) ?? 0;
      seen.set(whole, nth + 1);
      const raw = text.slice(at + 2, close);
      if (raw.startsWith('!')) continue;
      const name = raw.trim();
      if (vars && (vars.get(name) !== undefined || vars.get(raw) !== undefined)) continue;
      const dot = name.indexOf('.');
      const id = dot > 0 ? name.slice(0, dot) : name;
      if (this.resources.has(id)) out.push({ target: id, via: 'Fn::Sub', node: locateIn(pattern, whole, nth) });
    }
  }

  private conditionRefs(node: Node, out: CfnReference[], depth: number): void {
    if (depth > 100) return;
    if (isSeq(node)) {
      for (const item of node.items) this.conditionRefs(item, out, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    if (node.soleKey === 'Condition') {
      const arg = node.valueAt(0);
      if (isScalar(arg) && typeof arg.value === 'string' && this.conditions.has(arg.value)) out.push({ target: arg.value, via: 'Condition', node: arg });
      return;
    }
    for (let i = 0; i < node.size; i++) this.conditionRefs(node.valueAt(i), out, depth + 1);
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

/**
 * The n-th occurrence of `whole` (a `${...}`) inside a string scalar, as a node of its own, when
 * the source text spells it as the value does (no escapes in between); else the string itself.
 */
function locateIn(node: ScalarNode, whole: string, nth: number): Node {
  const src = node.file.text.slice(node.start, node.end);
  const value = String(node.value);
  if (occurrences(src, whole) !== occurrences(value, whole)) return node;
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = src.indexOf(whole, at + 1);
    if (at < 0) return node;
  }
  const n = new ScalarNode(node.file, node.start + at, node.start + at + whole.length, whole);
  n.up = node.up;
  n.parentKey = node.parentKey;
  return n;
}

function occurrences(s: string, sub: string): number {
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}
