#!/usr/bin/env node
// Build step: runs every scripts/gen-*.mjs (each writes compact data under generated/ from a
// development dependency, and skips itself when its output is up to date).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const f of readdirSync(here).filter((n) => /^gen-(?!all\b).+\.mjs$/.test(n)).sort()) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  if (typeof mod.generate === 'function') await mod.generate();
}
