/**
 * Field names and types of the Kubernetes kinds stowage models, and a strict validator of objects
 * against them (the API server's strict field validation, kubeconform's strict mode).
 *
 * The schema comes from `generated/k8s/schema.json`, written at build time by
 * scripts/gen-k8s-spec.mjs from `kubernetes-models` (every API version it has of Pod, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Service, Ingress,
 * IngressClass, StorageClass, PersistentVolumeClaim, PersistentVolume and ServiceAccount, and
 * every definition they reach). It is read on the first object of such a kind, so a run without
 * Kubernetes files never loads it.
 *
 * One walk of an object yields the findings of both `k8s/unknown-field` and `k8s/field-type`; it is
 * done once per object and shared. Left alone: CRDs and other kinds, apiVersions the schema does
 * not have, `status`, free-form content (RawExtension), `null` values (absent to the API server),
 * template placeholders (`${VAR}`, `$VAR`, `{{ }}`, `<fill-in>`), strategic-merge-patch directives
 * (`$patch`, `$setElementOrder/...`), unquoted `yes`/`no`/`on`/`off` where a boolean is wanted
 * and numbers that only YAML 1.1 reads as numbers. kubectl reads YAML with a YAML 1.1 parser
 * (go-yaml v2 in sigs.k8s.io/yaml) while stowage's located tree is YAML 1.2: an unquoted `yes`
 * where a string is wanted is a boolean to kubectl, and is reported.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../../engine/paths.js';
import type { K8sObject } from '../../../model/entities.js';
import { PLACEHOLDER } from '../../../model/value.js';
import { isMap, isScalar, isSeq, scalarString, type MapNode, type Node, type ScalarNode } from '../../../parsers/tree.js';
import { didYouMean, dottedPath } from '../../lib/schema-findings.js';

export type K8sSchemaFindingKind = 'unknown-field' | 'field-type';

export interface K8sSchemaFinding {
  kind: K8sSchemaFindingKind;
  /** The unknown key, or the value of the wrong type (its key when it is a mapping or list). */
  node: Node;
  /** The message id of k8s/unknown-field or k8s/field-type, and its data. */
  messageId: string;
  data: Record<string, string>;
}

/** The messages of k8s/unknown-field, by the advice each finding gives. */
export const UNKNOWN_FIELD_MESSAGES = {
  caseSensitive: '{{object}} has an unknown field "{{field}}": did you mean "{{hint}}"? Field names are case-sensitive.',
  misplaced: '{{object}} has an unknown field "{{field}}": "{{name}}" is a field of {{parent}}, move it there.',
  indent: '{{object}} has an unknown field "{{field}}": indent it under "{{child}}", whose fields include "{{name}}".',
  otherVersion: '{{object}} has an unknown field "{{field}}", which {{type}} has in {{versions}}, not in {{apiVersion}}.',
  didYouMean: '{{object}} has an unknown field "{{field}}": did you mean "{{hint}}"?',
  metadata: '{{object}} has an unknown field "{{field}}": put a label or an annotation under "{{labels}}" or "{{annotations}}".',
  allowed: '{{object}} has an unknown field "{{field}}": the fields allowed {{where}} are {{fields}}.',
} as const;

/** The message of k8s/field-type. */
export const FIELD_TYPE_MESSAGES = {
  wrongType: '{{object}}: "{{path}}" is {{is}}, but must be {{want}}{{fix}}.',
} as const;

/** A field's type, as scripts/gen-k8s-spec.mjs writes it (a small JSON Schema subset). */
interface TypeSpec {
  type?: string | string[];
  /** `int-or-string` or `quantity`. */
  format?: string;
  $ref?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec | false;
  properties?: Record<string, TypeSpec>;
}

interface K8sSchema {
  /** e.g. `kubernetes-models@5.1.0`. */
  source: string;
  /** apiVersion → kind → definition name. */
  kinds: Record<string, Record<string, string>>;
  definitions: Record<string, TypeSpec>;
}

/** The kinds the schema covers (any apiVersion): objects of other kinds never load it. */
export const SCHEMA_KINDS: ReadonlySet<string> = new Set([
  'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Service', 'Ingress',
  'IngressClass', 'StorageClass', 'PersistentVolumeClaim', 'PersistentVolume', 'ServiceAccount',
]);

let schema: K8sSchema | undefined;

/** The schema, read on first use. */
export function k8sSchema(): K8sSchema {
  if (schema) return schema;
  const path = packagePath('generated', 'k8s', 'schema.json');
  try {
    schema = JSON.parse(readFileSync(path, 'utf8')) as K8sSchema;
  } catch (e) {
    throw new Error(`cannot read the Kubernetes schema ${path} (built by \`npm run build\`): ${(e as Error).message}`);
  }
  return schema;
}

/** The definition an object of this apiVersion and kind is validated against, if the schema has it. */
export function definitionOf(apiVersion: string, kind: string): string | undefined {
  if (!SCHEMA_KINDS.has(kind)) return undefined;
  const byKind = k8sSchema().kinds;
  return Object.hasOwn(byKind, apiVersion) && Object.hasOwn(byKind[apiVersion]!, kind) ? byKind[apiVersion]![kind] : undefined;
}

const cache = new WeakMap<MapNode, K8sSchemaFinding[]>();

/** The schema findings of a Kubernetes object (none for kinds and apiVersions the schema lacks). */
export function k8sSchemaFindings(obj: K8sObject): K8sSchemaFinding[] {
  const root = obj.props.node;
  let out = cache.get(root);
  if (!out) {
    out = validate(obj);
    cache.set(root, out);
  }
  return out;
}

/** Findings of one kind, for one rule. */
export function k8sSchemaFindingsOf(obj: K8sObject, kind: K8sSchemaFindingKind): K8sSchemaFinding[] {
  return k8sSchemaFindings(obj).filter((f) => f.kind === kind);
}

/** A bare `$VAR` (envsubst) as the whole value. */
const BARE_VAR = /^\$[A-Za-z_][A-Za-z0-9_]*$/;
/** A fill-in of documentation templates as the whole value (`<service-port>`, `<insert subnet ID>`). */
const FILL_IN = /^<[^<>\n]+>$/;

/** A value that a tool fills in before kubectl (or eksctl) reads the file. */
export function isPlaceholder(n: Node): boolean {
  if (isScalar(n)) return typeof n.value === 'string' && (PLACEHOLDER.test(n.value) || BARE_VAR.test(n.value) || FILL_IN.test(n.value));
  // `replicas: {{ .Values.replicas }}` reads as a flow mapping in YAML.
  return n.file.text.startsWith('{{', n.start);
}

/** Unquoted words go-yaml v2 (YAML 1.1, used by kubectl) reads as booleans, which YAML 1.2 reads as strings. */
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** Unquoted numbers of YAML 1.1 that YAML 1.2 reads as strings (`1_000`, `0b101`, `1:30`). */
const YAML11_NUMBER = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

interface Walk {
  defs: Record<string, TypeSpec>;
  /** `Deployment "web"`. */
  label: string;
  out: K8sSchemaFinding[];
}

/** Enclosing object levels, innermost last: their fields and JSON pointer. */
type Ancestors = Array<{ props: Record<string, TypeSpec>; pointer: string }>;

function validate(obj: K8sObject): K8sSchemaFinding[] {
  const kind = obj.objectKind;
  if (!SCHEMA_KINDS.has(kind)) return [];
  const apiVersion = obj.props.node.get('apiVersion');
  if (!isScalar(apiVersion) || typeof apiVersion.value !== 'string') return [];
  const def = definitionOf(apiVersion.value, kind);
  if (!def) return [];
  const name = obj.metadata?.node.get('name');
  const shown = isScalar(name) && name.value !== null ? String(name.value) : undefined;
  const w: Walk = { defs: k8sSchema().definitions, label: shown !== undefined ? `${kind} "${shown}"` : `This ${kind}`, out: [] };
  walk(w, obj.props.node, { $ref: def }, '', []);
  return w.out;
}

function resolve(w: Walk, t: TypeSpec): TypeSpec {
  let cur = t;
  for (let i = 0; cur.$ref !== undefined && i < 10; i++) cur = w.defs[cur.$ref] ?? {};
  return cur;
}

/** Definition names by their last segment (`IngressBackend` → every API version's IngressBackend). */
let byBaseName: Map<string, string[]> | undefined;

/** Other API versions whose definition of the same name has the field: `["extensions/v1beta1", ...]`. */
function otherVersionsWith(w: Walk, defName: string, field: string): string[] {
  if (!byBaseName) {
    byBaseName = new Map();
    for (const n of Object.keys(w.defs)) {
      const base = n.slice(n.lastIndexOf('/') + 1);
      const list = byBaseName.get(base);
      if (list) list.push(n);
      else byBaseName.set(base, [n]);
    }
  }
  const base = defName.slice(defName.lastIndexOf('/') + 1);
  const out: string[] = [];
  for (const n of byBaseName.get(base) ?? []) {
    if (n === defName || !Object.hasOwn(w.defs[n]?.properties ?? {}, field)) continue;
    out.push(apiVersionOf(n));
  }
  return out;
}

/** `networking.k8s.io/v1/IngressBackend` → `networking.k8s.io/v1`; `core/v1/PodSpec` → `v1`. */
function apiVersionOf(defName: string): string {
  const gv = defName.slice(0, defName.lastIndexOf('/'));
  return gv.startsWith('core/') ? gv.slice('core/'.length) : gv;
}

/** The one known field that an unknown name abbreviates or extends (`initialDelay` → `initialDelaySeconds`). */
function prefixMatch(name: string, keys: string[]): string | undefined {
  if (name.length < 4) return undefined;
  const lower = name.toLowerCase();
  const hits = keys.filter((k) => {
    const kl = k.toLowerCase();
    return (kl.startsWith(lower) || lower.startsWith(kl)) && Math.min(kl.length, lower.length) >= 4;
  });
  return hits.length === 1 ? hits[0] : undefined;
}

function escape(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function walk(w: Walk, node: Node, t: TypeSpec, pointer: string, ancestors: Ancestors): void {
  if (isScalar(node) && node.value === null) return; // null: absent to the API server
  if (isPlaceholder(node)) return;
  const spec = resolve(w, t);
  if (spec.properties || spec.type === 'object') {
    if (!isMap(node)) return mismatch(w, node, spec, pointer);
    const props = spec.properties;
    const defName = t.$ref;
    const here: Ancestors = props ? [...ancestors, { props, pointer }] : ancestors;
    for (let i = 0; i < node.size; i++) {
      const key = node.keyAt(i);
      const value = node.valueAt(i);
      const name = scalarString(key);
      // `$patch`, `$retainKeys`, `$setElementOrder/...`: directives of strategic-merge patches (Kustomize).
      if (name === undefined || name.startsWith('$') || isPlaceholder(key)) continue;
      const child = `${pointer}/${escape(name)}`;
      if (props && Object.hasOwn(props, name)) {
        walk(w, value, props[name]!, child, here);
      } else if (props && spec.additionalProperties === false) {
        unknownField(w, key, name, props, pointer, ancestors, defName);
      } else if (spec.additionalProperties && typeof spec.additionalProperties === 'object') {
        walk(w, value, spec.additionalProperties, child, here);
      }
    }
    return;
  }
  if (spec.type === 'array') {
    if (!isSeq(node)) return mismatch(w, node, spec, pointer);
    if (spec.items) node.items.forEach((item, i) => walk(w, item, spec.items!, `${pointer}/${i}`, ancestors));
    return;
  }
  if (spec.type === undefined) return; // free content
  const types = Array.isArray(spec.type) ? spec.type : [spec.type];
  if (!isScalar(node) || !scalarFits(node, types)) mismatch(w, node, spec, pointer);
}

function scalarFits(n: ScalarNode, types: string[]): boolean {
  const v = n.value;
  if (typeof v === 'string') {
    // kubectl reads an unquoted yes/no/on/off as a boolean: not a string to the API server.
    if (types.includes('string')) return types.includes('boolean') || !isYaml11Bool(n);
    if (!isPlain(n)) return false;
    if (types.includes('boolean') && YAML11_BOOL.test(v)) return true;
    if ((types.includes('integer') || types.includes('number')) && YAML11_NUMBER.test(v)) return true;
    return false;
  }
  if (typeof v === 'number') {
    if (types.includes('number') || (types.includes('integer') && Number.isInteger(v))) return true;
    // `0o17` is a number to YAML 1.2 and a string to kubectl's YAML 1.1 reader.
    return types.includes('string') && /^[-+]?0o[0-7]+$/.test(sourceText(n));
  }
  if (typeof v === 'boolean') return types.includes('boolean');
  return true;
}

/** A plain (unquoted, not block) scalar: its source text is its value. */
function isPlain(n: ScalarNode): boolean {
  return typeof n.value === 'string' && n.file.text.startsWith(n.value, n.start) && n.end - n.start === n.value.length;
}

/** An unquoted word that YAML 1.1 (kubectl's reader) reads as a boolean and YAML 1.2 as a string. */
function isYaml11Bool(n: ScalarNode): boolean {
  return typeof n.value === 'string' && YAML11_BOOL.test(n.value) && isPlain(n);
}

/** `/metadata/annotations/prometheus.io~1port` → `metadata.annotations['prometheus.io/port']`. */
function display(pointer: string): string {
  const segments = pointer.split('/');
  if (segments.length === 2) return segments[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
  return dottedPath(pointer).replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, k: string) => `['${k.replace(/\\(.)/g, '$1')}']`);
}

function unknownField(w: Walk, key: ScalarNode, name: string, props: Record<string, TypeSpec>, pointer: string, ancestors: Ancestors, defName: string | undefined): void {
  const full = display(`${pointer}/${escape(name)}`);
  const where = pointer === '' ? 'at the top level' : `in "${display(pointer)}"`;
  const keys = Object.keys(props);
  const sameLetters = keys.find((k) => k.toLowerCase() === name.toLowerCase());
  // A field written one level too deep or too shallow (an indentation slip).
  const parent = [...ancestors].reverse().slice(0, 3).find((a) => Object.hasOwn(a.props, name));
  const childKey = parent ? undefined : keys.find((k) => fieldsOf(w, props[k]!)?.has(name));
  const hint = sameLetters ?? didYouMean(name, keys) ?? prefixMatch(name, keys);
  const versions = defName && !sameLetters && !parent && !childKey ? otherVersionsWith(w, defName, name) : [];
  const base = { object: w.label, field: full, name };
  let messageId: keyof typeof UNKNOWN_FIELD_MESSAGES;
  let data: Record<string, string>;
  if (sameLetters) [messageId, data] = ['caseSensitive', { ...base, hint: sameLetters }];
  else if (parent) [messageId, data] = ['misplaced', { ...base, parent: parent.pointer === '' ? 'the top level' : `"${display(parent.pointer)}"` }];
  else if (childKey) [messageId, data] = ['indent', { ...base, child: childKey }];
  else if (versions.length) [messageId, data] = ['otherVersion', { ...base, type: defName!.slice(defName!.lastIndexOf('/') + 1), versions: listKeys(versions, ' and '), apiVersion: apiVersionOf(defName!) }];
  else if (hint) [messageId, data] = ['didYouMean', { ...base, hint }];
  else if (defName === 'meta/v1/ObjectMeta') [messageId, data] = ['metadata', { ...base, labels: display(`${pointer}/labels`), annotations: display(`${pointer}/annotations`) }];
  else [messageId, data] = ['allowed', { ...base, where, fields: listKeys(keys, ' and ', 6) }];
  w.out.push({ kind: 'unknown-field', node: key, messageId, data });
}

/** The field names of an object type (of a list's items too), if it has fixed fields. */
function fieldsOf(w: Walk, t: TypeSpec): Set<string> | undefined {
  let spec = resolve(w, t);
  if (spec.type === 'array' && spec.items) spec = resolve(w, spec.items);
  return spec.properties ? new Set(Object.keys(spec.properties)) : undefined;
}

function mismatch(w: Walk, node: Node, spec: TypeSpec, pointer: string): void {
  const path = display(pointer) || 'the object';
  const want = wanted(spec);
  let is: string;
  let fix = '';
  if (isScalar(node)) {
    const v = node.value;
    const text = sourceText(node);
    const onlyString = spec.type === 'string';
    if (typeof v === 'string' && typesOf(spec).includes('string') && isYaml11Bool(node)) {
      is = `${v}, which kubectl reads as the boolean ${/^[yo]/i.test(v) && !/^off$/i.test(v) ? 'true' : 'false'} (YAML 1.1)`;
      fix = `; quote it ("${v}")`;
    } else if (typeof v === 'string') {
      is = `the string ${JSON.stringify(short(v))}`;
      if (spec.type === 'array' && spec.items?.type === 'string') fix = `; write it as a list: [${JSON.stringify(short(v))}]`;
      else if (node.quoted && !spec.properties && spec.type !== 'object' && unquotedFits(v, spec)) fix = '; write it without quotes';
    } else if (typeof v === 'number') {
      is = `the number ${text}`;
      if (onlyString) fix = `; quote it ("${text}")`;
    } else {
      is = `the boolean ${text}`;
      if (onlyString) fix = `; quote it ("${text}")`;
    }
  } else {
    is = node.kind === 'map' ? 'a mapping' : 'a list';
  }
  w.out.push({
    kind: 'field-type',
    node: isScalar(node) ? node : node.anchor,
    messageId: 'wrongType',
    data: { object: w.label, path, is, want, fix },
  });
}

function typesOf(spec: TypeSpec): string[] {
  return spec.type === undefined ? [] : Array.isArray(spec.type) ? spec.type : [spec.type];
}

/** Would the string's text, unquoted, be of the wanted type (`"3"` for an integer, `"true"` for a boolean)? */
function unquotedFits(v: string, spec: TypeSpec): boolean {
  const types = typesOf(spec);
  if (types.includes('boolean') && /^(?:true|false)$/.test(v)) return true;
  if (types.includes('integer') && /^[-+]?[0-9]+$/.test(v)) return true;
  if (types.includes('number') && /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(v)) return true;
  return false;
}

function wanted(spec: TypeSpec): string {
  if (spec.format === 'int-or-string') return 'a whole number or a string';
  if (spec.format === 'quantity') return 'a quantity (a number, or a string such as "500m" or "1Gi")';
  if (spec.properties || spec.type === 'object') return 'a mapping';
  if (spec.type === 'array') return 'a list';
  const one = (x: string) => (x === 'integer' ? 'a whole number' : x === 'boolean' ? 'a boolean (true or false)' : `a ${x}`);
  return typesOf(spec).map(one).join(' or ');
}

function short(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function sourceText(n: Node): string {
  return short(n.file.text.slice(n.start, n.end).trim());
}

function listKeys(keys: string[], last = ', ', max = 10): string {
  const sorted = [...keys].sort();
  if (sorted.length > max) return sorted.slice(0, max).join(', ') + ` and ${sorted.length - max} more`;
  if (sorted.length < 2) return sorted.join('');
  return sorted.slice(0, -1).join(', ') + last + sorted[sorted.length - 1];
}
