/**
 * Validation of CloudFormation resources against their type's shape (src/rules/cfn/lib/spec.ts),
 * shared by cfn/unknown-resource-type, cfn/unknown-property, cfn/required-property,
 * cfn/property-type and cfn/allowed-values: one walk per template (cached), each rule keeps
 * the findings of its kind.
 *
 * Leniency, as CloudFormation itself: scalars convert (`"512"` for an integer, `true` or `5` for a
 * string, `"true"` for a boolean); an intrinsic function is accepted wherever a value may be one;
 * each `Fn::If` branch is checked on its own; `Ref: AWS::NoValue` removes a property; values that
 * cannot be known (`{{resolve:...}}`, rendering placeholders) are never judged.
 */
import { isMap, isScalar, isSeq, type MapNode, type Node, type ScalarNode } from '../../../parsers/tree.js';
import type { CfnResource, Template } from '../../../model/cfn.js';
import { key as keyName, renderMessage, type MessageData } from '../../../engine/rule.js';
import { didYouMean } from '../../lib/schema-findings.js';
import { isKnownResourceType, resourceSpec, resourceTypeNames, type ShapeSpec, type TypeSpec } from './spec.js';

export type CfnCheck = 'unknown-resource-type' | 'unknown-property' | 'required-property' | 'property-type' | 'allowed-values';

/** Messages of cfn/unknown-resource-type. */
export const UNKNOWN_RESOURCE_TYPE_MESSAGES = {
  unknownTypeHint: 'Resource "{{resource}}" has the type "{{type}}", which CloudFormation does not have; did you mean "{{hint}}"?',
  unknownType: 'Resource "{{resource}}" has the type "{{type}}", which CloudFormation does not have; use a documented AWS type, or Custom::<Name> for a custom resource.',
} as const;

/** Messages of cfn/unknown-property. */
export const UNKNOWN_PROPERTY_MESSAGES = {
  unknownPropertyHint: 'Resource "{{resource}}" sets "{{key}}", which {{owner}} does not have; did you mean "{{hint}}"?',
  unknownProperty: 'Resource "{{resource}}" sets "{{key}}", which {{owner}} does not have; remove it, or use one of {{allowed}}.',
} as const;

/** Messages of cfn/required-property. */
export const REQUIRED_PROPERTY_MESSAGES = {
  missing: 'Resource "{{resource}}" lacks "{{key}}", which {{owner}} requires; set it.',
  missingOneOf: 'Resource "{{resource}}" sets none of {{keys}}, and {{owner}} requires one of them; set one.',
} as const;

/** Messages of cfn/property-type. */
export const PROPERTY_TYPE_MESSAGES = {
  wrongType: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be {{expected}}.',
  notList: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be {{expected}}: put the value under a "-" item.',
  notSingleMapping: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be {{expected}}; write a single mapping, not a list.',
  notSingleValue: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be a string; write a single value.',
  notInteger: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be a whole number (for example 512).',
  notNumber: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be a number (for example 0.5).',
  notBoolean: 'Resource "{{resource}}" sets "{{key}}" to {{actual}}, but it must be a boolean; write true or false.',
} as const;

/** Messages of cfn/allowed-values. */
export const ALLOWED_VALUES_MESSAGES = {
  notAllowedHint: 'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which is not an allowed value; did you mean "{{hint}}"?',
  notAllowedOne: 'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which is not an allowed value; use "{{allowed}}".',
  notAllowed: 'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which is not an allowed value; use one of {{allowed}}.',
  apiNotAllowedHint: 'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which the ECS API does not accept; did you mean "{{hint}}"?',
  apiNotAllowedOne: 'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which the ECS API does not accept; use "{{allowed}}".',
  apiNotAllowed: 'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which the ECS API does not accept; use one of {{allowed}}.',
  networkModeDefault:
    'Resource "{{resource}}" sets "{{key}}" to "{{value}}", which the ECS API does not accept: for the default mode (bridge on Linux, nat on Windows), leave {{key}} out.',
  fargateSpotCompatibility:
    'Resource "{{resource}}" sets "{{key}}" to "{{value}}", a capacity provider; require FARGATE and choose FARGATE_SPOT in the service\'s {{strategy}}.',
  fargateSpotLaunchType:
    'Resource "{{resource}}" sets "{{key}}" to "{{value}}", a capacity provider, not a launch type; remove {{key}} and set {{strategy}} with {{provider}}: FARGATE_SPOT.',
} as const;

interface CheckMessages {
  'unknown-resource-type': typeof UNKNOWN_RESOURCE_TYPE_MESSAGES;
  'unknown-property': typeof UNKNOWN_PROPERTY_MESSAGES;
  'required-property': typeof REQUIRED_PROPERTY_MESSAGES;
  'property-type': typeof PROPERTY_TYPE_MESSAGES;
  'allowed-values': typeof ALLOWED_VALUES_MESSAGES;
}

const CHECK_MESSAGES: CheckMessages = {
  'unknown-resource-type': UNKNOWN_RESOURCE_TYPE_MESSAGES,
  'unknown-property': UNKNOWN_PROPERTY_MESSAGES,
  'required-property': REQUIRED_PROPERTY_MESSAGES,
  'property-type': PROPERTY_TYPE_MESSAGES,
  'allowed-values': ALLOWED_VALUES_MESSAGES,
};

/** A finding of one check: its message id (in that check's table) and the data the message takes. */
export type CfnFinding = {
  [C in CfnCheck]: { check: C; node: Node; messageId: keyof CheckMessages[C] & string; data: MessageData };
}[CfnCheck];

/** Transforms that AWS runs and whose effect on other resources is known (none). */
const KNOWN_TRANSFORMS = new Set(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions', 'AWS::CodeDeployBlueGreen', 'AWS::SecretsManager-2020-07-23', 'AWS::SecretsManager-2024-09-16']);

/** Types whose Properties are open: a custom resource passes any property to its provider. */
const OPEN_TYPES = new Set(['AWS::CloudFormation::CustomResource']);

/** Resource types CloudFormation accepts that the spec does not list. */
const EXTRA_TYPES = new Set(['AWS::CDK::Metadata']);

const cache = new WeakMap<Template, CfnFinding[]>();

/** The schema findings of a template (computed once, shared by the cfn schema rules). */
export function templateFindings(template: Template): CfnFinding[] {
  let out = cache.get(template);
  if (!out) {
    out = [];
    validateTemplate(template, out);
    cache.set(template, out);
  }
  return out;
}

/** The findings of one check in a template, typed by that check's message ids. */
export function findingsOf<C extends CfnCheck>(template: Template, check: C): Array<Extract<CfnFinding, { check: C }>> {
  return templateFindings(template).filter((f): f is Extract<CfnFinding, { check: C }> => f.check === check);
}

/** The longest a message may be. */
const MAX_MESSAGE = 200;

/**
 * A list of names for `{{list}}` of a message, quoted or not (`"A", "B" and 9 more`): as many as keep the
 * rendered message within 200 characters, and at least one.
 */
export function fitList(template: string, data: MessageData, list: string, names: readonly string[], quote: boolean): string {
  const items = names.map((n) => (quote ? `"${n}"` : n));
  const text = (count: number) => (count < items.length ? `${items.slice(0, count).join(', ')} and ${items.length - count} more` : items.join(', '));
  const fixed = renderMessage(template, { ...data, [list]: '' }, 'as-written').length;
  let count = items.length;
  while (count > 1 && fixed + text(count).length > MAX_MESSAGE) count--;
  return text(count);
}

/** Why the resources of a template are not validated at all, if they are not. */
export function skippedTemplate(template: Template): string | undefined {
  const names = [...template.transforms];
  // The long form `Transform: { Name: X, Parameters: {...} }` (alone or in a list).
  const tr = template.root.get('Transform');
  for (const t of isSeq(tr) ? tr.items : tr ? [tr] : []) {
    const name = isMap(t) ? t.get('Name') : undefined;
    if (isMap(t)) names.push(isScalar(name) && typeof name.value === 'string' ? name.value : '(computed)');
  }
  const macro = names.find((t) => !KNOWN_TRANSFORMS.has(t) && t !== 'AWS::Include');
  return macro ? `the macro ${macro} may rewrite the template` : undefined;
}

/** Registry (third-party) types `Org::Service::Type` and modules `Org::Service::Type::MODULE`. */
function isRegistryType(type: string): boolean {
  const parts = type.split('::');
  if (parts.length === 4 && parts[3] === 'MODULE') return true;
  return parts.length === 3 && parts[0] !== 'AWS' && parts[0] !== 'Alexa' && parts[0] !== 'Custom';
}

function validateTemplate(template: Template, out: CfnFinding[]): void {
  if (template.resources.size === 0 || skippedTemplate(template)) return;
  for (const res of template.resources.values()) {
    const typeNode = res.typeNode;
    if (!isScalar(typeNode) || typeof typeNode.value !== 'string' || res.type === '') continue;
    const type = res.type;
    if (type.startsWith('Custom::') || isRegistryType(type) || EXTRA_TYPES.has(type)) continue;
    if (!isKnownResourceType(type)) {
      out.push(unknownTypeFinding(res, typeNode));
      continue;
    }
    // Shapes known only after the SAM transform, and resources a macro rewrites.
    if (type.startsWith('AWS::Serverless::') || hasTransform(res.node, 0)) continue;
    const spec = resourceSpec(type);
    if (!spec) continue;
    const propsNode = res.node.get('Properties');
    const v = new Validator(template, res, out);
    if (propsNode === undefined || (isScalar(propsNode) && propsNode.value === null)) {
      // No Properties, or an empty `Properties:`.
      v.required(spec, undefined, propsNode === undefined ? res.key : res.node.pair('Properties')!.key, '');
      continue;
    }
    v.value(propsNode, { kind: 'object', name: type, shape: () => spec }, '', res.node.pair('Properties')!.key);
  }
}

function hasTransform(node: Node, depth: number): boolean {
  if (depth > 50) return false;
  if (isMap(node)) {
    for (let i = 0; i < node.size; i++) {
      if (node.keyAt(i).value === 'Fn::Transform') return true;
      if (hasTransform(node.valueAt(i), depth + 1)) return true;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) if (hasTransform(item, depth + 1)) return true;
  }
  return false;
}

function unknownTypeFinding(res: CfnResource, node: Node): CfnFinding {
  const type = res.type;
  const lower = type.toLowerCase();
  const ns = type.split('::').slice(0, 2).join('::').toLowerCase() + '::';
  const names = resourceTypeNames();
  let hint = names.find((n) => n.toLowerCase() === lower);
  if (!hint) {
    const same = names.filter((n) => n.toLowerCase().startsWith(ns));
    hint = didYouMean(type, same.length ? same : names);
  }
  const data = { resource: res.logicalId, type };
  return hint
    ? { check: 'unknown-resource-type', node, messageId: 'unknownTypeHint', data: { ...data, hint } }
    : { check: 'unknown-resource-type', node, messageId: 'unknownType', data };
}

const INTRINSIC = (k: string | undefined) => k !== undefined && (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::'));

function typeWords(t: TypeSpec): string {
  switch (t.kind) {
    case 'string':
    case 'timestamp':
      return 'a string';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'json':
      return 'a JSON object or string';
    case 'list':
      return `a list of ${plural(t.of)}`;
    case 'map':
      return 'a mapping';
    case 'enum':
      return 'one of the allowed values';
    case 'union':
      return [...new Set(t.of.map(typeWords))].join(' or ');
    case 'object':
      return `a mapping (${t.name === 'Tag' ? 'a tag with Key and Value' : shortName(t.name)})`;
  }
}

function plural(t: TypeSpec): string {
  switch (t.kind) {
    case 'string':
    case 'timestamp':
    case 'enum':
      return 'strings';
    case 'integer':
      return 'whole numbers';
    case 'number':
      return 'numbers';
    case 'boolean':
      return 'booleans';
    case 'object':
      return t.name === 'Tag' ? 'tags' : `${shortName(t.name)} objects`;
    default:
      return 'values';
  }
}

function shortName(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(dot + 1).replace(/#\d+$/, '') : name;
}

function isWhat(n: Node): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  const v = n.value;
  if (typeof v === 'boolean') return `the boolean ${String(v)}`;
  if (typeof v === 'number') return `the number ${sourceText(n)}`;
  return `the string ${JSON.stringify(shorten(String(v)))}`;
}

function shorten(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function sourceText(n: Node): string {
  return shorten(n.file.text.slice(n.start, n.end).trim());
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * An unquoted YAML 1.1 boolean word (`yes`, `off`): a string in the located tree (YAML 1.2), a
 * boolean to a YAML 1.1 reader. Either reading is accepted.
 */
function yaml11Bool(n: ScalarNode): 'true' | 'false' | undefined {
  if (n.file.syntax !== 'yaml' || n.quoted || typeof n.value !== 'string' || !YAML11_BOOL.test(n.value)) return undefined;
  return /^(?:y|yes|on)$/i.test(n.value) ? 'true' : 'false';
}

/** A scalar's text as CloudFormation converts it. */
function scalarText(n: ScalarNode): string | undefined {
  const v = n.value;
  return v === null ? undefined : String(v);
}

class Validator {
  constructor(
    private readonly template: Template,
    private readonly res: CfnResource,
    private readonly out: CfnFinding[],
  ) {}

  /** The key path of a value, for messages (`Properties` for the whole of it). */
  private where(path: string): MessageData[string] {
    return keyName(path || 'Properties');
  }

  /** Report a finding; `allowed`, when given, fills `{{allowed}}` with as many of its names as fit. */
  private report<C extends CfnCheck>(check: C, node: Node, messageId: keyof CheckMessages[C] & string, data: MessageData, allowed?: readonly string[]): void {
    const all: MessageData = { resource: this.res.logicalId, ...data };
    if (allowed) all['allowed'] = fitList(CHECK_MESSAGES[check][messageId] as string, all, 'allowed', allowed, true);
    this.out.push({ check, node, messageId, data: all } as CfnFinding);
  }

  /** Check a value against a type. `key` is the value's key node (for positions of missing keys). */
  value(node: Node, type: TypeSpec, path: string, key: Node | undefined, depth = 0): void {
    if (depth > 60) return;
    if (isMap(node) && INTRINSIC(node.soleKey)) {
      const fn = node.soleKey!;
      if (fn === 'Fn::If') {
        const arg = node.valueAt(0);
        if (isSeq(arg) && arg.items.length === 3) {
          for (const branch of arg.items.slice(1)) if (!this.noValue(branch)) this.value(branch, type, path, key, depth + 1);
        }
      }
      return; // any other function: its result is accepted wherever a value may be one
    }
    if (isScalar(node)) {
      if (node.value === null) return; // an empty value: CloudFormation's own message is clearer
      const r = this.template.resolve(node);
      if (r.kind === 'unknown') return;
    }
    switch (type.kind) {
      case 'json':
        return;
      case 'string':
      case 'timestamp':
        if (!isScalar(node)) this.typeError(node, type, path);
        return;
      case 'integer':
      case 'number': {
        if (!isScalar(node)) return this.typeError(node, type, path);
        const text = typeof node.value === 'boolean' ? undefined : scalarText(node)?.trim();
        const n = text === undefined || text === '' ? NaN : Number(text);
        if (!Number.isFinite(n) || (type.kind === 'integer' && !Number.isInteger(n))) this.typeError(node, type, path);
        return;
      }
      case 'boolean': {
        if (!isScalar(node)) return this.typeError(node, type, path);
        const v = node.value;
        if (typeof v === 'boolean') return;
        if (typeof v === 'string' && /^(true|false)$/i.test(v)) return;
        if (yaml11Bool(node) !== undefined) return;
        this.typeError(node, type, path);
        return;
      }
      case 'enum': {
        // A set from the ECS API applies to strings; a mapping or list there is a type error of a string.
        if (!isScalar(node)) return this.typeError(node, type.api ? { kind: 'string' } : type, path);
        const text = scalarText(node);
        if (text === undefined || type.values.some((v) => String(v) === text)) return;
        // The ECS API's case rules are not documented: another case of an allowed value is left alone.
        if (type.api && type.values.some((v) => String(v).toLowerCase() === text.toLowerCase())) return;
        const asBool = yaml11Bool(node);
        if (asBool !== undefined && type.values.some((v) => String(v) === asBool)) return;
        const values = type.values.map(String);
        const hint = values.find((v) => v.toLowerCase() === text.toLowerCase()) ?? didYouMean(text, values);
        if (text.toUpperCase() === 'FARGATE_SPOT' && values.includes('FARGATE')) {
          const data = { key: this.where(path), value: quoted(text), strategy: keyName('CapacityProviderStrategy') };
          if (type.api === 'Compatibility') this.report('allowed-values', node, 'fargateSpotCompatibility', data);
          else this.report('allowed-values', node, 'fargateSpotLaunchType', { ...data, provider: keyName('CapacityProvider') });
          return;
        }
        const special = type.api ? API_SPECIAL_VALUES[`${type.api}:${text.toLowerCase()}`] : undefined;
        const data = { key: this.where(path), value: quoted(shorten(text)) };
        if (special) this.report('allowed-values', node, special, data);
        else if (hint) this.report('allowed-values', node, type.api ? 'apiNotAllowedHint' : 'notAllowedHint', { ...data, hint });
        else if (values.length === 1) this.report('allowed-values', node, type.api ? 'apiNotAllowedOne' : 'notAllowedOne', { ...data, allowed: values[0]! });
        else this.report('allowed-values', node, type.api ? 'apiNotAllowed' : 'notAllowed', data, values);
        return;
      }
      case 'list': {
        if (!isSeq(node)) return this.typeError(node, type, path);
        node.items.forEach((item, i) => {
          if (!this.noValue(item)) this.value(item, type.of, `${path}[${i}]`, undefined, depth + 1);
        });
        return;
      }
      case 'map': {
        if (!isMap(node)) return this.typeError(node, type, path);
        for (let i = 0; i < node.size; i++) {
          const k = node.keyAt(i);
          const v = node.valueAt(i);
          if (!this.noValue(v)) this.value(v, type.of, join(path, String(k.value)), k, depth + 1);
        }
        return;
      }
      case 'union': {
        // Valid when one member accepts it; otherwise report what the closest member says.
        let best: CfnFinding[] | undefined;
        for (const member of type.of) {
          const trial: CfnFinding[] = [];
          new Validator(this.template, this.res, trial).value(node, member, path, key, depth + 1);
          if (trial.length === 0) return;
          const shapeMatch = trial.every((f) => f.check !== 'property-type' || f.node !== node);
          if (shapeMatch && (!best || trial.length < best.length)) best = trial;
        }
        if (best) this.out.push(...best);
        else this.typeError(node, type, path);
        return;
      }
      case 'object': {
        const shape = type.shape();
        if (!shape) return;
        if (!isMap(node)) return this.typeError(node, type, path);
        this.object(node, shape, path, key ?? node.anchor, depth);
        return;
      }
    }
  }

  private noValue(node: Node): boolean {
    if (!isMap(node) || node.soleKey !== 'Ref') return false;
    const arg = node.valueAt(0);
    return isScalar(arg) && arg.value === 'AWS::NoValue';
  }

  private object(node: MapNode, shape: ShapeSpec, path: string, anchor: Node, depth: number): void {
    // `Fn::ForEach::x` (AWS::LanguageExtensions) generates keys: the object's keys are not known.
    for (let i = 0; i < node.size; i++) if (String(node.keyAt(i).value).startsWith('Fn::')) return;
    for (let i = 0; i < node.size; i++) {
      const k = node.keyAt(i);
      const name = String(k.value);
      const v = node.valueAt(i);
      const t = shape.props.get(name);
      if (t === undefined) {
        if (OPEN_TYPES.has(shape.name)) continue;
        const hint = didYouMean(name, shape.props.keys());
        const owner = shape.name === this.res.type ? this.res.type : `${shortName(shape.name)} (${this.res.type})`;
        const data = { key: this.where(join(path, name)), owner };
        if (hint) this.report('unknown-property', k, 'unknownPropertyHint', { ...data, hint: keyName(hint) });
        else this.report('unknown-property', k, 'unknownProperty', data, [...shape.props.keys()]);
        continue;
      }
      if (this.noValue(v)) continue;
      this.value(v, t, join(path, name), k, depth + 1);
    }
    this.required(shape, node, anchor, path);
  }

  /** Report required properties that are surely missing (absent, or `AWS::NoValue` in every case). */
  required(shape: ShapeSpec, node: MapNode | undefined, anchor: Node, path: string): void {
    for (const name of shape.required) {
      const v = node?.get(name);
      if (v !== undefined) {
        if (!this.noValue(v)) continue; // present (an Fn::If that may remove it is not a sure miss)
      } else if (node && node.pairCI(name)) {
        continue; // the same name in another case: cfn/unknown-property says so, with the right spelling
      }
      const what = shape.name === this.res.type ? `${this.res.type}` : `${shortName(shape.name)} (${this.res.type})`;
      this.report('required-property', anchor, 'missing', { key: this.where(join(path, name)), owner: what });
    }
    for (const group of shape.oneOf ?? []) {
      if (node && group.some((name) => node.pairCI(name) !== undefined)) continue; // set (or set under a condition, or misspelt)
      const what = shape.name === this.res.type ? `${this.res.type}` : `${shortName(shape.name)} (${this.res.type})`;
      const names = group.map((n) => `"${n}"`);
      this.report('required-property', anchor, 'missingOneOf', { keys: `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`, owner: what });
    }
  }

  private typeError(node: Node, type: TypeSpec, path: string): void {
    const at = isScalar(node) ? node : node.anchor;
    let id: keyof typeof PROPERTY_TYPE_MESSAGES = 'wrongType';
    if (type.kind === 'list' && (isScalar(node) || isMap(node))) id = 'notList';
    else if (type.kind === 'object' && isSeq(node)) id = 'notSingleMapping';
    else if (type.kind === 'string' && !isScalar(node)) id = 'notSingleValue';
    else if (type.kind === 'integer') id = 'notInteger';
    else if (type.kind === 'number') id = 'notNumber';
    else if (type.kind === 'boolean') id = 'notBoolean';
    this.report('property-type', at, id, { key: this.where(path), actual: isWhat(node), expected: typeWords(type) });
  }
}

/** Values people write for what the ECS API spells otherwise (enum name:value in lower case), with the message that says what to do instead. */
const API_SPECIAL_VALUES: Record<string, keyof typeof ALLOWED_VALUES_MESSAGES> = {
  'NetworkMode:default': 'networkModeDefault',
  'NetworkMode:<default>': 'networkModeDefault',
};

/** A value's text for a message between quotes: escaped as JSON, without the quotes. */
function quoted(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
