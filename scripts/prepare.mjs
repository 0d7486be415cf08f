#!/usr/bin/env node
// npm's `prepare` script: builds a git checkout (`npm ci` / `npm install` in a clone, or a git URL
// install, which npm builds in its own clone). It does nothing in an installed package (a tarball
// carries the built dist/ and generated/ and no src/), and nothing during `npm pack` or
// `npm publish`, whose `prepack` script builds once.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const command = process.env.npm_command;
if (command === 'pack' || command === 'publish' || !existsSync(join(root, 'src'))) process.exit(0);
const npm = process.env.npm_execpath;
const r = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
