/**
 * A finding's property path (`/Properties/ContainerDefinitions/[name=web]/Image`) onto the props
 * object literal of the construct that made the resource, and props passed in through a user
 * construct's own props.
 */
import { camelKey } from '../engine/rule.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { keyName, literalOf, propertyOf, unwrap, walk, type Node } from './ast.js';

/** `ContainerDefinitions/[name=web]/Image` → ['ContainerDefinitions', '[name=web]', 'Image'] (JSON-pointer escapes undone). */
export function parsePath(p: string): string[] {
  return p
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A CloudFormation property name in JSII camelCase: `TaskRoleArn` → `taskRoleArn`, `EFSVolumeConfiguration` → `efsVolumeConfiguration`. */
export const camel = camelKey;

/** The deepest property of an object literal that a property path reaches. `exact` (L1): camelCase only; otherwise also without an `Arn`/`Name`/`Id` suffix. */
export function mapProps(obj: TSESTree.ObjectExpression, segs: string[], exact: boolean): TSESTree.Property | undefined {
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

/** The one prop of a class's constructor (its third parameter, `props`) that a value reads: `props.image` or a destructured `{ image }`. */
export function propsFlow(decl: TSESTree.ClassDeclaration | TSESTree.ClassExpression, value: Node): string | undefined {
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
