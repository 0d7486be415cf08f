#!/usr/bin/env node
import { existsSync } from 'node:fs';

// The bundle (scripts/bundle.mjs) starts faster; the plain compiled modules are the fallback.
const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/index.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`stowage: internal error: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
