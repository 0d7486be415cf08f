/** Syntax helpers over typescript-estree's tree (syntax only: no types, no program). */
import type { TSESTree } from '@typescript-eslint/typescript-estree';

export type Node = TSESTree.Node;
/** What creates a construct: `new X(scope, id, props)`, or a factory call `makeX(scope, id)`. */
export type Creation = TSESTree.NewExpression | TSESTree.CallExpression;

export function requireOf(e: Node | null | undefined): string | undefined {
  if (e?.type === 'CallExpression' && e.callee.type === 'Identifier' && e.callee.name === 'require' && e.arguments[0]?.type === 'Literal' && typeof e.arguments[0].value === 'string') return e.arguments[0].value;
  return undefined;
}


export function isCreation(n: Node | null | undefined): n is Creation {
  return !!n && (n.type === 'NewExpression' || n.type === 'CallExpression');
}

export function refKey(e: Node): string | undefined {
  if (e.type === 'Identifier') return e.name;
  if (e.type === 'MemberExpression' && !e.computed && e.object.type === 'ThisExpression' && e.property.type === 'Identifier') return `this.${e.property.name}`;
  return undefined;
}

export function literalOf(e: Node | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Literal' && typeof e.value === 'string') return e.value;
  if (e.type === 'TemplateLiteral' && e.expressions.length === 0) return e.quasis[0]!.value.cooked ?? undefined;
  if (e.type === 'TSAsExpression' || e.type === 'TSSatisfiesExpression' || e.type === 'TSNonNullExpression') return literalOf(e.expression);
  return undefined;
}

/** An expression without `as T`, `satisfies T`, `!` and parentheses' type wrappers. */
export function unwrap(e: Node | undefined): Node | undefined {
  while (e && (e.type === 'TSAsExpression' || e.type === 'TSSatisfiesExpression' || e.type === 'TSNonNullExpression')) e = e.expression;
  return e;
}

export function keyName(k: Node): string | undefined {
  if (k.type === 'Identifier') return k.name;
  if (k.type === 'Literal' && typeof k.value === 'string') return k.value;
  return undefined;
}

/** Pre-order walk over AST children; `visit` returns false to skip a node's children. */
export function walk(root: Node, visit: (n: Node) => boolean): void {
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

export function calleeName(c: Node): string | undefined {
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
    const o = calleeName(c.object);
    return o ? `${o}.${c.property.name}` : c.property.name;
  }
  return undefined;
}

export function findClass(program: TSESTree.Program, name: string): TSESTree.ClassDeclaration | undefined {
  for (const st of program.body) {
    const d = st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration' ? st.declaration : st;
    if (d?.type === 'ClassDeclaration' && d.id?.name === name) return d;
  }
  return undefined;
}

/** The class (or the program) whose body holds a node. */
export function enclosingBody(program: TSESTree.Program, target: Node): TSESTree.Program | TSESTree.ClassDeclaration | TSESTree.ClassExpression {
  let best: TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined;
  walk(program, (n) => {
    if (n.range[1] < target.range[0] || n.range[0] > target.range[1]) return false;
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.range[0] <= target.range[0] && target.range[1] <= n.range[1]) best = n;
    return true;
  });
  return best ?? program;
}

export function propertyOf(obj: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
  let found: TSESTree.Property | undefined;
  for (const p of obj.properties) if (p.type === 'Property' && !p.computed && keyName(p.key) === name) found = p;
  return found;
}
