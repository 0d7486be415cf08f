#!/usr/bin/env node
// Build step after tsc: bundles dist/cli/index.js and what it imports eagerly into dist/bundle/,
// so a one-file run loads a few modules instead of hundreds (start-up is a budget: a pre-commit
// hook on one file answers in well under a second). Modules imported lazily (the language
// server, the config's schema validator) stay separate chunks, and the CDK source mapping's
// parser (@typescript-eslint/typescript-estree, src/cdk/source.ts) stays outside, required on
// first use. bin/stowage.js runs the bundle (through bin/load-bundle.cjs) when it is there, else
// dist/cli/index.js.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

let rolldown;
try {
  ({ rolldown } = await import('rolldown'));
} catch {
  console.warn('rolldown is not installed: skipping the bundle (bin/stowage.js runs dist/cli/index.js)');
  process.exit(0);
}
rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({
  input: join(ROOT, 'dist', 'cli', 'index.js'),
  platform: 'node',
  // Packages with native parts, large lazily used ones, and those resolved at run time stay outside.
  external: [/^node:/, 'vscode-languageserver', /^vscode-languageserver\//, 'vscode-languageserver-textdocument', '@typescript-eslint/typescript-estree', 'typescript', 'ajv', /^ajv\//, 'fast-glob', 'picomatch', 'jsonc-parser'],
  logLevel: 'warn',
  plugins: [
    {
      // import() of a computed specifier (plugins) calls __stowageImport, which bin/load-bundle.cjs
      // passes in: the bundle runs in a vm.Script, where import() is lost with a code cache on
      // Node 20. Imports of literal paths become chunks, required as CommonJS.
      name: 'stowage-dynamic-import',
      transform(code, id) {
        if (!id.startsWith(join(ROOT, 'dist') + sep)) return null;
        const out = code.replace(/(?<![\w$.])import\((?=\s*[^'"`\s])/g, '(typeof __stowageImport === "function" ? __stowageImport : (specifier) => import(specifier))(');
        return out === code ? null : { code: out, map: null };
      },
    },
  ],
});
// CommonJS, so that bin/load-bundle.cjs can compile it through vm.Script with a V8 code cache
// (Node 20 has no module.enableCompileCache); lazily loaded chunks are required when needed.
await bundle.write({ dir: OUT, format: 'cjs', entryFileNames: 'cli.cjs', chunkFileNames: 'chunk-[hash].cjs', sourcemap: false });
await bundle.close();

// The build's hash on the entry's first line keys bin/load-bundle.cjs's code cache (the chunks'
// names are their own hashes, and the entry names them).
const hash = createHash('sha256');
for (const name of readdirSync(OUT).sort()) hash.update(`${name}\0`).update(readFileSync(join(OUT, name))).update('\0');
const entry = join(OUT, 'cli.cjs');
writeFileSync(entry, `// stowage-build: ${hash.digest('hex')}\n${readFileSync(entry, 'utf8')}`);
