#!/usr/bin/env node
// Build step after tsc: bundles dist/cli/index.js and what it imports eagerly into dist/bundle/,
// so a one-file run loads a few modules instead of hundreds (start-up is a budget: a pre-commit
// hook on one file answers in well under a second). Modules imported lazily (the language
// server, the CDK source mapper, schema validators) stay separate chunks. bin/stowage.js runs
// the bundle when it is there, else dist/cli/index.js.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
});
await bundle.write({ dir: OUT, format: 'esm', entryFileNames: 'cli.js', chunkFileNames: 'chunk-[hash].js', sourcemap: false });
await bundle.close();
