/**
 * The CDK app's source files: parsed with `@typescript-eslint/typescript-estree` (syntax only),
 * which is loaded on first use, so runs that map no CDK finding never load it; parsed files are
 * kept while unchanged (the language server lints often).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { SourceFile } from '../parsers/tree.js';
import { parseSourceDirectives, type Directive } from '../engine/suppressions.js';
import { keyName, requireOf } from './ast.js';
import { stampOf } from './files.js';

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

  /** Its suppression comments (engine/suppressions.ts; fresh each call: they record their use). */
  directives(): Directive[] {
    return parseSourceDirectives(this.ast.comments ?? []);
  }}

/** Parsed files, reused across runs while the file is unchanged (the language server lints often). */
const fileCache = new Map<string, { stamp: string; file: TsFile | undefined }>();

/** Forget the parsed files (in tests, or when every file may have changed). */
export function clearSourceCache(): void {
  fileCache.clear();
}

/** Where the app's source is read from. */
export interface SourceOptions {
  /** Text of a source file that differs from disk (an editor's unsaved buffer). */
  readSource?: (path: string) => string | undefined;
}

/** Parses and caches the app's source files for one run. */
export function sourceReader(options: SourceOptions, notices: string[]): (path: string) => TsFile | undefined {
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
