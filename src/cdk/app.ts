/** The CDK app of an assembly: the `cdk.json` beside or above it, whose `app` command names the entry file. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { isFile } from './files.js';

export interface CdkApp {
  /** The folder of cdk.json. */
  root: string;
  /** The entry file (TypeScript preferred over its compiled JavaScript). */
  entry: string;
}

/** The app whose `cdk.json` (beside or above the assembly, with `output` naming it) has an entry file that exists. */
export function findApp(assemblyDir: string): CdkApp | undefined {
  let found: CdkApp | undefined;
  for (let dir = assemblyDir, i = 0; i < 12; i++) {
    const cdkJson = join(dir, 'cdk.json');
    if (existsSync(cdkJson)) {
      found = appFrom(cdkJson, assemblyDir);
      break;
    }
    if (existsSync(join(dir, '.git'))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return found;
}

function appFrom(cdkJson: string, assemblyDir: string): CdkApp | undefined {
  let conf: { app?: unknown; output?: unknown };
  try {
    conf = JSON.parse(readFileSync(cdkJson, 'utf8'));
  } catch {
    return undefined;
  }
  const root = dirname(cdkJson);
  // The assembly must be this app's output (`output`, default `cdk.out`): never another app's, nor a copy.
  const output = resolve(root, typeof conf.output === 'string' ? conf.output : 'cdk.out');
  if (output !== assemblyDir) return undefined;
  if (typeof conf.app !== 'string') return undefined;
  const entry = entryOf(conf.app, root);
  return entry ? { root, entry } : undefined;
}

/** The entry file of an `app` command: `npx ts-node --prefer-ts-exts bin/app.ts`, `npx tsx bin/app.ts`, `node bin/app.js`, ... */
export function entryOf(command: string, root: string): string | undefined {
  const words = command.split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ''));
  for (const w of words) {
    if (w.startsWith('-') || !/\.(?:[mc]?ts|tsx|[mc]?js|jsx)$/.test(w)) continue;
    const abs = resolve(root, w);
    const ext = extname(abs);
    if (/^\.[mc]?js$|^\.jsx$/.test(ext)) {
      const base = abs.slice(0, -ext.length);
      const ts = [`${base}.ts`, `${base}.tsx`, `${base}${ext.replace('js', 'ts')}`].find(isFile);
      if (ts) return ts;
    }
    if (isFile(abs)) return abs;
  }
  return undefined;
}
