#!/usr/bin/env node
// Build step: extracts the shape of ECS task definitions (register-task-definition input,
// describe-task-definition output) from the TypeScript declarations of @aws-sdk/client-ecs
// (a development dependency) into generated/ecs/task-definition.json: for every structure
// reachable from RegisterTaskDefinitionRequest, TaskDefinition and DescribeTaskDefinitionResponse,
// its field names and types, and the values of every enum those fields use.
//
// Types are written as strings: `string`, `number`, `boolean`, `timestamp`, `document`,
// `enum:<Name>`, `struct:<Name>`, `list:<type>`, `map:<type>` (string keys).
//
// The declarations are read with the TypeScript compiler's parser (no type checker: the shapes
// are plain interfaces, the enums `declare const X: { readonly A: "a"; ... }` objects). A shape
// this script does not understand stops the build, so that a change in the SDK's declarations
// is noticed rather than silently dropped. Skips itself when its output is newer than its input.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = join(ROOT, 'node_modules', '@aws-sdk', 'client-ecs');
const MODELS = join(PKG, 'dist-types', 'models');
const OUT_DIR = join(ROOT, 'generated', 'ecs');
const OUT = join(OUT_DIR, 'task-definition.json');
const ROOTS = { register: 'RegisterTaskDefinitionRequest', describe: 'TaskDefinition', response: 'DescribeTaskDefinitionResponse' };

export async function generate() {
  if (!existsSync(join(PKG, 'package.json'))) {
    if (existsSync(OUT)) return;
    throw new Error('gen-ecs-spec: @aws-sdk/client-ecs is not installed (npm install) and generated/ecs/task-definition.json is missing');
  }
  const inputs = [join(PKG, 'package.json'), fileURLToPath(import.meta.url)];
  if (existsSync(OUT)) {
    const built = statSync(OUT).mtimeMs;
    if (inputs.every((f) => statSync(f).mtimeMs <= built)) return;
  }
  const { default: ts } = await import('typescript');
  const version = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')).version;

  /** Interface name → its property signatures; enum name → its values. */
  const interfaces = new Map();
  const enums = new Map();
  /** Tagged unions (`type X = X.AMember | X.$UnknownMember` with `namespace X { interface AMember ... }`): name → members. */
  const unions = new Map();
  const files = ['enums.d.ts', 'models_0.d.ts', 'models_1.d.ts', 'models_2.d.ts'].map((f) => join(MODELS, f)).filter((f) => existsSync(f));
  for (const path of files) {
    const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) {
        interfaces.set(st.name.text, st.members.filter(ts.isPropertySignature));
      } else if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) {
        // A tagged union: one structure whose members are each the union's member interfaces'
        // one real field ("specify exactly one member"), the others typed `never`.
        const members = [];
        for (const i of st.body.statements) {
          if (!ts.isInterfaceDeclaration(i) || i.name.text === 'Visitor' || i.name.text === '$UnknownMember') continue;
          for (const m of i.members) if (ts.isPropertySignature(m) && m.type && m.type.kind !== ts.SyntaxKind.NeverKeyword && m.name.text !== '$unknown') members.push(m);
        }
        unions.set(st.name.text, members);
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name) || !d.type || !ts.isTypeLiteralNode(d.type)) continue;
          const values = [];
          for (const m of d.type.members) {
            if (ts.isPropertySignature(m) && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) values.push(m.type.literal.text);
          }
          if (values.length) enums.set(d.name.text, values);
        }
      }
    }
  }

  const shapes = {};
  const usedEnums = {};
  const queue = Object.values(ROOTS);
  const typeOf = (node, where) => {
    if (ts.isUnionTypeNode(node)) {
      const parts = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (parts.length !== 1) throw new Error(`gen-ecs-spec: ${where}: a union of ${parts.length} types is not understood`);
      return typeOf(parts[0], where);
    }
    if (ts.isParenthesizedTypeNode(node)) return typeOf(node.type, where);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return 'string';
      case ts.SyntaxKind.NumberKeyword:
        return 'number';
      case ts.SyntaxKind.BooleanKeyword:
        return 'boolean';
    }
    if (ts.isArrayTypeNode(node)) return `list:${typeOf(node.elementType, where)}`;
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const name = node.typeName.text;
      if (name === 'Date') return 'timestamp';
      if (name === '__DocumentType') return 'document';
      if (name === 'Record' && node.typeArguments?.length === 2 && node.typeArguments[0].kind === ts.SyntaxKind.StringKeyword) return `map:${typeOf(node.typeArguments[1], where)}`;
      if (enums.has(name)) {
        usedEnums[name] = enums.get(name);
        return `enum:${name}`;
      }
      if (interfaces.has(name) || unions.has(name)) {
        if (!(name in shapes) && !queue.includes(name)) queue.push(name);
        return `struct:${name}`;
      }
      throw new Error(`gen-ecs-spec: ${where}: type ${name} is not found in the SDK's declarations`);
    }
    throw new Error(`gen-ecs-spec: ${where}: type of kind ${ts.SyntaxKind[node.kind]} is not understood`);
  };
  while (queue.length) {
    const name = queue.shift();
    if (name in shapes) continue;
    const members = interfaces.get(name) ?? unions.get(name);
    if (!members) throw new Error(`gen-ecs-spec: interface ${name} is not found in ${MODELS}`);
    const fields = {};
    shapes[name] = fields;
    for (const m of members) {
      const field = m.name.text;
      if (!m.type) throw new Error(`gen-ecs-spec: ${name}.${field} has no type`);
      fields[field] = typeOf(m.type, `${name}.${field}`);
    }
  }
  const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  const spec = { source: `@aws-sdk/client-ecs@${version}`, ...ROOTS, shapes: sorted(shapes), enums: sorted(usedEnums) };
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(OUT, JSON.stringify(spec) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await generate();
