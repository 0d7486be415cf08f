#!/usr/bin/env node
// Build step: extracts the field names and types of the Kubernetes kinds stowage models (Pod,
// Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Service,
// Ingress, IngressClass, StorageClass, PersistentVolumeClaim, PersistentVolume, ServiceAccount),
// in every API version `kubernetes-models` has for them, and of every
// definition they reach (ObjectMeta, PodSpec, Container, Probe, SecurityContext, Volume, ...),
// into generated/k8s/schema.json. The output is committed: `npm run gen:k8s`
// (scripts/update-k8s-schema.mjs) installs the pinned kubernetes-models into a temporary folder and
// runs this script against it; a build without the package keeps the committed file.
//
// Output: `{ source, kinds: { <apiVersion>: { <Kind>: <definition> } }, definitions: { <name>:
// <definition> } }`. A definition is `{ type: "object", additionalProperties: false, properties }`
// (the API server's strict field validation: a field the definition lacks is an error; the source
// schemas do not say so), or `{}` for one whose content is free (RawExtension, FieldsV1: the
// OpenAPI's x-kubernetes-preserve-unknown-fields). A property's type is one of
//   { type: "string" | "integer" | "number" | "boolean" },
//   { type: ["integer", "string"], format: "int-or-string" }, { type: ["number", "string"], format: "quantity" },
//   { $ref: <definition> }, { type: "array", items: <type> }, { type: "object", additionalProperties: <type> },
//   {} (anything; `status` fields, which the API server ignores on create and apply).
// Enums are written as plain strings (the API's value validation is not this data's business).
//
// The field names and types are read from the package's TypeScript declarations with the
// TypeScript compiler's parser. Declarations say `number` for both integers and decimals: the
// package's own compiled validators are asked (a decimal 0.5 for each `number` field) which of
// them are integers. A declaration this script does not understand stops the build. Skips itself
// when its output is newer than its input and names the installed version.
//
// For comparing versions of the source: STOWAGE_K8S_MODELS=<path of a kubernetes-models folder>
// reads that one instead, and STOWAGE_K8S_OUT=<file> writes elsewhere.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'generated', 'k8s');
const OUT = join(OUT_DIR, 'schema.json');

/** The kinds stowage models (src/model/entities.ts). */
const KINDS = [
  'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Service', 'Ingress',
  'IngressClass', 'StorageClass', 'PersistentVolumeClaim', 'PersistentVolume', 'ServiceAccount',
];

function packageDirs() {
  const pkg = process.env.STOWAGE_K8S_MODELS ?? join(ROOT, 'node_modules', 'kubernetes-models');
  if (!existsSync(join(pkg, 'package.json'))) return undefined;
  // @kubernetes-models/apimachinery: beside it (hoisted) or inside it.
  const candidates = [join(pkg, 'node_modules', '@kubernetes-models', 'apimachinery'), join(dirname(pkg), '@kubernetes-models', 'apimachinery')];
  const machinery = candidates.find((d) => existsSync(join(d, 'package.json')));
  if (!machinery) throw new Error(`gen-k8s-spec: @kubernetes-models/apimachinery is not installed beside ${pkg}`);
  return { pkg, machinery };
}

export async function generate() {
  const dirs = packageDirs();
  if (!dirs) {
    if (existsSync(OUT)) return;
    throw new Error('gen-k8s-spec: kubernetes-models is not installed (npm install) and generated/k8s/schema.json is missing');
  }
  const inputs = [join(dirs.pkg, 'package.json'), join(dirs.machinery, 'package.json'), fileURLToPath(import.meta.url)];
  if (existsSync(OUT) && !process.env.STOWAGE_K8S_MODELS) {
    const built = statSync(OUT).mtimeMs;
    // npm gives installed files an old fixed date: the version the output names decides too.
    const version = JSON.parse(readFileSync(inputs[0], 'utf8')).version;
    const head = readFileSync(OUT, 'utf8').slice(0, 200);
    if (head.includes(`"source":"kubernetes-models@${version}"`) && inputs.every((f) => statSync(f).mtimeMs <= built)) return;
  }
  const spec = await extract(dirs);
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(process.env.STOWAGE_K8S_OUT ?? OUT, JSON.stringify(spec) + '\n');
}

async function extract({ pkg, machinery }) {
  const { default: ts } = await import('typescript');
  const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;

  /** Parsed declaration files by path. */
  const files = new Map();
  const parse = (path) => {
    let sf = files.get(path);
    if (!sf) {
      sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
      files.set(path, sf);
    }
    return sf;
  };
  /** A declaration's name in the output: its path in the package (`core/v1/PodSpec`, `meta/v1/ObjectMeta`). */
  const nameOf = (path) => {
    const inMachinery = path.startsWith(machinery + '/');
    let rel = relative(inMachinery ? machinery : pkg, path).replace(/\.d\.ts$/, '').split('\\').join('/');
    if (inMachinery) rel = rel.replace(/^apis\//, '');
    else if (rel.startsWith('v1/')) rel = 'core/' + rel;
    return rel;
  };
  const resolveModule = (from, spec) => {
    spec = spec.replace(/\.js$/, '');
    if (spec.startsWith('.')) return resolve(dirname(from), spec + '.d.ts');
    const prefix = '@kubernetes-models/apimachinery/';
    if (spec.startsWith(prefix)) return join(machinery, spec.slice(prefix.length) + '.d.ts');
    if (spec.startsWith('kubernetes-models/')) return join(pkg, spec.slice('kubernetes-models/'.length) + '.d.ts');
    return undefined;
  };

  /** A declaration by the name a file exports it under: { file, node, exported }. */
  const lookup = (path, exported) => {
    const sf = parse(path);
    let local = exported;
    for (const st of sf.statements) {
      if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) if (el.name.text === exported) local = (el.propertyName ?? el.name).text;
      }
    }
    for (const st of sf.statements) {
      if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === local) return { path, node: st, exported };
    }
    throw new Error(`gen-k8s-spec: ${exported} is not declared in ${path}`);
  };
  /** Where an identifier used in a file comes from. */
  const importedFrom = (path, name) => {
    const sf = parse(path);
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings || !ts.isNamedImports(st.importClause.namedBindings)) continue;
      for (const el of st.importClause.namedBindings.elements) {
        if (el.name.text !== name) continue;
        const target = resolveModule(path, st.moduleSpecifier.text);
        if (!target) return undefined;
        return lookup(target, (el.propertyName ?? el.name).text);
      }
    }
    // Declared in the file itself.
    for (const st of sf.statements) if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === name) return { path, node: st, exported: name };
    return undefined;
  };

  const definitions = {};
  /** Definition name → { path, exported alias (IIoK8s...) , number-typed fields to probe }. */
  const sources = new Map();
  const queue = [];

  const refTo = (decl, where) => {
    if (ts.isTypeAliasDeclaration(decl.node)) {
      const alias = decl.exported;
      if (/IntOrString$/.test(alias)) return { type: ['integer', 'string'], format: 'int-or-string' };
      if (/Quantity$/.test(alias)) return { type: ['number', 'string'], format: 'quantity' };
      return typeOf(decl.node.type, decl.path, `${where} (${alias})`);
    }
    const name = nameOf(decl.path);
    if (!sources.has(name)) {
      sources.set(name, decl);
      queue.push(name);
    }
    return { $ref: name };
  };

  const typeOf = (node, path, where) => {
    if (ts.isParenthesizedTypeNode(node)) return typeOf(node.type, path, where);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'number' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.ObjectKeyword:
        return {};
    }
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return { type: 'string' };
      if (ts.isNumericLiteral(node.literal)) return { type: 'number' };
      if (node.literal.kind === ts.SyntaxKind.TrueKeyword || node.literal.kind === ts.SyntaxKind.FalseKeyword) return { type: 'boolean' };
    }
    if (ts.isUnionTypeNode(node)) {
      const parts = node.types.map((t) => typeOf(t, path, where));
      const types = [...new Set(parts.map((p) => p.type))];
      if (types.length === 1 && typeof types[0] === 'string' && parts.every((p) => Object.keys(p).length === 1)) return { type: types[0] };
      if (types.every((t) => t === 'string' || t === 'number')) return { type: ['number', 'string'] };
      throw new Error(`gen-k8s-spec: ${where}: a union ${node.getText?.() ?? ''} is not understood`);
    }
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: typeOf(node.elementType, path, where) };
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index && node.members.length === 1) return { type: 'object', additionalProperties: typeOf(index.type, path, where) };
      if (node.members.length === 0) return { type: 'object' };
      if (node.members.every(ts.isPropertySignature)) return objectOf(node.members, path, where);
      throw new Error(`gen-k8s-spec: ${where}: an inline object type is not understood`);
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const name = node.typeName.text;
      if (name === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: typeOf(node.typeArguments[0], path, where) };
      if (name === 'Record' && node.typeArguments?.length === 2) return { type: 'object', additionalProperties: typeOf(node.typeArguments[1], path, where) };
      const decl = importedFrom(path, name);
      if (!decl) throw new Error(`gen-k8s-spec: ${where}: type ${name} is not found`);
      return refTo(decl, where);
    }
    throw new Error(`gen-k8s-spec: ${where}: type of kind ${ts.SyntaxKind[node.kind]} is not understood`);
  };

  /** An object type with its fields (a declared interface, or an inline type such as a StatefulSet's volumeClaimTemplates). */
  function objectOf(members, path, where) {
    const properties = {};
    for (const m of members) {
      const field = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : undefined;
      if (!field || !m.type) throw new Error(`gen-k8s-spec: ${where}: a member is not understood`);
      let t = typeOf(m.type, path, `${where}.${field}`);
      // Status is written by controllers; the API server ignores what a manifest says there.
      if (field === 'status' && t.$ref && /Status$/.test(t.$ref)) t = {};
      properties[field] = t;
    }
    return { type: 'object', additionalProperties: false, properties };
  }

  // The kinds, in every API version the package has.
  const kinds = {};
  for (const group of readdirSync(pkg).filter((d) => !d.startsWith('_') && !d.startsWith('.') && statSync(join(pkg, d)).isDirectory())) {
    const versions = group === 'v1' ? [''] : readdirSync(join(pkg, group)).filter((v) => statSync(join(pkg, group, v)).isDirectory());
    for (const v of versions) {
      const dir = join(pkg, group, v);
      const apiVersion = group === 'v1' ? 'v1' : `${group}/${v}`;
      for (const kind of KINDS) {
        const file = join(dir, `${kind}.d.ts`);
        if (!existsSync(file)) continue;
        const decl = lookup(file, `I${kind}`);
        (kinds[apiVersion] ??= {})[kind] = refTo(decl, `${apiVersion} ${kind}`).$ref;
      }
    }
  }

  while (queue.length) {
    const name = queue.shift();
    const decl = sources.get(name);
    const props = decl.node.members.filter(ts.isPropertySignature);
    if (props.length === 0) {
      // RawExtension, FieldsV1: free content (x-kubernetes-preserve-unknown-fields).
      definitions[name] = {};
      continue;
    }
    definitions[name] = objectOf(props, decl.path, name);
  }

  await markIntegers(definitions, sources, { pkg, machinery });
  // Definitions only a `status` reached are not needed any more.
  const used = new Set();
  const visit = (t) => {
    if (!t || typeof t !== 'object') return;
    if (t.$ref && !used.has(t.$ref)) {
      used.add(t.$ref);
      for (const p of Object.values(definitions[t.$ref].properties ?? {})) visit(p);
    }
    if (t.items) visit(t.items);
    if (t.additionalProperties && typeof t.additionalProperties === 'object') visit(t.additionalProperties);
  };
  for (const byKind of Object.values(kinds)) for (const def of Object.values(byKind)) visit({ $ref: def });
  const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  const kept = {};
  for (const n of [...used].sort()) kept[n] = definitions[n];
  return { source: `kubernetes-models@${version}`, kinds: sorted(Object.fromEntries(Object.entries(kinds).map(([v, k]) => [v, sorted(k)]))), definitions: kept };
}

/**
 * Declarations say `number` for integers and decimals alike: ask the package's compiled validator
 * of each definition (a decimal 0.5 in every `number` field) which fields want an integer.
 */
async function markIntegers(definitions, sources, { pkg, machinery }) {
  for (const [name, def] of Object.entries(definitions)) {
    if (!def.properties) continue;
    const probe = {};
    const spots = [];
    for (const [field, t] of Object.entries(def.properties)) {
      if (t.type === 'number') {
        probe[field] = 0.5;
        spots.push({ path: `/${field}`, set: () => (t.type = 'integer') });
      } else if (t.type === 'array' && t.items?.type === 'number') {
        probe[field] = [0.5];
        spots.push({ path: `/${field}/0`, set: () => (t.items.type = 'integer') });
      } else if (t.type === 'object' && t.additionalProperties?.type === 'number') {
        probe[field] = { k: 0.5 };
        spots.push({ path: `/${field}/k`, set: () => (t.additionalProperties.type = 'integer') });
      }
    }
    if (!spots.length) continue;
    const decl = sources.get(name);
    const alias = decl.exported.replace(/^I/, '');
    const base = decl.path.startsWith(machinery + '/') ? machinery : pkg;
    const candidates = ['js', 'mjs'].map((ext) => join(base, '_schemas', `${alias}.${ext}`)).filter((f) => existsSync(f));
    if (!candidates.length) throw new Error(`gen-k8s-spec: no compiled validator for ${name} (${alias})`);
    const mod = await import(pathToFileURL(candidates[candidates.length - 1]).href);
    const validate = mod.validate ?? mod.default?.validate;
    if (typeof validate !== 'function') throw new Error(`gen-k8s-spec: ${candidates[0]} exports no validate function`);
    validate(probe);
    const integers = new Set((validate.errors ?? []).filter((e) => e.keyword === 'type' && e.params?.type === 'integer').map((e) => e.instancePath));
    for (const s of spots) if (integers.has(s.path)) s.set();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await generate();
