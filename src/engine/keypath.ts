import { isMap, isScalar, type Node, type SeqNode } from '../parsers/tree.js';
import { Entity } from '../model/entities.js';
import { Prop } from '../model/value.js';

/**
 * The key path from an entity (or the document root) down to a node, built from the node's
 * parent chain: `/Properties/ContainerDefinitions/[name=web]/Image`. Used in baseline
 * fingerprints, so it names what a finding is about without depending on line numbers.
 *
 * - Mapping entries are their key (`~` and `/` escaped as in a JSON pointer: `~0`, `~1`).
 * - A list item that is a mapping with a scalar `name` / `Name` is `[name=<value>]`, so
 *   reordering containers or adding one does not change the path of the others; any other
 *   item is its index (`[2]`).
 * - `entity` says where the entity starts, and the walk stops at its node: with `keyed`, the
 *   node whose key starts there (a CloudFormation resource's body under its logical id);
 *   otherwise the key-less node that starts there (a Kubernetes object, also inside a List).
 * - A mapping key reported on its own has no parent link; it is written `@<key>`.
 */
export interface EntityStart {
  start: number;
  keyed: boolean;
}

export function keyPath(node: Node, entity?: EntityStart): string {
  const segments: string[] = [];
  let cur: Node = node;
  if (isScalar(cur) && cur.parent === undefined && cur.parentKey === undefined && !isRootOf(cur)) {
    return `@${escape(String(cur.value))}`;
  }
  for (let depth = 0; depth < 500; depth++) {
    if (entity && (entity.keyed ? cur.parentKey?.start === entity.start : cur.parentKey === undefined && cur.start === entity.start)) break;
    const parent = cur.parent;
    if (!parent) break;
    if (parent.kind === 'map') {
      segments.push(escape(String(cur.parentKey?.value ?? '?')));
    } else {
      const name = itemName(cur);
      segments.push(name !== undefined ? `[name=${escape(name)}]` : `[${indexIn(parent, cur)}]`);
    }
    cur = parent;
  }
  return segments.length ? `/${segments.reverse().join('/')}` : '';
}

/** Item positions of long lists, built once per list: `indexOf` per finding is quadratic on a list of thousands of items. */
const itemIndexes = new WeakMap<SeqNode, Map<Node, number>>();

function indexIn(seq: SeqNode, item: Node): number {
  if (seq.items.length <= 32) return seq.items.indexOf(item);
  let m = itemIndexes.get(seq);
  if (!m) {
    m = new Map();
    seq.items.forEach((n, i) => m!.has(n) || m!.set(n, i));
    itemIndexes.set(seq, m);
  }
  return m.get(item) ?? -1;
}

/** A scalar that is the root of its document (rare: a document that is just a value). */
function isRootOf(n: Node): boolean {
  // Keys and roots both have no parent; a key's range is followed by `:` (YAML) or `"...":` (JSON).
  const text = n.file.text;
  let i = n.end;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '"' || text[i] === "'")) i++;
  return text[i] !== ':';
}

function itemName(item: Node): string | undefined {
  if (!isMap(item)) return undefined;
  const n = item.get('name') ?? item.get('Name');
  if (!isScalar(n) || n.value === null || typeof n.value === 'object') return undefined;
  return String(n.value);
}

function escape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The path of what a rule reported: a node, a property (or, when absent, its owner plus its name) or an entity. */
export function targetPath(target: Node | Prop | Entity, entity: EntityStart | undefined): string {
  if (target instanceof Prop) {
    if (target.node !== undefined) return keyPath(target.node, entity);
    return `${keyPath(target.owner.node, entity)}/${escape(target.name)}`;
  }
  if (target instanceof Entity) return keyPath(target.props.node, entity);
  return keyPath(target, entity);
}
