#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json), so a run does not start Node's ESM loader for its entry point.
// The bundle (scripts/bundle.mjs) starts faster and is loaded with a V8 code cache
// (bin/load-bundle.cjs); the plain compiled modules (dist/cli/index.js) are the fallback.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

function run(main, saveCache) {
  main(process.argv.slice(2)).then(
    (code) => {
      saveCache();
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`stowage: internal error: ${error && error.message ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

const bundle = join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
if (existsSync(bundle)) {
  const loader = require('./load-bundle.cjs');
  run(loader.load(bundle).main, loader.saveCache);
} else {
  import('../dist/cli/index.js').then(({ main }) => run(main, () => {}));
}
