import type { CfnResource } from '../../../model/cfn.js';
import type { Node } from '../../../parsers/tree.js';
import type { Obj, Prop } from '../../../model/value.js';

/** A part of a value that cannot be known (a parameter, an import, a condition, a malformed JSON string). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** A Ref/GetAtt to a resource of the same template. */
export class RefValue {
  constructor(
    readonly resource: CfnResource,
    readonly attribute?: string,
  ) {}
}

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain } | typeof UNKNOWN | RefValue;

export function isRecord(v: Plain | undefined): v is { [key: string]: Plain } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RefValue);
}

/**
 * The plain value of a property, its intrinsics resolved: parts that cannot be known are UNKNOWN,
 * references are RefValue, and a JSON string (a policy or event pattern written as text) is parsed
 * when `json` is set. Undefined when absent.
 */
export function plainOf(prop: Prop, json = false, depth = 0): Plain | undefined {
  const r = prop.res;
  switch (r.kind) {
    case 'absent':
      return undefined;
    case 'unknown':
      return UNKNOWN;
    case 'ref':
      return new RefValue(r.resource, r.attribute);
    case 'literal': {
      const v = r.value;
      if (json && typeof v === 'string' && /^\s*[{[]/.test(v)) return parseJson(v);
      return v;
    }
    case 'node': {
      if (depth > 40) return UNKNOWN;
      const o = prop.obj();
      if (o) return plainOfObj(o, depth + 1);
      const items = prop.list();
      if (!items) return UNKNOWN;
      const out: Plain[] = [];
      for (const i of items) {
        const v = plainOf(i, false, depth + 1);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
  }
}

export function plainOfObj(o: Obj, depth = 0): { [key: string]: Plain } {
  const out: { [key: string]: Plain } = {};
  for (const k of o.keys()) {
    const v = plainOf(o.prop(k), false, depth + 1);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function parseJson(text: string): Plain {
  try {
    return JSON.parse(text) as Plain;
  } catch {
    return UNKNOWN;
  }
}

/** A value's items: the value itself when it is not a list. */
export function itemsOf(v: Plain | undefined): Plain[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A key of a plain object, ignoring case (CloudFormation and JSON spellings alike). */
export function getCI(o: { [key: string]: Plain }, key: string): Plain | undefined {
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** One statement of a policy document and where a finding about it belongs. */
export interface Statement {
  value: { [key: string]: Plain };
  /** The statement's mapping, or the policy text when the policy is a JSON string. */
  where: Node;
  /** A key of the statement, when the policy is a located mapping. */
  keyWhere(key: string): Prop | undefined;
}

/**
 * The statements of a policy (a mapping, or a JSON string); a statement that cannot be known is
 * UNKNOWN; undefined when the policy or its Statement list cannot be known.
 */
export function statementsOf(policy: Prop): Array<Statement | typeof UNKNOWN> | undefined {
  if (!policy.surelyPresent || !policy.known) return undefined;
  const doc = policy.obj();
  if (doc) {
    const st = doc.prop('Statement');
    const single = st.obj();
    const items = single ? [st] : st.list();
    if (!items) return undefined;
    const out: Array<Statement | typeof UNKNOWN> = [];
    for (const i of items) {
      if (i.absent) continue;
      const o = i.surelyPresent ? i.obj() : undefined;
      if (!o) {
        out.push(UNKNOWN);
        continue;
      }
      out.push({ value: plainOfObj(o), where: o.anchor, keyWhere: (k) => o.prop(k) });
    }
    return out;
  }
  const v = plainOf(policy, true);
  if (!isRecord(v)) return undefined;
  const st = getCI(v, 'Statement');
  if (st === undefined || st === UNKNOWN) return undefined;
  const where = policy.where;
  return itemsOf(st).map((s) => (isRecord(s) ? { value: s, where, keyWhere: () => undefined } : UNKNOWN));
}
