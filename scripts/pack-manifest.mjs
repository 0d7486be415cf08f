#!/usr/bin/env node
// `prepack` / `postpack` helper: the packed package.json carries no `prepare` script, so installing
// the tarball runs nothing (npm would list `prepare` as an install script to approve). `strip`
// keeps the checkout's package.json beside it and writes the packed one; `restore` puts it back.
// The same pattern as pinst's for postinstall.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const kept = join(root, '.package.json.prepack');

if (process.argv[2] === 'strip') {
  const text = readFileSync(manifest, 'utf8');
  if (!existsSync(kept)) writeFileSync(kept, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n');
} else if (process.argv[2] === 'restore') {
  if (existsSync(kept)) renameSync(kept, manifest);
} else {
  console.error('usage: pack-manifest.mjs strip|restore');
  process.exit(2);
}
