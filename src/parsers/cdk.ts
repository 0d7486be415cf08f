import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CdkStack } from './index.js';

/** One template of a cloud assembly, with what the manifest says about its stack. */
export interface AssemblyTemplate {
  path: string;
  stack?: CdkStack;
}

interface ManifestArtifact {
  type?: string;
  environment?: string;
  displayName?: string;
  properties?: { templateFile?: string; directoryName?: string };
  metadata?: Record<string, Array<{ type?: string; data?: unknown }>>;
}

/** True when `dir/manifest.json` is a CDK cloud-assembly manifest. */
export function isCloudAssembly(dir: string): boolean {
  try {
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    if (!text.includes('"artifacts"')) return false;
    const m = JSON.parse(text) as { artifacts?: Record<string, ManifestArtifact> };
    return !!m.artifacts && Object.values(m.artifacts).some((a) => a.type === 'aws:cloudformation:stack' || a.type === 'cdk:cloud-assembly');
  } catch {
    return false;
  }
}

/**
 * The stack templates of an assembly (and of the nested assemblies of its stages),
 * plus any other `*.template.json` beside them (nested stacks), each with the
 * manifest's construct paths. Templates the manifest names but that are missing are skipped.
 */
export function readCloudAssembly(dir: string, seen = new Set<string>()): AssemblyTemplate[] {
  const abs = resolve(dir);
  if (seen.has(abs)) return [];
  seen.add(abs);
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(join(abs, 'manifest.json'), 'utf8'));
  } catch {
    return [];
  }
  const out: AssemblyTemplate[] = [];
  const named = new Set<string>();
  for (const [id, art] of Object.entries(manifest.artifacts ?? {})) {
    if (art.type === 'aws:cloudformation:stack' && art.properties?.templateFile) {
      const path = join(abs, art.properties.templateFile);
      named.add(path);
      if (!exists(path)) continue;
      const [account, region] = parseEnvironment(art.environment);
      const paths = new Map<string, string>();
      for (const [cpath, entries] of Object.entries(art.metadata ?? {})) {
        for (const e of entries) if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') paths.set(e.data, cpath.replace(/^\//, ''));
      }
      const stack: CdkStack = { stackName: id, paths };
      if (art.displayName) stack.displayName = art.displayName;
      if (account) stack.account = account;
      if (region) stack.region = region;
      out.push({ path, stack });
    } else if (art.type === 'cdk:cloud-assembly' && art.properties?.directoryName) {
      out.push(...readCloudAssembly(join(abs, art.properties.directoryName), seen));
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
    if (name.endsWith('.template.json') && !named.has(path)) out.push({ path });
  }
  return out;
}

function exists(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function parseEnvironment(env: string | undefined): [string | undefined, string | undefined] {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env ?? '');
  if (!m) return [undefined, undefined];
  const account = /^\d{12}$/.test(m[1]!) ? m[1] : undefined;
  const region = m[2] !== 'unknown-region' ? m[2] : undefined;
  return [account, region];
}
