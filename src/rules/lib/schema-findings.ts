/**
 * JSON-Schema validation of a located tree, with findings at the offending key or value.
 *
 * Reusable by any schema rule: give it a compiled ajv validator (see `lazyValidator`) and a
 * located node; get back findings that point at the unknown key (with a did-you-mean over the
 * keys known at that level), the value of the wrong type, or the object that lacks a key.
 * Values that cannot be known (template placeholders) are left alone.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isScalar, type Node, type ScalarNode } from '../../parsers/tree.js';
import { didYouMean } from '../../engine/did-you-mean.js';

export interface SchemaFinding {
  /** Where the finding belongs: the unknown key, the wrong value, or the object missing a key. */
  node: Node;
  message: string;
}

export interface SchemaFindingOptions {
  /** A value that cannot be known (a placeholder): no type or enum errors on it. */
  isUnknown?: (node: Node) => boolean;
  /**
   * The file is read by a YAML 1.1 parser (go-yaml v2, PyYAML): unquoted yes/no/on/off/y/n are
   * booleans there, while the located tree (YAML 1.2) holds them as strings.
   */
  yaml11Booleans?: boolean;
  /** Display path of an instance path (`/managedNodeGroups/0/ssh` → `managedNodeGroups[0].ssh`). */
  describe?: (path: string) => string;
}

const require = createRequire(import.meta.url);

/**
 * A validator compiled on first use (ajv is loaded then too), so runs without such files pay nothing.
 */
export function lazyValidator(schema: () => object): () => ValidateFunction {
  let compiled: ValidateFunction | undefined;
  return () => {
    if (!compiled) {
      const mod = require('ajv') as { Ajv: new (o: object) => { compile(s: object): ValidateFunction } };
      compiled = new mod.Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema());
    }
    return compiled;
  };
}

/** Plain value of a located tree, with JSON-pointer → value node and → key node maps. */
interface Plain {
  value: unknown;
  nodes: Map<string, Node>;
  keys: Map<string, ScalarNode>;
}

function escape(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function toPlainLocated(root: Node): Plain {
  const nodes = new Map<string, Node>();
  const keys = new Map<string, ScalarNode>();
  const walk = (n: Node, path: string, depth: number): unknown => {
    nodes.set(path, n);
    if (depth > 100) return null;
    if (n.kind === 'scalar') return n.value;
    if (n.kind === 'seq') return n.items.map((item, i) => walk(item, `${path}/${i}`, depth + 1));
    const o: Record<string, unknown> = {};
    for (const e of n.entries) {
      const k = String(e.key.value);
      const p = `${path}/${escape(k)}`;
      keys.set(p, e.key);
      o[k] = walk(e.value, p, depth + 1);
    }
    return o;
  };
  return { value: walk(root, '', 0), nodes, keys };
}

/** `/managedNodeGroups/0/ssh` → `managedNodeGroups[0].ssh`. */
export function dottedPath(path: string): string {
  let out = '';
  for (const raw of path.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

// The did-you-mean helpers live in the engine (config errors use them too); re-exported for the rules.
export { didYouMean, editDistance, editDistanceWithin } from '../../engine/did-you-mean.js';

const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'a number' : 'a decimal number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'a string';
}

function wanted(t: unknown): string {
  const one = (x: string) => (x === 'object' ? 'a mapping' : x === 'array' ? 'a list' : x === 'integer' ? 'a whole number' : `a ${x}`);
  return Array.isArray(t) ? t.map((x) => one(String(x))).join(' or ') : one(String(t));
}

function sourceText(n: Node): string {
  const t = n.file.text.slice(n.start, n.end).trim();
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}

/** A scalar as written: strings in double quotes, other values as in the source (`1.30`, `true`). */
function shownValue(n: Node): string {
  if (!isScalar(n)) return '';
  if (typeof n.value === 'string') {
    const v = n.value.length > 40 ? n.value.slice(0, 40) + '…' : n.value;
    return JSON.stringify(v);
  }
  return sourceText(n);
}

/** Validate a located tree and turn the errors into located findings. */
export function schemaFindings(validate: ValidateFunction, root: Node, options: SchemaFindingOptions = {}): SchemaFinding[] {
  const plain = toPlainLocated(root);
  if (validate(plain.value)) return [];
  const describe = options.describe ?? dottedPath;
  const out: SchemaFinding[] = [];
  const seen = new Set<string>();
  const where = (path: string) => (path === '' ? 'the top level' : `"${describe(path)}"`);
  const at = (path: string) => (path === '' ? 'at the top level' : `in "${describe(path)}"`);
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    const node = plain.nodes.get(e.instancePath);
    if (!node) continue;
    let finding: SchemaFinding | undefined;
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const path = `${e.instancePath}/${escape(extra)}`;
      const key = plain.keys.get(path);
      if (!key || options.isUnknown?.(key)) continue;
      const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      const hint = didYouMean(extra, Object.keys(props));
      finding = {
        node: key,
        message: `unknown key "${extra}" ${at(e.instancePath)}${hint ? `; did you mean "${hint}"?` : `; keys allowed there: ${listKeys(Object.keys(props))}.`}`,
      };
    } else if (e.keyword === 'type') {
      if (e.data === null || options.isUnknown?.(node)) continue;
      const t = (e.params as { type: unknown }).type;
      const types = Array.isArray(t) ? t : [t];
      if (options.yaml11Booleans && types.includes('boolean') && isScalar(node) && !node.quoted && typeof node.value === 'string' && YAML11_BOOL.test(node.value)) continue;
      const shown = isScalar(node) ? ` ${shownValue(node)}` : '';
      const quote = types.includes('string') && isScalar(node) && typeof node.value !== 'string' ? `; quote it ("${sourceText(node)}")` : '';
      finding = { node: node.kind === 'scalar' ? node : node.anchor, message: `${where(e.instancePath)} is ${typeName(e.data)}${shown}, but must be ${wanted(t)}${quote}.` };
    } else if (e.keyword === 'enum') {
      if (options.isUnknown?.(node)) continue;
      const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((a) => JSON.stringify(a));
      const hint = isScalar(node) ? didYouMean(String(node.value), ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String)) : undefined;
      finding = {
        node,
        message: `${where(e.instancePath)} is ${isScalar(node) ? shownValue(node) : 'not a valid value'}${hint ? `; did you mean "${hint}"?` : `; allowed values are ${listKeys(allowed)}.`}`,
      };
    } else if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      finding = { node: node.anchor, message: `${where(e.instancePath)} lacks the required key "${missing}".` };
    } else if (e.keyword === 'minimum' || e.keyword === 'maximum' || e.keyword === 'pattern' || e.keyword === 'minItems') {
      if (options.isUnknown?.(node)) continue;
      finding = { node, message: `${where(e.instancePath)} ${e.message ?? 'is invalid'}.` };
    }
    if (!finding) continue;
    const id = `${finding.node.start}:${finding.node.end}:${e.keyword}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(finding);
  }
  return out;
}

function listKeys(keys: string[]): string {
  if (keys.length === 0) return 'none';
  if (keys.length > 5) return keys.slice(0, 5).join(', ') + ' and ' + (keys.length - 5) + ' more';
  return keys.join(', ');
}
