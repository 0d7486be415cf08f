/**
 * The templates of a CDK cloud assembly, for discover: which files to lint, each with what the
 * manifest says about its stack (construct paths, account, region). The manifest is read by
 * `src/cdk/assembly.ts`, the one cloud-assembly reader; this module decides which of the files it
 * names may be read (never outside the assembly folder).
 */
import { readdirSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { addMetadata, NESTED_ASSEMBLY, parseEnvironment, readManifest, STACK } from '../cdk/assembly.js';
import { isFile } from '../cdk/files.js';
import type { CdkStack } from './index.js';

export { isCloudAssembly } from '../cdk/assembly.js';

/** One template of a cloud assembly, with what the manifest says about its stack. */
export interface AssemblyTemplate {
  path: string;
  stack?: CdkStack;
}

/**
 * The stack templates of an assembly (and of the nested assemblies of its stages),
 * plus any other `*.template.json` beside them (nested stacks), each with the
 * manifest's construct paths. Templates the manifest names but that are missing are skipped.
 *
 * The linted repository may be hostile: a manifest entry (template or nested assembly) that
 * leads outside the assembly folder — `../` segments, an absolute path, a symbolic link pointing
 * out — is skipped with a notice, and so is a `*.template.json` that is a link pointing out.
 * Both sides are compared by their real paths, the folder's followed by a path separator.
 */
export function readCloudAssembly(dir: string, notices: string[] = []): AssemblyTemplate[] {
  const abs = resolve(dir);
  const root = realpathOrUndefined(abs);
  if (root === undefined) return [];
  return readAssembly(abs, root, notices, new Set());
}

function readAssembly(abs: string, root: string, notices: string[], seen: Set<string>): AssemblyTemplate[] {
  const real = realpathOrUndefined(abs);
  if (real === undefined || seen.has(real)) return [];
  seen.add(real);
  const manifestPath = join(abs, 'manifest.json');
  const manifestReal = realpathOrUndefined(manifestPath);
  if (manifestReal === undefined) return [];
  if (!inside(root, manifestReal)) {
    notices.push(`${manifestPath}: points outside the cloud assembly (${printable(manifestReal)}); skipped`);
    return [];
  }
  const artifacts = readManifest(abs);
  if (!artifacts) return [];
  const out: AssemblyTemplate[] = [];
  const named = new Set<string>(); // paths the manifest names, as written and as real paths
  /** The entry's path when it stays inside the assembly; else a notice and undefined. */
  const contained = (id: string, written: string): { path: string; real: string | undefined } | undefined => {
    const path = resolve(abs, written);
    const target = realpathOrUndefined(path);
    named.add(path);
    if (target) named.add(target);
    // A path that does not exist is judged by its name (it is skipped as missing anyway).
    if (!inside(root, target ?? path)) {
      notices.push(`${manifestPath}: artifact ${JSON.stringify(id)} points outside the cloud assembly (${printable(written)}); skipped`);
      return undefined;
    }
    return { path, real: target };
  };
  for (const art of artifacts) {
    const id = art.id;
    if (art.type === STACK && art.templateFile) {
      const entry = contained(id, art.templateFile);
      if (!entry) continue;
      const path = entry.path;
      if (!entry.real || !isFile(path)) continue;
      const [account, region] = parseEnvironment(art.environment);
      const paths = new Map<string, string>();
      addMetadata(art.metadata, paths);
      const stack: CdkStack = { stackName: id, paths };
      if (art.displayName !== undefined) stack.displayName = art.displayName;
      if (account) stack.account = account;
      if (region) stack.region = region;
      out.push({ path, stack });
    } else if (art.type === NESTED_ASSEMBLY && art.directoryName) {
      const entry = contained(id, art.directoryName);
      if (entry?.real) out.push(...readAssembly(entry.path, root, notices, seen));
    }
  }
  let names: string[] = [];
  try {
    names = readdirSync(abs);
  } catch {
    /* unreadable: nothing more */
  }
  for (const name of names) {
    const path = join(abs, name);
    if (!name.endsWith('.template.json') || named.has(path)) continue;
    const target = realpathOrUndefined(path);
    if (target === undefined) continue;
    if (!inside(root, target)) notices.push(`${path}: points outside the cloud assembly (${printable(target)}); skipped`);
    else if (!named.has(target)) out.push({ path });
  }
  return out;
}

/** True when `path` is `root` or below it (real paths; the prefix ends with a separator, so `/a/bc` is not inside `/a/b`). */
function inside(root: string, path: string): boolean {
  const r = root.endsWith(sep) ? root : root + sep;
  return path === root || path.startsWith(r);
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** A path from a manifest as one printable line (control characters escaped). */
function printable(s: string): string {
  const quoted = JSON.stringify(s.length > 300 ? s.slice(0, 300) + '…' : s);
  return quoted.slice(1, -1);
}
