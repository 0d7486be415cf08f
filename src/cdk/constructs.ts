/**
 * Following a construct path (`OrdersStack/Api/TaskDef/Resource`) through the app's TypeScript:
 * the `new Stack(app, 'Id')` in the entry file, into the constructors of the user's classes
 * (imports followed across files), down to the outermost construct of a library; or from a
 * creation stack trace, checked against the source. Syntax only; nothing is ever guessed.
 */
import { dirname, extname, join, resolve } from 'node:path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { partsMatch } from '../engine/glob.js';
import type { CdkApp } from './app.js';
import { calleeName, enclosingBody, findClass, isCreation, literalOf, propertyOf, refKey, unwrap, walk, type Creation, type Node } from './ast.js';
import { isFile } from './files.js';
import { mapProps, parsePath, propsFlow } from './props.js';
import type { TsFile } from './source.js';
import { frameLocation } from './trace.js';


/** How a construct is referred to inside a body: `this` (or the app) or the `new` that created it. */
type Ref = 'self' | Creation;

interface Made {
  node: Creation;
  scope: Ref;
  /** The literal id, when the id is a literal. */
  id: string | undefined;
  /** For an id built by a template literal (`\`Shard${name}\``): the ids it can produce. */
  pattern?: (id: string) => boolean;
  /** `new` (a class) or a call (a factory: `makeService(this, 'Api')`). */
  factory: boolean;
}

/** A scope of construct creation: the entry program (self = the App) or a class (self = `this`). */
class Body {
  readonly made: Made[] = [];
  /** Names and `this.x` members bound to a creation. */
  private readonly bound = new Map<string, Creation>();
  /** Method calls on a bound construct: `taskDef.addContainer('web', {...})`. */
  readonly calls: Array<{ target: Creation; method: string; call: TSESTree.CallExpression }> = [];
  /** Constructs passed to a function this body cannot see into (`helpers.addAlarms(this)`): it may create children with any id. */
  readonly opaque = new Set<Ref>();

  constructor(
    readonly file: TsFile,
    readonly node: TSESTree.Program | TSESTree.ClassDeclaration | TSESTree.ClassExpression,
    readonly selfNames: Set<string>,
  ) {
    const pending: Array<{ node: Creation; scopeExpr: Node; idExpr: Node | undefined; factory: boolean }> = [];
    const methodCalls: Array<{ obj: Node; method: string; call: TSESTree.CallExpression }> = [];
    const passed: Node[] = [];
    walk(node.type === 'Program' ? node : node.body, (n) => {
      if (n !== node && (n.type === 'ClassDeclaration' || n.type === 'ClassExpression')) return false;
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && isCreation(n.init)) this.bound.set(n.id.name, n.init);
      if (n.type === 'AssignmentExpression' && isCreation(n.right)) {
        const k = refKey(n.left);
        if (k) this.bound.set(k, n.right);
      }
      if (n.type === 'PropertyDefinition' && n.key.type === 'Identifier' && isCreation(n.value)) this.bound.set(`this.${n.key.name}`, n.value);
      if (n.type === 'NewExpression' && n.arguments.length >= 2) {
        pending.push({ node: n, scopeExpr: n.arguments[0]!, idExpr: n.arguments[1], factory: false });
        // A construct handed to another in its props (`{ parent: this }`) may get children there.
        for (const a of n.arguments.slice(2)) passed.push(a);
      }
      if (n.type === 'CallExpression') {
        // `Tags.of(this)`, `Stack.of(this)`, `Aspects.of(this)` create no children; anything else handed
        // a construct might (a factory too: besides the construct it names, it may make others).
        const isOf = n.callee.type === 'MemberExpression' && n.callee.property.type === 'Identifier' && n.callee.property.name === 'of';
        if (!isOf) for (const a of n.arguments) passed.push(a);
        if (n.callee.type === 'MemberExpression' && n.callee.property.type === 'Identifier' && !n.callee.computed) methodCalls.push({ obj: n.callee.object, method: n.callee.property.name, call: n });
        else if (n.callee.type === 'Identifier' && n.arguments.length >= 2 && literalOf(n.arguments[1]) !== undefined)
          pending.push({ node: n, scopeExpr: n.arguments[0]!, idExpr: n.arguments[1], factory: true });
      }
      return true;
    });
    for (const p of pending) {
      const scope = this.refOf(p.scopeExpr);
      if (scope === undefined) continue;
      const id = literalOf(p.idExpr);
      const pattern = id === undefined ? templatePattern(p.idExpr) : undefined;
      this.made.push({ node: p.node, scope, id, factory: p.factory, ...(pattern ? { pattern } : {}) });
    }
    const mark = (a: Node) => {
      const r = a.type === 'ThisExpression' || a.type === 'Identifier' || a.type === 'MemberExpression' ? this.refOf(a) : undefined;
      if (r !== undefined) this.opaque.add(r);
    };
    for (const a of passed) {
      mark(a);
      if (a.type === 'ObjectExpression') for (const p of a.properties) if (p.type === 'Property') mark(p.value);
    }
    for (const c of methodCalls) {
      const target = this.refOf(c.obj);
      if (target !== undefined && target !== 'self') this.calls.push({ target, method: c.method, call: c.call });
    }
  }

  /** What an expression refers to: this body's construct, a construct created here, or nothing known. */
  refOf(e: Node): Ref | undefined {
    if (e.type === 'ThisExpression') return this.node.type === 'Program' ? undefined : 'self';
    if (e.type === 'Identifier' && this.node.type === 'Program' && this.selfNames.has(e.name)) return 'self';
    if (isCreation(e)) return e;
    const k = refKey(e);
    return k ? this.bound.get(k) : undefined;
  }

  children(ref: Ref, id: string): Made[] {
    const exact = this.made.filter((m) => m.scope === ref && m.id === id);
    if (exact.length || this.opaque.has(ref)) return exact;
    // No literal id: the one construct whose id, built at run time, can be this one (a loop over
    // `\`Shard${name}\``) — only when every other computed id under the same parent cannot.
    const computed = this.made.filter((m) => m.scope === ref && m.id === undefined);
    const could = computed.filter((m) => !m.pattern || m.pattern(id));
    return could.length === 1 && could[0]!.pattern ? could : [];
  }
}

/** `\`Shard${name}\`` → ids `Shard` and one or more characters; nothing for a template without static text. */
function templatePattern(e: Node | undefined): ((id: string) => boolean) | undefined {
  if (e?.type !== 'TemplateLiteral' || !e.expressions.length) return undefined;
  const parts = e.quasis.map((q) => q.value.cooked ?? '');
  if (!parts.join('')) return undefined;
  return (id) => partsMatch(parts, id, notLineBreak, 1);
}

/** Any character but a line break (what `.` matches). */
const notLineBreak = (c: number) => c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029;

/** What a class expression names: a class of the app (with its file), a library class, or nothing known. */
type ClassRef = { kind: 'user'; file: TsFile; decl: TSESTree.ClassDeclaration | TSESTree.ClassExpression } | { kind: 'library'; name: string } | { kind: 'unknown' };

/** The outcome of mapping one construct path. */
export interface SourceHit {
  file: TsFile;
  /** The expression that creates the construct (or the call that adds a container/volume). */
  node: Creation;
  /** The property the finding is about, when one matches. */
  property?: TSESTree.Property;
  /** Nothing deeper could be resolved: the nearest construct that could. */
  fallback: boolean;
  /** Resolved through a creation stack trace. */
  viaTrace: boolean;
}

/** Resolves construct paths of one app. */
export class AppSource {
  private readonly bodies = new Map<Node, Body>();
  private readonly entryBody: Body | undefined;

  constructor(
    readonly app: CdkApp,
    private readonly read: (path: string) => TsFile | undefined,
  ) {
    const entry = read(app.entry);
    if (entry) {
      const selfNames = new Set<string>();
      walk(entry.ast, (n) => {
        if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init?.type === 'NewExpression' && /(?:^|\.)App$/.test(calleeName(n.init.callee) ?? '')) selfNames.add(n.id.name);
        return n.type !== 'ClassDeclaration' && n.type !== 'ClassExpression';
      });
      this.entryBody = new Body(entry, entry.ast, selfNames);
    }
  }

  private body(file: TsFile, node: TSESTree.Program | TSESTree.ClassDeclaration | TSESTree.ClassExpression): Body {
    let b = this.bodies.get(node);
    if (!b) this.bodies.set(node, (b = new Body(file, node, new Set())));
    return b;
  }

  private readonly resolved = new Map<string, SourceHit | undefined>();
  private readonly traceNodes = new Map<string, { node: TSESTree.NewExpression | undefined; host: TSESTree.Program | TSESTree.ClassDeclaration | TSESTree.ClassExpression }>();

  /** Map a construct path (and the finding's property path) to the source. Rules often report on the same place: answers are kept for the run. */
  resolve(cdkPath: string, propPath: string | undefined, trace: string[] | undefined): SourceHit | undefined {
    const key = `${cdkPath}\0${propPath ?? ''}\0${trace ? trace.join('\n') : ''}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const hit = this.resolveUncached(cdkPath, propPath, trace);
    this.resolved.set(key, hit);
    return hit;
  }

  private resolveUncached(cdkPath: string, propPath: string | undefined, trace: string[] | undefined): SourceHit | undefined {
    const segs = cdkPath.split('/').filter(Boolean);
    const walked = this.entryBody ? this.descend(this.entryBody, 'self', segs, 0) : undefined;
    const traced = trace ? this.fromTrace(segs, trace) : undefined;
    if (traced) {
      // The trace decides; where the path walk reached the same construct, its answer knows more
      // (the instantiations it went through, for values passed in through props).
      const same = walked && !walked.fallback && walked.made.node === traced.made.node;
      return this.finish(same ? walked : traced, propPath, true);
    }
    return walked ? this.finish(walked, propPath, false) : undefined;
  }

  private descend(body: Body, ref: Ref, segs: string[], depth: number): Resolved | undefined {
    if (!segs.length || depth > 40) return undefined;
    const kids = body.children(ref, segs[0]!);
    if (kids.length !== 1) return undefined;
    const made = kids[0]!;
    const rest = segs.slice(1);
    // Children attached from the outside: `new s3.Bucket(vpc, 'Logs')` in the same body.
    const outside = rest.length ? this.descend(body, made.node, rest, depth + 1) : undefined;
    if (outside) return outside;
    if (made.factory) return { body, made, rest, cls: { kind: 'unknown' }, fallback: rest.length > 0 };
    const cls = this.classOf(body.file, (made.node as TSESTree.NewExpression).callee, 0);
    if (cls.kind === 'user') {
      const inner = rest.length ? this.descendClass(cls.file, cls.decl, rest, depth + 1) : undefined;
      if (inner) {
        inner.via = [{ body, made, decl: cls.decl }, ...(inner.via ?? [])];
        return inner;
      }
      return { body, made, rest, cls, fallback: rest.length > 0 };
    }
    // A construct a library construct's method added by id: `cluster.addCapacity('DefaultAutoScalingGroup', …)`.
    // Followed through chains: `lb.addListener('Public', …)` then `listener.addTargets('ECS', …)`.
    let adder: Made | undefined;
    let left = rest;
    for (let at: Creation = made.node; left.length; ) {
      const adders = body.calls.filter((c) => c.target === at && /^add[A-Z]/.test(c.method) && literalOf(c.call.arguments[0]) === left[0]);
      if (adders.length !== 1) break;
      adder = { node: adders[0]!.call, scope: at, id: left[0], factory: true };
      at = adders[0]!.call;
      left = left.slice(1);
    }
    if (adder) return { body, made: adder, rest: left, cls: { kind: 'unknown' }, fallback: false };
    // The path goes on below a library construct that the app itself adds constructs to (a stack,
    // a stage) but none of them could be resolved: the resource is not this construct's own, so
    // this is only the nearest construct, and its props say nothing about the resource.
    const container = rest.length > 0 && (body.made.some((m) => m.scope === made.node) || (cls.kind === 'library' && /(?:Stack|Stage|App)$/.test(cls.name)));
    return { body, made, rest, cls, fallback: container };
  }

  private descendClass(file: TsFile, decl: TSESTree.ClassDeclaration | TSESTree.ClassExpression, segs: string[], depth: number): Resolved | undefined {
    for (let d = decl, f = file, i = 0; i < 8; i++) {
      const r = this.descend(this.body(f, d), 'self', segs, depth);
      if (r) return r;
      // A construct the base class creates: `class OrdersStack extends BaseServiceStack`.
      if (!d.superClass) return undefined;
      const sup = this.classOf(f, d.superClass, 0);
      if (sup.kind !== 'user') return undefined;
      d = sup.decl;
      f = sup.file;
    }
    return undefined;
  }

  /** Resolve a class expression (`OrdersStack`, `ecs.Ec2TaskDefinition`) through imports. */
  classOf(file: TsFile, callee: Node, depth: number): ClassRef {
    if (depth > 10) return { kind: 'unknown' };
    if (callee.type === 'Identifier') {
      const local = findClass(file.ast, callee.name);
      if (local) return { kind: 'user', file, decl: local };
      const imp = file.imports.get(callee.name);
      if (!imp) return { kind: 'unknown' };
      return this.importedClass(file, imp.from, imp.imported === '*' ? callee.name : imp.imported, callee.name, depth);
    }
    if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.property.type === 'Identifier') {
      const imp = file.imports.get(callee.object.name);
      if (!imp) return { kind: 'unknown' };
      if (imp.imported === '*') return this.importedClass(file, imp.from, callee.property.name, callee.property.name, depth);
      return isRelative(imp.from) ? { kind: 'unknown' } : { kind: 'library', name: callee.property.name };
    }
    return { kind: 'unknown' };
  }

  private importedClass(file: TsFile, from: string, name: string, shown: string, depth: number): ClassRef {
    if (!isRelative(from)) return { kind: 'library', name: name === 'default' ? shown : name };
    const target = resolveModule(dirname(file.path), from);
    const tf = target ? this.read(target) : undefined;
    if (!tf) return { kind: 'unknown' };
    return this.exportedClass(tf, name, depth + 1);
  }

  private exportedClass(file: TsFile, name: string, depth: number): ClassRef {
    if (depth > 10) return { kind: 'unknown' };
    for (const st of file.ast.body) {
      if (name === 'default' && st.type === 'ExportDefaultDeclaration') {
        const d = st.declaration;
        if (d.type === 'ClassDeclaration' || d.type === 'ClassExpression') return { kind: 'user', file, decl: d };
        if (d.type === 'Identifier') return this.classOf(file, d, depth);
      }
      if (st.type === 'ExportNamedDeclaration') {
        if (st.declaration?.type === 'ClassDeclaration' && st.declaration.id?.name === name) return { kind: 'user', file, decl: st.declaration };
        for (const s of st.specifiers) {
          const exported = s.exported.type === 'Identifier' ? s.exported.name : s.exported.value;
          if (exported !== name) continue;
          const local = s.local.type === 'Identifier' ? s.local.name : s.local.value;
          if (st.source) return this.importedClass(file, st.source.value, local, name, depth);
          return this.classOf(file, { type: 'Identifier', name: local } as TSESTree.Identifier, depth + 1);
        }
      }
    }
    for (const st of file.ast.body) {
      if (st.type === 'ExportAllDeclaration' && !st.exported) {
        const r = this.importedClass(file, st.source.value, name, name, depth + 1);
        if (r.kind !== 'unknown') return r;
      }
    }
    return { kind: 'unknown' };
  }

  /**
   * A trace's file here: as it is, or (an assembly synthesized elsewhere: CI, a container) the
   * longest tail of its path that exists under the app's folder. The frame is still checked
   * against the source, so a moved or edited file does not yield a wrong line.
   */
  private rebase(file: string): string | undefined {
    if (isFile(file)) return file;
    const parts = file.split(/[\\/]/).filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const candidate = join(this.app.root, ...parts.slice(i));
      if (isFile(candidate)) return candidate;
    }
    return undefined;
  }

  /** A creation stack trace: the first frame in the app's own files, checked against the source. */
  private fromTrace(segs: string[], trace: string[]): Resolved | undefined {
    for (const frame of trace) {
      const loc = frameLocation(frame);
      if (!loc) continue;
      if (/[\\/]node_modules[\\/]/.test(loc.file) || !/\.(?:[mc]?ts|tsx)$/.test(loc.file)) return undefined;
      const path = this.rebase(loc.file);
      const file = path ? this.read(path) : undefined;
      if (!file) return undefined;
      const offset = file.source.lineOffset(loc.line) + loc.column - 1;
      const at0 = `${file.path}:${offset}`;
      let found = this.traceNodes.get(at0);
      if (!found) {
        let n0: TSESTree.NewExpression | undefined;
        walk(file.ast, (n) => {
          if (n.range[1] < offset || n.range[0] > offset) return false;
          if (n.type === 'NewExpression' && n.range[0] === offset) n0 = n;
          return true;
        });
        found = { node: n0, host: n0 ? enclosingBody(file.ast, n0) : file.ast };
        this.traceNodes.set(at0, found);
      }
      const node = found.node;
      if (!node || node.arguments.length < 2) return undefined;
      const id = literalOf(node.arguments[1]);
      const cls = this.classOf(file, node.callee, 0);
      // The frame must agree with the path. An L1 (`Cfn*`) is the resource itself: its id is the
      // path's last segment. Anything else contains the resource: its id is an earlier segment (the
      // innermost one, for paths like `Api/Service/Service`). Without a literal id only an L1's place
      // is known; anything else gets no property mapping below it.
      const l1 = cls.kind === 'library' && cls.name.startsWith('Cfn');
      let rest: string[];
      if (id === undefined) rest = l1 ? [] : ['?'];
      else if (l1) {
        if (segs[segs.length - 1] !== id) return undefined;
        rest = [];
      } else {
        const at = segs.lastIndexOf(id, segs.length - 2);
        if (at < 0) return undefined;
        rest = segs.slice(at + 1);
      }
      const host = found.host;
      const body = host.type === 'Program' ? this.entryBody?.file === file ? this.entryBody : this.body(file, host) : this.body(file, host);
      const made: Made = body.made.find((m) => m.node === node) ?? { node, scope: 'self', id, factory: false };
      return { body, made, rest, cls, fallback: false };
    }
    return undefined;
  }

  private finish(r: Resolved, propPath: string | undefined, viaTrace: boolean): SourceHit {
    const hit: SourceHit = { file: r.body.file, node: r.made.node, fallback: r.fallback, viaTrace };
    if (r.fallback || r.cls.kind !== 'library' || r.made.node.type !== 'NewExpression') return hit;
    const props = propPath?.startsWith('/Properties/') ? parsePath(propPath.slice('/Properties/'.length)) : undefined;
    if (!props?.length) return hit;
    const isL1 = r.cls.name.startsWith('Cfn') && r.rest.length === 0;
    // An L2's own resource: `Resource` (or `Service` of an ECS service); its props carry the same names where they hold.
    const isL2 = !isL1 && r.rest.length === 1 && (r.rest[0] === 'Resource' || (r.rest[0] === 'Service' && /Service$/.test(r.cls.name)));
    if (!isL1 && !isL2) return hit;
    const arg = unwrap(r.made.node.arguments[2]);
    // Containers and volumes added by a method of the construct.
    if (isL2 && props.length >= 2 && (props[0] === 'ContainerDefinitions' || props[0] === 'Volumes')) {
      const added = this.addedBy(r.body, r.made.node, props[0], props[1]!);
      if (added === 'ambiguous') return hit;
      if (added) {
        const sub = added.props ? mapProps(added.props, props.slice(2), false) : undefined;
        return this.lift({ ...hit, node: added.call, ...(sub ? { property: sub } : {}) }, r);
      }
    }
    if (arg?.type === 'ObjectExpression') {
      const p = mapProps(arg, props, isL1);
      if (p) hit.property = p;
    }
    return this.lift(hit, r);
  }

  /**
   * A property whose value comes from the user construct's own props (`image: fromRegistry(props.image)`)
   * is set where that construct is instantiated: `new ApiService(stack, 'Api', { image: '…:latest' })`.
   * Followed outwards while the value keeps coming from the props of the construct around it.
   */
  private lift(hit: SourceHit, r: Resolved): SourceHit {
    const via = r.via ?? [];
    let body = r.body;
    for (let i = via.length - 1; i >= 0 && hit.property; i--) {
      const site = via[i]!;
      if (body.node !== site.decl) break;
      const name = propsFlow(site.decl, hit.property.value);
      const arg = site.made.node.type === 'NewExpression' ? unwrap(site.made.node.arguments[2]) : undefined;
      const outer = name && arg?.type === 'ObjectExpression' ? propertyOf(arg, name) : undefined;
      if (!outer) break;
      hit = { ...hit, file: site.body.file, node: site.made.node, property: outer };
      body = site.body;
    }
    return hit;
  }

  /** The `addContainer('web', …)` / `addVolume({ name: 'data', … })` call that added a container or volume to a construct. */
  private addedBy(body: Body, target: Creation, list: string, item: string): { call: TSESTree.CallExpression; props?: TSESTree.ObjectExpression } | 'ambiguous' | undefined {
    const name = /^\[name=(.*)\]$/.exec(item)?.[1];
    if (name === undefined) return undefined;
    const hits: Array<{ call: TSESTree.CallExpression; props?: TSESTree.ObjectExpression }> = [];
    let unsure = false;
    for (const c of body.calls) {
      if (c.target !== target) continue;
      if (list === 'ContainerDefinitions' && c.method === 'addContainer') {
        const a1 = unwrap(c.call.arguments[1]);
        const props = a1?.type === 'ObjectExpression' ? a1 : undefined;
        const explicit = props ? propertyOf(props, 'containerName') : undefined;
        const cname = explicit ? literalOf(explicit.value) : literalOf(c.call.arguments[0]);
        if (cname === undefined) unsure = true;
        else if (cname === name) hits.push({ call: c.call, ...(props ? { props } : {}) });
      } else if (list === 'Volumes' && c.method === 'addVolume') {
        const a0 = unwrap(c.call.arguments[0]);
        const props = a0?.type === 'ObjectExpression' ? a0 : undefined;
        const n = props ? propertyOf(props, 'name') : undefined;
        const vname = n ? literalOf(n.value) : undefined;
        if (vname === undefined) unsure = true;
        else if (vname === name) hits.push({ call: c.call, ...(props ? { props } : {}) });
      }
    }
    if (hits.length === 1) return hits[0];
    return hits.length > 1 || unsure ? 'ambiguous' : undefined;
  }
}

interface Resolved {
  body: Body;
  made: Made;
  /** Path segments below the construct (inside the library). */
  rest: string[];
  cls: ClassRef;
  fallback: boolean;
  /** The user constructs descended through, outermost first: where each was instantiated. */
  via?: Array<{ body: Body; made: Made; decl: TSESTree.ClassDeclaration | TSESTree.ClassExpression }>;
}

function isRelative(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
}

function resolveModule(fromDir: string, spec: string): string | undefined {
  const base = resolve(fromDir, spec);
  const ext = extname(base);
  const stem = /^\.[mc]?js$|^\.jsx$/.test(ext) ? base.slice(0, -ext.length) : base;
  const candidates = [`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, join(base, 'index.ts'), join(base, 'index.tsx'), base, `${stem}.js`, join(base, 'index.js')];
  return candidates.find(isFile);
}

