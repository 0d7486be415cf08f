/**
 * The one reader of a CDK cloud assembly (`cdk.out`): its `manifest.json` (artifacts: stacks,
 * nested assemblies of stages, the construct tree), the metadata of each stack (logical id →
 * construct path, construct path → creation stack trace, also from an `additionalMetadataFile`),
 * the construct tree (`tree.json`) and the logical ids CDK derives from construct paths.
 *
 * `src/parsers/cdk.ts` uses it to list an assembly's templates with their construct paths, and
 * the CDK source mapping (`map.ts`) to find the construct path and creation trace of a finding.
 * A manifest is the linted repository's: every field is checked for its type, and a broken or
 * hostile one gives fewer artifacts, never an exception.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stampOf } from './files.js';

/** One artifact of a manifest, with the fields that have the expected type. */
export interface Artifact {
  id: string;
  type?: string;
  /** `aws://<account>/<region>` of a stack. */
  environment?: string;
  displayName?: string;
  /** `properties.templateFile` of a stack. */
  templateFile?: string;
  /** `properties.directoryName` of a nested assembly (a stage). */
  directoryName?: string;
  /** `properties.file` of the construct tree. */
  file?: string;
  /** Construct path → metadata entries. */
  metadata?: Record<string, unknown>;
  additionalMetadataFile?: string;
}

export const STACK = 'aws:cloudformation:stack';
export const NESTED_ASSEMBLY = 'cdk:cloud-assembly';
const TREE = 'cdk:tree';

/** The artifacts of `dir/manifest.json`; undefined when it cannot be read or is not JSON. */
export function readManifest(dir: string): Artifact[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'manifest.json'), 'utf8');
  } catch {
    return undefined;
  }
  return parseManifest(text);
}

/** The artifacts of a manifest's text; undefined when it is not JSON. */
export function parseManifest(text: string): Artifact[] | undefined {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  const artifacts = isObject(m) && isObject(m.artifacts) ? m.artifacts : {};
  const out: Artifact[] = [];
  for (const [id, a] of Object.entries(artifacts)) {
    if (!isObject(a)) continue;
    const art: Artifact = { id };
    if (typeof a.type === 'string') art.type = a.type;
    if (typeof a.environment === 'string') art.environment = a.environment;
    if (typeof a.displayName === 'string') art.displayName = a.displayName;
    if (typeof a.additionalMetadataFile === 'string') art.additionalMetadataFile = a.additionalMetadataFile;
    if (isObject(a.metadata)) art.metadata = a.metadata;
    const props = isObject(a.properties) ? a.properties : undefined;
    if (typeof props?.templateFile === 'string') art.templateFile = props.templateFile;
    if (typeof props?.directoryName === 'string') art.directoryName = props.directoryName;
    if (typeof props?.file === 'string') art.file = props.file;
    out.push(art);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** True when `dir/manifest.json` is a CDK cloud-assembly manifest. */
export function isCloudAssembly(dir: string): boolean {
  let text: string;
  try {
    text = readFileSync(join(dir, 'manifest.json'), 'utf8');
  } catch {
    return false;
  }
  if (!text.includes('"artifacts"')) return false;
  return parseManifest(text)?.some((a) => a.type === STACK || a.type === NESTED_ASSEMBLY) ?? false;
}

/** The outermost cloud assembly folder that holds a template (stages nest assemblies inside it). */
export function assemblyRoot(templatePath: string): string | undefined {
  let dir = dirname(templatePath);
  if (!existsSync(join(dir, 'manifest.json'))) return undefined;
  for (;;) {
    const up = dirname(dir);
    if (up === dir || !existsSync(join(up, 'manifest.json'))) return dir;
    dir = up;
  }
}

/** `aws://123456789012/eu-west-1` → [account, region]; `unknown-account`/`unknown-region` are left out. */
export function parseEnvironment(env: string | undefined): [string | undefined, string | undefined] {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(env ?? '');
  if (!m) return [undefined, undefined];
  const account = /^\d{12}$/.test(m[1]!) ? m[1] : undefined;
  const region = m[2] !== 'unknown-region' ? m[2] : undefined;
  return [account, region];
}

/**
 * Read a stack's metadata entries (construct path → list): `aws:cdk:logicalId` entries into
 * `paths` (logical id → construct path without the leading slash); with `traces`, creation stack
 * traces (`aws:cdk:creationStack` entries, or a `trace` on a logical-id entry) by construct path.
 */
export function addMetadata(entries: unknown, paths: Map<string, string>, traces?: Map<string, string[]>): void {
  if (!entries || typeof entries !== 'object') return;
  for (const [cpath, list] of Object.entries(entries as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const path = cpath.replace(/^\//, '');
    for (const e of list as Array<{ type?: unknown; data?: unknown; trace?: unknown }>) {
      if (e?.type === 'aws:cdk:logicalId' && typeof e.data === 'string') {
        paths.set(e.data, path);
        if (traces && Array.isArray(e.trace) && !traces.has(path)) traces.set(path, e.trace.filter((x): x is string => typeof x === 'string'));
      } else if (traces && e?.type === 'aws:cdk:creationStack' && Array.isArray(e.data)) {
        traces.set(path, e.data.filter((x): x is string => typeof x === 'string'));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What the source mapping needs of an assembly folder: logical id → construct path, construct path → creation trace

export interface StackMeta {
  /** Per stack template (file name): logical id → construct path (without the leading slash). */
  paths: Map<string, Map<string, string>>;
  /** Construct path → creation stack frames. */
  traces: Map<string, string[]>;
}

const metaCache = new Map<string, { stamp: string; meta: StackMeta }>();

/** Metadata of every stack of the manifest in `dir` (the template's own folder); `root` is the outermost assembly. */
export function assemblyMeta(dir: string, root: string): StackMeta {
  // Keyed by the manifest's time and size: `cdk synth` (or `cdk watch`) rewrites it.
  const stamp = stampOf(join(dir, 'manifest.json')) ?? '';
  const hit = metaCache.get(dir);
  if (hit && hit.stamp === stamp) return hit.meta;
  const meta: StackMeta = { paths: new Map(), traces: new Map() };
  metaCache.set(dir, { stamp, meta });
  const artifacts = readManifest(dir);
  if (!artifacts) return meta;
  let tree: TreeNode | null | undefined;
  for (const art of artifacts) {
    if (art.type !== STACK || art.templateFile === undefined) continue;
    const paths = new Map<string, string>();
    meta.paths.set(art.templateFile, paths);
    addMetadata(art.metadata, paths, meta.traces);
    if (art.additionalMetadataFile !== undefined) {
      try {
        addMetadata(JSON.parse(readFileSync(join(dir, art.additionalMetadataFile), 'utf8')), paths, meta.traces);
      } catch {
        /* dropped or unreadable: the manifest's own metadata is all there is */
      }
    }
    if (paths.size) continue;
    // Neither path metadata nor a metadata file: the construct tree (tree.json, at the root
    // assembly) and the logical ids CDK derives from construct paths.
    if (tree === undefined) tree = readTree(root);
    const stack = tree ? findTreeNode(tree, art.displayName ?? art.id) : undefined;
    if (stack) treeLogicalIds(stack, stack.path ?? '', paths);
  }
  return meta;
}

/** Forget the metadata read (after `cdk synth` rewrote the assembly, or in tests). */
export function clearAssemblyCache(): void {
  metaCache.clear();
}

// ---------------------------------------------------------------------------------------------
// The construct tree

interface TreeNode {
  id?: string;
  path?: string;
  children?: Record<string, TreeNode>;
  attributes?: Record<string, unknown>;
  constructInfo?: { fqn?: string };
}

function readTree(root: string): TreeNode | null {
  try {
    const file = readManifest(root)?.find((a) => a.type === TREE)?.file;
    if (file === undefined) return null;
    return (JSON.parse(readFileSync(join(root, file), 'utf8')) as { tree?: TreeNode }).tree ?? null;
  } catch {
    return null;
  }
}

function findTreeNode(tree: TreeNode, path: string): TreeNode | undefined {
  let node: TreeNode | undefined = tree;
  for (const seg of path.split('/')) node = node?.children?.[seg];
  return node;
}

/** Logical ids of the CloudFormation resources under a stack, as CDK allocates them (`makeUniqueId`), not crossing into nested stacks. */
function treeLogicalIds(node: TreeNode, stackPath: string, out: Map<string, string>): void {
  for (const child of Object.values(node.children ?? {})) {
    if (!child.path) continue;
    if (typeof child.attributes?.['aws:cdk:cloudformation:type'] === 'string') {
      const components = child.path.slice(stackPath.length + 1).split('/');
      out.set(makeUniqueId(components), child.path);
    }
    if (/\.(?:Nested)?Stack$/.test(child.constructInfo?.fqn ?? '')) continue;
    treeLogicalIds(child, stackPath, out);
  }
}

/** CDK's logical id of a resource from its construct path below the stack: a readable part and a hash of the path. */
export function makeUniqueId(components: string[]): string {
  const parts = components.filter((c) => c !== 'Default');
  const clean = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
  if (parts.length === 1 && clean(parts[0]!).length <= 255) return clean(parts[0]!);
  const hash = createHash('md5').update(parts.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const p of parts) if (!human.length || !human[human.length - 1]!.endsWith(p)) human.push(p);
  return (
    human
      .filter((p) => p !== 'Resource')
      .map(clean)
      .join('')
      .slice(0, 240) + hash
  );
}
