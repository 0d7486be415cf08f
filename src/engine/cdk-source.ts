/**
 * CDK findings on the TypeScript that created them.
 *
 * A finding on a resource of a cloud assembly (`cdk.out`) is mapped to the app's source when the
 * app can be found: the `cdk.json` beside or above the assembly names the entry file in its `app`
 * command. The creating expression is found, in order of preference,
 *
 * 1. from the creation stack trace the assembly records for the construct (`aws:cdk:creationStack`
 *    metadata, or a `trace` on its `aws:cdk:logicalId` entry, in the manifest or the stack's
 *    `additionalMetadataFile`), checked against the source: the frame must point at a `new`
 *    expression whose id agrees with the construct path;
 * 2. by following the construct path (`aws:cdk:path`) through the source, syntax only: the
 *    `new Stack(app, 'Id')` in the entry file, into the constructor of the user's class (imports
 *    followed across files), down to the outermost construct of a library (`aws-cdk-lib`,
 *    `constructs`, any package), which users cannot edit.
 *
 * Construct paths come from the template's `aws:cdk:path`, the manifest's logical-id metadata, or
 * the construct tree (`tree.json`) with the logical ids CDK derives from paths.
 *
 * Within that construct, a finding about a property (`Finding.path`, `/Properties/TaskRoleArn`)
 * points at the matching property of the props object literal (`taskRoleArn`, or `taskRole` for
 * an L2), container and volume findings at the `addContainer` / `addVolume` call that added them,
 * constructs added by id (`cluster.addCapacity('Batch', …)`) at that call, and a value passed in
 * through a user construct's props at the instantiation that passes it. Anything ambiguous (ids
 * from variables, loops, factories) stops at the nearest construct that resolves; nothing is ever
 * guessed (docs/cdk.md lists the cases).
 *
 * `@typescript-eslint/typescript-estree` (syntax only) is loaded on first use, so runs without a
 * CDK app never load it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { SourceFile } from '../parsers/tree.js';
import { splitIds } from '../model/model.js';
import { suppressedBy, type Directive } from './suppressions.js';
import type { FileResult, Finding, FindingLocation } from './lint.js';
import { partsMatch } from './glob.js';
import { isSpace } from '../parsers/text-scan.js';

/** Where findings on CDK resources are reported: the TypeScript (`source`), the template with the source as related (`template`), or no mapping (`off`). */
export type CdkLocations = 'source' | 'template' | 'off';

export interface CdkMapOptions {
  mode: CdkLocations;
  reportUnusedDisableDirectives?: boolean;
  /** Text of a source file that differs from disk (an editor's unsaved buffer). */
  readSource?: (path: string) => string | undefined;
}

type Node = TSESTree.Node;
type Creation = TSESTree.NewExpression | TSESTree.CallExpression;

// ---------------------------------------------------------------------------------------------
// Parsing (lazy)

type ParseFn = (code: string, options: Record<string, unknown>) => TSESTree.Program;
let parser: ParseFn | null | undefined;
function loadParser(): ParseFn | undefined {
  if (parser === undefined) {
    try {
      const req = createRequire(import.meta.url);
      parser = (req('@typescript-eslint/typescript-estree') as { parse: ParseFn }).parse;
    } catch {
      parser = null;
    }
  }
  return parser ?? undefined;
}

/** One parsed source file of the app. */
export class TsFile {
  readonly source: SourceFile;
  private importsCache: Map<string, { from: string; imported: string }> | undefined;
  constructor(
    readonly path: string,
    readonly ast: TSESTree.Program,
    text: string,
  ) {
    // The SourceFile gives positions and a file identity to findings; TypeScript has no syntax of its own there.
    this.source = new SourceFile(path, text, 'json');
  }

  /** Local name → imported module and name (`*` for a namespace, `default`). */
  get imports(): Map<string, { from: string; imported: string }> {
    if (this.importsCache) return this.importsCache;
    const m = new Map<string, { from: string; imported: string }>();
    for (const st of this.ast.body) {
      if (st.type === 'ImportDeclaration') {
        for (const s of st.specifiers) {
          if (s.type === 'ImportNamespaceSpecifier') m.set(s.local.name, { from: st.source.value, imported: '*' });
          else if (s.type === 'ImportDefaultSpecifier') m.set(s.local.name, { from: st.source.value, imported: 'default' });
          else m.set(s.local.name, { from: st.source.value, imported: s.imported.type === 'Identifier' ? s.imported.name : s.imported.value });
        }
      } else if (st.type === 'TSImportEqualsDeclaration' && st.moduleReference.type === 'TSExternalModuleReference' && st.moduleReference.expression.type === 'Literal') {
        // `import ecs = require('aws-cdk-lib/aws-ecs')`
        const from = st.moduleReference.expression.value;
        if (typeof from === 'string') m.set(st.id.name, { from, imported: '*' });
      } else if (st.type === 'VariableDeclaration') {
        // `const cdk = require('aws-cdk-lib')`, `const { Stack } = require('aws-cdk-lib')`
        for (const d of st.declarations) {
          const from = requireOf(d.init);
          if (from === undefined) continue;
          if (d.id.type === 'Identifier') m.set(d.id.name, { from, imported: '*' });
          else if (d.id.type === 'ObjectPattern')
            for (const p of d.id.properties) if (p.type === 'Property' && p.value.type === 'Identifier') m.set(p.value.name, { from, imported: keyName(p.key) ?? p.value.name });
        }
      }
    }
    return (this.importsCache = m);
  }

  /** `// stowage-disable-next-line <ids> -- reason`, `// stowage-disable-line`, `/* stowage-disable *\/` comments (fresh each run: they record their use). */
  directives(): Directive[] {
    const out: Directive[] = [];
    for (const c of this.ast.comments ?? []) {
      const m = /^\s*(?:\*\s*)?stowage-(disable-next-line|disable-line|disable)(?=\s|$)([\s\S]*)$/.exec(c.value);
      if (!m) continue;
      const kind = m[1] === 'disable' ? 'file' : m[1] === 'disable-line' ? 'line' : 'next-line';
      const rest = m[2]!.replace(/\*\/?\s*$/, '').trim();
      out.push({ kind, rules: splitIds(rest), line: c.loc.end.line, start: c.range[0], end: c.range[1], used: new Set() });
    }
    return out;
  }
}

function requireOf(e: Node | null | undefined): string | undefined {
  if (e?.type === 'CallExpression' && e.callee.type === 'Identifier' && e.callee.name === 'require' && e.arguments[0]?.type === 'Literal' && typeof e.arguments[0].value === 'string') return e.arguments[0].value;
  return undefined;
}

/** Parsed files, reused across runs while the file is unchanged (the language server lints often). */
const fileCache = new Map<string, { stamp: string; file: TsFile | undefined }>();

/** A file's modification stamp (`mtime:size`), or undefined when it is not a readable file. */
export function stampOf(path: string): string | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? `${s.mtimeMs}:${s.size}` : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The app: cdk.json → entry file

export interface CdkApp {
  /** The folder of cdk.json. */
  root: string;
  /** The entry file (TypeScript preferred over its compiled JavaScript). */
  entry: string;
}

/** The outermost cloud assembly folder that holds a template (stages nest assemblies inside it). */
export function assemblyRoot(templatePath: string): string | undefined {
  let dir = dirname(templatePath);
  if (!existsSync(join(dir, 'manifest.json'))) return undefined;
  for (;;) {
    const up = dirname(dir);
    if (up === dir || !existsSync(join(up, 'manifest.json'))) return dir;
    dir = up;
  }
}

/** The app whose `cdk.json` (beside or above the assembly, with `output` naming it) has an entry file that exists. */
export function findApp(assemblyDir: string): CdkApp | undefined {
  let found: CdkApp | undefined;
  for (let dir = assemblyDir, i = 0; i < 12; i++) {
    const cdkJson = join(dir, 'cdk.json');
    if (existsSync(cdkJson)) {
      found = appFrom(cdkJson, assemblyDir);
      break;
    }
    if (existsSync(join(dir, '.git'))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return found;
}

function appFrom(cdkJson: string, assemblyDir: string): CdkApp | undefined {
  let conf: { app?: unknown; output?: unknown };
  try {
    conf = JSON.parse(readFileSync(cdkJson, 'utf8'));
  } catch {
    return undefined;
  }
  const root = dirname(cdkJson);
  // The assembly must be this app's output (`output`, default `cdk.out`): never another app's, nor a copy.
  const output = resolve(root, typeof conf.output === 'string' ? conf.output : 'cdk.out');
  if (output !== assemblyDir) return undefined;
  if (typeof conf.app !== 'string') return undefined;
  const entry = entryOf(conf.app, root);
  return entry ? { root, entry } : undefined;
}

/** The entry file of an `app` command: `npx ts-node --prefer-ts-exts bin/app.ts`, `npx tsx bin/app.ts`, `node bin/app.js`, ... */
export function entryOf(command: string, root: string): string | undefined {
  const words = command.split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ''));
  for (const w of words) {
    if (w.startsWith('-') || !/\.(?:[mc]?ts|tsx|[mc]?js|jsx)$/.test(w)) continue;
    const abs = resolve(root, w);
    const ext = extname(abs);
    if (/^\.[mc]?js$|^\.jsx$/.test(ext)) {
      const base = abs.slice(0, -ext.length);
      const ts = [`${base}.ts`, `${base}.tsx`, `${base}${ext.replace('js', 'ts')}`].find(isFile);
      if (ts) return ts;
    }
    if (isFile(abs)) return abs;
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The assembly's metadata: logical id → construct path, construct path → creation trace

interface StackMeta {
  /** Per stack template (file name): logical id → construct path (without the leading slash). */
  paths: Map<string, Map<string, string>>;
  /** Construct path → creation stack frames. */
  traces: Map<string, string[]>;
}

interface ManifestArtifact {
  type?: string;
  displayName?: string;
  metadata?: Record<string, unknown>;
  additionalMetadataFile?: string;
  properties?: { templateFile?: string; file?: string };
}

const metaCache = new Map<string, { stamp: string; meta: StackMeta }>();

/** Metadata of every stack of the manifest in `dir` (the template's own folder). */
function assemblyMeta(dir: string, root: string): StackMeta {
  // Keyed by the manifest's time and size: `cdk synth` (or `cdk watch`) rewrites it.
  const stamp = stampOf(join(dir, 'manifest.json')) ?? '';
  const hit = metaCache.get(dir);
  if (hit && hit.stamp === stamp) return hit.meta;
  const meta: StackMeta = { paths: new Map(), traces: new Map() };
  metaCache.set(dir, { stamp, meta });
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return meta;
  }
  let tree: TreeNode | null | undefined;
  for (const [id, art] of Object.entries(manifest.artifacts ?? {})) {
    if (art.type !== 'aws:cloudformation:stack' || typeof art.properties?.templateFile !== 'string') continue;
    const paths = new Map<string, string>();
    meta.paths.set(art.properties.templateFile, paths);
    addMeta(meta, paths, art.metadata);
    if (typeof art.additionalMetadataFile === 'string') {
      try {
        addMeta(meta, paths, JSON.parse(readFileSync(join(dir, art.additionalMetadataFile), 'utf8')));
      } catch {
        /* dropped or unreadable: the manifest's own metadata is all there is */
      }
    }
    if (paths.size) continue;
    // Neither path metadata nor a metadata file: the construct tree (tree.json, at the root
    // assembly) and the logical ids CDK derives from construct paths.
    if (tree === undefined) tree = readTree(root);
    const stack = tree ? findTreeNode(tree, art.displayName ?? id) : undefined;
    if (stack) treeLogicalIds(stack, stack.path ?? '', paths);
  }
  return meta;
}

function addMeta(meta: StackMeta, paths: Map<string, string>, entries: unknown): void {
  if (!entries || typeof entries !== 'object') return;
  for (const [cpath, list] of Object.entries(entries as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const path = cpath.replace(/^\//, '');
    for (const e of list as Array<{ type?: unknown; data?: unknown; trace?: unknown }>) {
      if (e?.type === 'aws:cdk:logicalId' && typeof e.data === 'string') {
        paths.set(e.data, path);
        if (Array.isArray(e.trace) && !meta.traces.has(path)) meta.traces.set(path, e.trace.filter((x): x is string => typeof x === 'string'));
      } else if (e?.type === 'aws:cdk:creationStack' && Array.isArray(e.data)) {
        meta.traces.set(path, e.data.filter((x): x is string => typeof x === 'string'));
      }
    }
  }
}

interface TreeNode {
  id?: string;
  path?: string;
  children?: Record<string, TreeNode>;
  attributes?: Record<string, unknown>;
  constructInfo?: { fqn?: string };
}

function readTree(root: string): TreeNode | null {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
    const art = Object.values(manifest.artifacts ?? {}).find((a) => a.type === 'cdk:tree');
    const file = art?.properties?.file;
    if (typeof file !== 'string') return null;
    return (JSON.parse(readFileSync(join(root, file), 'utf8')) as { tree?: TreeNode }).tree ?? null;
  } catch {
    return null;
  }
}

function findTreeNode(tree: TreeNode, path: string): TreeNode | undefined {
  let node: TreeNode | undefined = tree;
  for (const seg of path.split('/')) node = node?.children?.[seg];
  return node;
}

/** Logical ids of the CloudFormation resources under a stack, as CDK allocates them (`makeUniqueId`), not crossing into nested stacks. */
function treeLogicalIds(node: TreeNode, stackPath: string, out: Map<string, string>): void {
  for (const child of Object.values(node.children ?? {})) {
    if (!child.path) continue;
    if (typeof child.attributes?.['aws:cdk:cloudformation:type'] === 'string') {
      const components = child.path.slice(stackPath.length + 1).split('/');
      out.set(makeUniqueId(components), child.path);
    }
    if (/\.(?:Nested)?Stack$/.test(child.constructInfo?.fqn ?? '')) continue;
    treeLogicalIds(child, stackPath, out);
  }
}

/** CDK's logical id of a resource from its construct path below the stack: a readable part and a hash of the path. */
export function makeUniqueId(components: string[]): string {
  const parts = components.filter((c) => c !== 'Default');
  const clean = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
  if (parts.length === 1 && clean(parts[0]!).length <= 255) return clean(parts[0]!);
  const hash = createHash('md5').update(parts.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const p of parts) if (!human.length || !human[human.length - 1]!.endsWith(p)) human.push(p);
  return (
    human
      .filter((p) => p !== 'Resource')
      .map(clean)
      .join('')
      .slice(0, 240) + hash
  );
}

// ---------------------------------------------------------------------------------------------
// Resolving constructs in the source

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

function isCreation(n: Node | null | undefined): n is Creation {
  return !!n && (n.type === 'NewExpression' || n.type === 'CallExpression');
}

function refKey(e: Node): string | undefined {
  if (e.type === 'Identifier') return e.name;
  if (e.type === 'MemberExpression' && !e.computed && e.object.type === 'ThisExpression' && e.property.type === 'Identifier') return `this.${e.property.name}`;
  return undefined;
}

function literalOf(e: Node | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Literal' && typeof e.value === 'string') return e.value;
  if (e.type === 'TemplateLiteral' && e.expressions.length === 0) return e.quasis[0]!.value.cooked ?? undefined;
  if (e.type === 'TSAsExpression' || e.type === 'TSSatisfiesExpression' || e.type === 'TSNonNullExpression') return literalOf(e.expression);
  return undefined;
}

/** An expression without `as T`, `satisfies T`, `!` and parentheses' type wrappers. */
function unwrap(e: Node | undefined): Node | undefined {
  while (e && (e.type === 'TSAsExpression' || e.type === 'TSSatisfiesExpression' || e.type === 'TSNonNullExpression')) e = e.expression;
  return e;
}

function keyName(k: Node): string | undefined {
  if (k.type === 'Identifier') return k.name;
  if (k.type === 'Literal' && typeof k.value === 'string') return k.value;
  return undefined;
}

/** Pre-order walk over AST children; `visit` returns false to skip a node's children. */
function walk(root: Node, visit: (n: Node) => boolean): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (!visit(n)) continue;
    const kids: Node[] = [];
    for (const key of Object.keys(n)) {
      if (key === 'parent' || key === 'loc' || key === 'range' || key === 'typeAnnotation' || key === 'returnType' || key === 'typeParameters' || key === 'typeArguments') continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const x of v) if (x && typeof x === 'object' && typeof (x as Node).type === 'string') kids.push(x as Node);
      } else if (v && typeof v === 'object' && typeof (v as Node).type === 'string') kids.push(v as Node);
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

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

/** The one prop of a class's constructor (its third parameter, `props`) that a value reads: `props.image` or a destructured `{ image }`. */
function propsFlow(decl: TSESTree.ClassDeclaration | TSESTree.ClassExpression, value: Node): string | undefined {
  const ctor = decl.body.body.find((m): m is TSESTree.MethodDefinition => m.type === 'MethodDefinition' && m.kind === 'constructor');
  let param: Node | undefined = ctor?.value.params[2];
  if (param?.type === 'TSParameterProperty') param = param.parameter;
  if (param?.type === 'AssignmentPattern') param = param.left;
  if (!param) return undefined;
  const names = new Set<string>();
  const fields = new Map<string, string>();
  if (param.type === 'Identifier') names.add(param.name);
  else if (param.type === 'ObjectPattern')
    for (const p of param.properties) if (p.type === 'Property' && p.value.type === 'Identifier') fields.set(p.value.name, keyName(p.key) ?? p.value.name);
  const read = new Set<string>();
  walk(value, (n) => {
    if (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && names.has(n.object.name) && n.property.type === 'Identifier') {
      read.add(n.property.name);
      return false;
    }
    if (n.type === 'Identifier' && fields.has(n.name)) read.add(fields.get(n.name)!);
    return true;
  });
  return read.size === 1 ? [...read][0] : undefined;
}

function calleeName(c: Node): string | undefined {
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
    const o = calleeName(c.object);
    return o ? `${o}.${c.property.name}` : c.property.name;
  }
  return undefined;
}

function findClass(program: TSESTree.Program, name: string): TSESTree.ClassDeclaration | undefined {
  for (const st of program.body) {
    const d = st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration' ? st.declaration : st;
    if (d?.type === 'ClassDeclaration' && d.id?.name === name) return d;
  }
  return undefined;
}

/** The class (or the program) whose body holds a node. */
function enclosingBody(program: TSESTree.Program, target: Node): TSESTree.Program | TSESTree.ClassDeclaration | TSESTree.ClassExpression {
  let best: TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined;
  walk(program, (n) => {
    if (n.range[1] < target.range[0] || n.range[0] > target.range[1]) return false;
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.range[0] <= target.range[0] && target.range[1] <= n.range[1]) best = n;
    return true;
  });
  return best ?? program;
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

/** `"<anonymous> (/app/bin/app.ts:6:12)"`, `"new OrdersStack (file:///app/lib/x.ts:4:5)"`, `"/app/bin/app.ts:6:12"`. */
export function frameLocation(frame: string): { file: string; line: number; column: number } | undefined {
  if (frame.startsWith('...') || frame.startsWith('(')) return undefined;
  const m = frameParts(frame);
  if (!m) return undefined;
  let file = m[1]!.trim();
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (!isAbsolute(file)) return undefined;
  return { file, line: Number(m[2]), column: Number(m[3]) };
}

/**
 * A frame's `<path>:<line>:<column>` at its end, the path after `(`, a space or the start: what
 * `/(?:\(|^|\s)((?:file:\/\/)?(?:[A-Za-z]:)?[^():]*?):(\d+):(\d+)\)?\s*$/` captures (frames come from the
 * assembly, so they are read from the end once instead of from every space).
 */
export function frameParts(frame: string): [string, string, string, string] | undefined {
  const isDigit = (i: number) => i >= 0 && frame.charCodeAt(i) >= 48 && frame.charCodeAt(i) <= 57;
  const opensPath = (i: number) => i === 0 || frame[i - 1] === '(' || isSpace(frame.charCodeAt(i - 1));
  let end = frame.length;
  while (end > 0 && isSpace(frame.charCodeAt(end - 1))) end--;
  if (frame[end - 1] === ')') end--;
  let c = end;
  while (isDigit(c - 1)) c--;
  if (c === end || frame[c - 1] !== ':') return undefined;
  let l = c - 1;
  while (isDigit(l - 1)) l--;
  if (l === c - 1 || frame[l - 1] !== ':') return undefined;
  const colon = l - 1;
  let run = colon;
  while (run > 0 && !'():'.includes(frame[run - 1]!)) run--;
  const starts: number[] = [];
  if (frame[run - 1] === ':') {
    const letter = (i: number) => i >= 0 && /^[A-Za-z]$/.test(frame[i]!);
    if (letter(run - 2)) {
      starts.push(run - 2);
      if (run - 9 >= 0 && frame.slice(run - 9, run - 2) === 'file://') starts.push(run - 9);
    }
    if (run - 5 >= 0 && frame.slice(run - 5, run) === 'file:' && frame.startsWith('//', run)) starts.push(run - 5);
  }
  let start = -1;
  for (const s of starts) if (opensPath(s) && (start < 0 || s < start)) start = s;
  if (start < 0) for (let s = run; s <= colon; s++) if (opensPath(s)) {
    start = s;
    break;
  }
  if (start < 0) return undefined;
  return [frame.slice(start, end), frame.slice(start, colon), frame.slice(l, c - 1), frame.slice(c, end)];
}

/** `ContainerDefinitions/[name=web]/Image` → ['ContainerDefinitions', '[name=web]', 'Image'] (JSON-pointer escapes undone). */
function parsePath(p: string): string[] {
  return p
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A CloudFormation property name in JSII camelCase: `TaskRoleArn` → `taskRoleArn`, `EFSVolumeConfiguration` → `efsVolumeConfiguration`. */
export function camel(name: string): string {
  const m = /^([A-Z]+)(?=[A-Z][a-z]|$|[0-9])/.exec(name);
  if (m && m[1]!.length > 1) return m[1]!.toLowerCase() + name.slice(m[1]!.length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function propertyOf(obj: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
  let found: TSESTree.Property | undefined;
  for (const p of obj.properties) if (p.type === 'Property' && !p.computed && keyName(p.key) === name) found = p;
  return found;
}

/** The deepest property of an object literal that a property path reaches. `exact` (L1): camelCase only; otherwise also without an `Arn`/`Name`/`Id` suffix. */
function mapProps(obj: TSESTree.ObjectExpression, segs: string[], exact: boolean): TSESTree.Property | undefined {
  let cur: Node = obj;
  let deepest: TSESTree.Property | undefined;
  for (const seg of segs) {
    const item = /^\[(?:name=(.*)|(\d+))\]$/.exec(seg);
    // An L2 takes a map where CloudFormation has a list of name/value pairs (`environment: { DB_PASSWORD: … }`).
    if (item?.[1] !== undefined && !exact && cur.type === 'ObjectExpression') {
      const p = propertyOf(cur, item[1]);
      if (!p) break;
      deepest = p;
      cur = unwrap(p.value) ?? p.value;
      continue;
    }
    if (item) {
      if (cur.type !== 'ArrayExpression') break;
      let el: Node | undefined;
      if (item[1] !== undefined) {
        const want = item[1];
        const elements: Array<TSESTree.Expression | TSESTree.SpreadElement | null> = cur.elements;
        const matches: TSESTree.ObjectExpression[] = elements.filter((e): e is TSESTree.ObjectExpression => e?.type === 'ObjectExpression' && ['name', 'containerName'].some((k) => literalOf(propertyOf(e, k)?.value) === want));
        if (matches.length === 1) el = matches[0];
        // One element in the source whose name is computed (`{ name: queue, ... }`): the template's item can only come from it.
        else if (!matches.length && elements.length === 1 && elements[0]?.type === 'ObjectExpression') {
          const only = elements[0];
          if (['name', 'containerName'].some((k) => { const p = propertyOf(only, k); return p !== undefined && literalOf(p.value) === undefined; })) el = only;
        }
        if (!el) break;
      } else {
        const i = Number(item[2]);
        if (cur.elements.slice(0, i + 1).some((e) => !e || e.type === 'SpreadElement')) break;
        el = cur.elements[i] ?? undefined;
      }
      if (!el) break;
      cur = el;
      continue;
    }
    if (cur.type !== 'ObjectExpression') break;
    const names = [camel(seg)];
    if (!exact) {
      const stripped = /^(.+?)(?:Arns?|Names?|Ids?)$/.exec(seg)?.[1];
      if (stripped) names.push(camel(stripped));
    }
    const p: TSESTree.Property | undefined = names.map((n) => propertyOf(cur as TSESTree.ObjectExpression, n)).find(Boolean);
    if (!p) break;
    deepest = p;
    cur = unwrap(p.value) ?? p.value;
  }
  return deepest;
}

// ---------------------------------------------------------------------------------------------
// Mapping a run's findings

/** Parses and caches the app's source files for one run. */
function sourceReader(options: CdkMapOptions, notices: string[]): (path: string) => TsFile | undefined {
  const local = new Map<string, TsFile | undefined>();
  let warned = false;
  return (path: string) => {
    if (local.has(path)) return local.get(path);
    let result: TsFile | undefined;
    const override = options.readSource?.(path);
    const stamp = override === undefined ? stampOf(path) : undefined;
    const cached = stamp ? fileCache.get(path) : undefined;
    if (cached && cached.stamp === stamp) result = cached.file;
    else if (override !== undefined || stamp) {
      const parse = loadParser();
      if (!parse) {
        if (!warned) notices.push('cannot load @typescript-eslint/typescript-estree; CDK findings stay on the templates');
        warned = true;
      } else {
        try {
          const text = override ?? readFileSync(path, 'utf8');
          const ast = parse(text, { loc: true, range: true, comment: true, jsx: /\.[jt]sx$/.test(path), loggerFn: false, errorOnUnknownASTType: false });
          result = new TsFile(path, ast, text);
        } catch {
          result = undefined; // a syntax error: this file cannot be used
        }
        if (stamp) fileCache.set(path, { stamp, file: result });
      }
    }
    local.set(path, result);
    return result;
  };
}

export interface MapStats {
  /** Findings on CDK resources. */
  considered: number;
  mapped: number;
}

/**
 * Move findings on CDK resources to the TypeScript that created them (mode `source`), or attach
 * that position to them (mode `template`). Suppression comments in the TypeScript apply to the
 * findings mapped there. Results of templates keep their order; files of the app follow.
 */
export function mapCdkFindings(results: FileResult[], options: CdkMapOptions, notices: string[] = [], stats?: MapStats): FileResult[] {
  if (options.mode === 'off') return results;
  const read = sourceReader(options, notices);
  const apps = new Map<string, AppSource | null>();
  const moved = new Map<string, { file: TsFile; findings: Finding[] }>();
  const directives = new Map<TsFile, Directive[]>();
  const directivesOf = (file: TsFile) => {
    let d = directives.get(file);
    if (!d) directives.set(file, (d = file.directives()));
    return d;
  };
  const out: FileResult[] = [];
  for (const r of results) {
    const root = r.findings.some((f) => f.cdkPath || f.entity) ? assemblyRoot(r.path) : undefined;
    if (!root) {
      out.push(r);
      continue;
    }
    let app = apps.get(root);
    if (app === undefined) {
      const found = findApp(root);
      app = found ? new AppSource(found, read) : null;
      apps.set(root, app);
    }
    const meta = assemblyMeta(dirname(r.path), root);
    const ids = meta.paths.get(basename(r.path));
    const kept: Finding[] = [];
    for (const f of r.findings) {
      const cdkPath = f.cdkPath ?? (f.entity ? ids?.get(f.entity) : undefined);
      if (!cdkPath || f.fatal || f.ruleId === 'parse-error' || f.ruleId === 'unused-disable-directive') {
        kept.push(f);
        continue;
      }
      if (stats) stats.considered++;
      const hit = app ? app.resolve(cdkPath, f.path, meta.traces.get(cdkPath)) : undefined;
      if (!hit) {
        const g = { ...f, cdkPath };
        if (options.mode === 'source' && !f.message.includes(cdkPath)) g.message = `${f.message} (CDK construct ${cdkPath})`;
        kept.push(g);
        continue;
      }
      if (stats) stats.mapped++;
      const src = sourcePosition(hit);
      // A directive on the line before the property or before the construct's `new` suppresses it.
      const lines = [src.line, hit.file.source.position(hit.node.range[0]).line];
      const suppressed = lines.some((line) => suppressedBy(directivesOf(hit.file), f.ruleId, line));
      if (options.mode === 'template') {
        if (!suppressed) kept.push({ ...f, cdkPath, sourceLocation: { filePath: hit.file.path, line: src.line, column: src.column, endLine: src.endLine, endColumn: src.endColumn } });
        continue;
      }
      const entry = ensure(moved, hit.file);
      if (suppressed) continue;
      const templateLocation: FindingLocation = { filePath: f.file.path, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn };
      entry.findings.push({ ...f, file: hit.file.source, start: src.start, end: src.end, line: src.line, column: src.column, endLine: src.endLine, endColumn: src.endColumn, cdkPath, templateLocation });
    }
    kept.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    out.push({ ...r, findings: kept });
  }
  for (const [path, m] of [...moved].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (options.reportUnusedDisableDirectives) {
      for (const d of directivesOf(m.file)) {
        const unused = d.rules.length === 0 ? (d.used.size ? [] : ['*']) : d.rules.filter((x) => !d.used.has(x));
        if (!unused.length) continue;
        const what = unused[0] === '*' ? 'any rule' : unused.map((x) => `'${x}'`).join(', ');
        const s = m.file.source.position(d.start);
        const e = m.file.source.position(d.end);
        m.findings.push({ ruleId: 'unused-disable-directive', severity: 'warning', message: `Unused stowage-disable directive (no problems were reported from ${what}).`, file: m.file.source, start: d.start, end: d.end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column });
      }
    }
    m.findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
    out.push({ path, findings: m.findings });
  }
  return out;
}

function ensure(moved: Map<string, { file: TsFile; findings: Finding[] }>, file: TsFile): { file: TsFile; findings: Finding[] } {
  let m = moved.get(file.path);
  if (!m) moved.set(file.path, (m = { file, findings: [] }));
  return m;
}

/** The reported range: the property (its first line), or `new ecs.X` / `taskDef.addContainer` of the construct. */
function sourcePosition(hit: SourceHit): { start: number; end: number; line: number; column: number; endLine: number; endColumn: number } {
  const sf = hit.file.source;
  let start: number;
  let end: number;
  if (hit.property) {
    start = hit.property.range[0];
    end = hit.property.range[1];
    const nl = sf.text.indexOf('\n', start);
    if (nl >= 0 && nl < end) end = hit.property.key.range[1];
  } else {
    start = hit.node.range[0];
    end = hit.node.callee.range[1];
  }
  const s = sf.position(start);
  const e = sf.position(end);
  return { start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

/** Forget cached apps, metadata and parsed files (after `cdk synth` rewrote the assembly, or in tests). */
export function clearCdkCaches(): void {
  metaCache.clear();
  fileCache.clear();
}
