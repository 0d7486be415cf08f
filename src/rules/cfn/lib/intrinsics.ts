/**
 * Checks of CloudFormation intrinsic functions (cfn/intrinsic-function): references to names the
 * template does not define (Ref, Fn::GetAtt, Fn::Sub variables, Fn::FindInMap, conditions),
 * Fn::GetAtt attributes the resource type does not have, and functions of the wrong shape.
 *
 * One walk per template (cached). The walk covers what CloudFormation resolves: every resource
 * (Properties, Metadata, UpdatePolicy, ..., the resource's Condition), Outputs and Conditions;
 * the Parameters, Mappings, Rules and top-level Metadata sections are left alone.
 *
 * Left alone as unknown: names a transform may define (the SAM transform generates resources
 * such as `<Function>Role` or `ServerlessRestApi`; a macro or `Fn::Transform` may add anything),
 * names a `Fn::ForEach` loop generates (`Topic${Name}`), loop identifiers inside a loop body,
 * arguments computed by other functions, and attributes of types outside the resource spec
 * (custom resources, registry types, `AWS::Serverless::*`, nested stacks' `Outputs.<Name>`).
 */
import { isMap, isScalar, isSeq, type MapNode, type Node, ScalarNode } from '../../../parsers/tree.js';
import type { CfnResource, Template } from '../../../model/cfn.js';
import { didYouMean } from '../../lib/schema-findings.js';
import { attributes } from './spec.js';
import { fitList, skippedTemplate } from './validate.js';
import type { MessageData } from '../../../engine/rule.js';
import { bracedPieces, hasBracedPiece, splitOnPieces } from '../../../parsers/text-scan.js';
import { partsMatch } from '../../../engine/glob.js';

export type IntrinsicCheck =
  /** Ref to a name the template does not define. */
  | 'ref'
  /** Fn::GetAtt to a resource the template does not define. */
  | 'getatt'
  /** Fn::GetAtt (or `${Res.Attr}`) to an attribute the resource type does not have. */
  | 'attribute'
  /** Fn::Sub variable that resolves to nothing. */
  | 'sub'
  /** Fn::FindInMap into a missing map or key. */
  | 'findinmap'
  /** A condition name that the template does not define. */
  | 'condition'
  /** A function of the wrong arity or shape. */
  | 'shape';

/** Messages of cfn/intrinsic-function. `{{kind}} "{{name}}"` is what holds the value: `Resource "X"`, `Output "Y"`, `Condition "Z"`. */
export const INTRINSIC_FUNCTION_MESSAGES = {
  forEachShape: '{{kind}} "{{name}}" is malformed: Fn::ForEach takes [identifier, collection, output template].',
  dependsOnParameter: '{{kind}} "{{name}}" depends on "{{target}}" (DependsOn), which is a parameter, not a resource.',
  dependsOnUndefinedHint: '{{kind}} "{{name}}" depends on "{{target}}" (DependsOn), which this template does not define as a resource; did you mean "{{hint}}"?',
  dependsOnUndefined: '{{kind}} "{{name}}" depends on "{{target}}" (DependsOn), which this template does not define as a resource; define it or fix the name.',
  notACondition: '{{kind}} "{{name}}" is {{actual}}, not a condition; define it with Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition (for a "true"/"false" parameter, !Equals [!Ref Param, "true"]).',
  unknownFunctionHint: '{{kind}} "{{name}}" uses "{{fn}}", which is not a CloudFormation function; did you mean "{{hint}}"?',
  unknownFunction: '{{kind}} "{{name}}" uses "{{fn}}", which is not a CloudFormation function.',
  andOrArity: '{{kind}} "{{name}}" uses {{fn}} with {{actual}}; {{fn}} takes a list of 2 to 10 conditions.',
  notArity: '{{kind}} "{{name}}" uses Fn::Not with {{actual}}; Fn::Not takes a list of exactly one condition.',
  refShape: '{{kind}} "{{name}}" uses Ref with {{actual}}; Ref takes the name of a parameter, resource or pseudo parameter as a string.',
  refResourceInConditions: '{{kind}} "{{name}}" refers to the resource "{{target}}" (Ref); conditions are evaluated before resources exist and may refer only to parameters and pseudo parameters.',
  refNotPseudoHint: '{{kind}} "{{name}}" refers to "{{target}}", which is not a pseudo parameter; did you mean "{{hint}}"?',
  refNotPseudo: '{{kind}} "{{name}}" refers to "{{target}}", which is not a pseudo parameter; use one of {{allowed}}.',
  refWithVariables: '{{kind}} "{{name}}" uses Ref with "{{target}}", a string with ${} variables; Ref takes a name only: use Fn::Sub to build the string.',
  refToAttribute: '{{kind}} "{{name}}" uses Ref with "{{target}}", a resource attribute; use Fn::GetAtt (!GetAtt {{target}}) to read an attribute.',
  refUndefinedHint: '{{kind}} "{{name}}" refers to "{{target}}" (Ref), which the template does not define; did you mean "{{hint}}"?',
  refUndefined: '{{kind}} "{{name}}" refers to "{{target}}" (Ref), which the template does not define; define it as a parameter or resource, or fix the name.',
  getAttNoAttribute: '{{kind}} "{{name}}" uses !GetAtt "{{target}}" without an attribute; write !GetAtt <logical id>.<attribute>.',
  getAttShape: '{{kind}} "{{name}}" uses Fn::GetAtt with {{actual}}; Fn::GetAtt takes [logical id, attribute name].',
  getAttNoDot: '{{kind}} "{{name}}" uses Fn::GetAtt with "{{target}}", which names no attribute; write "<logical id>.<attribute>" or [logical id, attribute].',
  getAttIdNotString: '{{kind}} "{{name}}" uses Fn::GetAtt with a logical id that is not a string; write the resource\'s logical id.',
  getAttResourceInConditions: '{{kind}} "{{name}}" reads an attribute of the resource "{{target}}" (Fn::GetAtt); conditions are evaluated before resources exist and may refer only to parameters and pseudo parameters.',
  getAttParameter: '{{kind}} "{{name}}" reads an attribute of "{{target}}" (Fn::GetAtt), which is a parameter, not a resource; use Ref {{target}} for its value.',
  getAttUndefinedHint: '{{kind}} "{{name}}" reads an attribute of "{{target}}" (Fn::GetAtt), which this template does not define as a resource; did you mean "{{hint}}"?',
  getAttUndefined: '{{kind}} "{{name}}" reads an attribute of "{{target}}" (Fn::GetAtt), which this template does not define as a resource; define it or fix the name.',
  noAttributes: '{{kind}} "{{name}}" reads the attribute "{{attribute}}" of "{{target}}" ({{via}}), but {{type}} has no attributes; use Ref {{target}} instead.',
  unknownAttributeHint: '{{kind}} "{{name}}" reads the attribute "{{attribute}}" of "{{target}}" ({{via}}), which {{type}} does not have; did you mean "{{hint}}"?',
  unknownAttribute: '{{kind}} "{{name}}" reads the attribute "{{attribute}}" of "{{target}}" ({{via}}), which {{type}} does not have; its attributes are {{allowed}}.',
  conditionNotString: '{{kind}} "{{name}}" names its condition ({{via}}) with {{actual}}; a condition is named by a string.',
  conditionUndefinedHint: '{{kind}} "{{name}}" uses the condition "{{condition}}" ({{via}}), which the Conditions section does not define; did you mean "{{hint}}"?',
  conditionUndefined: '{{kind}} "{{name}}" uses the condition "{{condition}}" ({{via}}), which the Conditions section does not define; define it or fix the name.',
  subShape: '{{kind}} "{{name}}" uses Fn::Sub with {{actual}}; Fn::Sub takes a string, or [string, variable map].',
  subVariableMap: '{{kind}} "{{name}}" uses Fn::Sub with a variable map that is {{actual}}; the second item must be a mapping of variable names to values.',
  subInvalidName: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, which is not a valid variable (only letters, digits, _, . and :); write "{{literal}}" to keep it literal.',
  subNotPseudoHint: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, and "{{target}}" is not a pseudo parameter; did you mean "{{hint}}"?',
  subNotPseudo: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, and "{{target}}" is not a pseudo parameter.',
  subParameterAttribute: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, but "{{target}}" is a parameter, which has no attributes; write "{{literal}}".',
  subUndefinedResourceHint: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, and the template defines no resource "{{target}}"; did you mean "{{hint}}"?',
  subUndefinedResource: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, and the template defines no resource "{{target}}"; define it or fix the name.',
  subUndefinedHint: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, but nothing defines "{{target}}"; did you mean "{{hint}}"?',
  subUndefined: '{{kind}} "{{name}}" uses "{{variable}}" in Fn::Sub, but nothing defines "{{target}}"; define it, or write "{{literal}}" for literal text.',
  findInMapShape: '{{kind}} "{{name}}" uses Fn::FindInMap with {{actual}}; Fn::FindInMap takes [map name, top-level key, second-level key].',
  findInMapArity: '{{kind}} "{{name}}" uses Fn::FindInMap with {{actual}}; it takes [map name, top-level key, second-level key] and, with AWS::LanguageExtensions, an options map.',
  mapUndefinedHint: '{{kind}} "{{name}}" looks up the map "{{map}}" (Fn::FindInMap), which the Mappings section does not define; did you mean "{{hint}}"?',
  mapUndefined: '{{kind}} "{{name}}" looks up the map "{{map}}" (Fn::FindInMap), which the Mappings section does not define.',
  noMappings: '{{kind}} "{{name}}" looks up the map "{{map}}" (Fn::FindInMap), but the template has no Mappings.',
  topKeyMissingHint: '{{kind}} "{{name}}" looks up the key "{{top}}" in the map "{{map}}" (Fn::FindInMap), which has no such top-level key; did you mean "{{hint}}"?',
  topKeyMissing: '{{kind}} "{{name}}" looks up the key "{{top}}" in the map "{{map}}" (Fn::FindInMap), which has no such top-level key; its keys are {{allowed}}.',
  secondKeyMissingHint: '{{kind}} "{{name}}" looks up "{{top}}" / "{{second}}" in the map "{{map}}" (Fn::FindInMap), and "{{top}}" has no key "{{second}}"; did you mean "{{hint}}"?',
  secondKeyMissing: '{{kind}} "{{name}}" looks up "{{top}}" / "{{second}}" in the map "{{map}}" (Fn::FindInMap), and "{{top}}" has no key "{{second}}"; its keys are {{allowed}}.',
  secondKeyNowhereHint: '{{kind}} "{{name}}" looks up the second-level key "{{second}}" in the map "{{map}}" (Fn::FindInMap), which no entry of the map has; did you mean "{{hint}}"?',
  secondKeyNowhere: '{{kind}} "{{name}}" looks up the second-level key "{{second}}" in the map "{{map}}" (Fn::FindInMap), which no entry of the map has.',
  ifShape: '{{kind}} "{{name}}" uses Fn::If with {{actual}}; Fn::If takes [condition name, value if true, value if false].',
  pairShape: '{{kind}} "{{name}}" uses {{fn}} with {{actual}}; {{fn}} takes {{signature}}.',
  splitNotString: '{{kind}} "{{name}}" uses Fn::Split wrongly: its second item must be a string (or a function that returns one), not a list; Fn::Split takes [delimiter, string].',
  joinDelimiter: '{{kind}} "{{name}}" uses Fn::Join wrongly: its delimiter must be a string; Fn::Join takes [delimiter, list of values].',
  joinListString: '{{kind}} "{{name}}" uses Fn::Join wrongly: its second item must be a list of values (or a function that returns one), not a string.',
  joinListMapping: '{{kind}} "{{name}}" uses Fn::Join wrongly: its second item must be a list of values, not a mapping; Fn::Join takes [delimiter, list of values].',
  selectIndex: '{{kind}} "{{name}}" uses Fn::Select wrongly: its index {{index}} is not a whole number; Fn::Select takes [index, list].',
  selectPastEnd: '{{kind}} "{{name}}" uses Fn::Select wrongly: its index {{index}} is past the end of the {{count}}-item list.',
  selectListString: '{{kind}} "{{name}}" uses Fn::Select wrongly: its second item must be a list (or a function that returns one), not a string; Fn::Select takes [index, list].',
} as const;

export type IntrinsicMessageId = keyof typeof INTRINSIC_FUNCTION_MESSAGES;

export interface IntrinsicFinding {
  check: IntrinsicCheck;
  node: Node;
  messageId: IntrinsicMessageId;
  data: MessageData;
}

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];
const PSEUDO = new Set(PSEUDO_PARAMETERS);

const SAM = 'AWS::Serverless-2016-10-31';
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

/** A name a loop may generate or hold: `${Id}` / `&{Id}` placeholders. */
const isLoopPlaceholder = (s: string) => hasBracedPiece(s, '$&');
/** `[A-Za-z0-9]`: the characters of a logical id. */
const isIdChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The functions CloudFormation (with its AWS::LanguageExtensions transform) knows. */
const FUNCTIONS = new Set([
  'Fn::And',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Equals',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::GetStackOutput',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Length',
  'Fn::Not',
  'Fn::Or',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::ToJsonString',
  'Fn::Transform',
  // Rules-section functions (also accepted by the parser elsewhere).
  'Fn::Contains',
  'Fn::EachMemberEquals',
  'Fn::EachMemberIn',
  'Fn::RefAll',
  'Fn::ValueOf',
  'Fn::ValueOfAll',
]);

/** Names in Fn::Sub: letters, digits, `_`, `.`, `:` (CloudFormation rejects anything else). */
const SUB_NAME = /^[A-Za-z0-9_.:]+$/;

/** Who holds a value, for messages: `Resource "X"`, `Output "Y"`, `Condition "Z"`, `Resources loop "L"`. */
interface Owner {
  kind: string;
  name: string;
}

interface Ctx {
  owner: Owner;
  /** Identifiers of the enclosing Fn::ForEach loops. */
  loopIds: ReadonlySet<string> | undefined;
  /** Inside Conditions (or Fn::And/Or/Not): `{ Condition: Name }` is a condition reference. */
  conditionContext: boolean;
  /** In the Conditions section: resources do not exist yet. */
  inConditions?: boolean;
}

/** What is wrong with a function's arguments: a message id and its data (besides the owner). */
interface Problem {
  id: IntrinsicMessageId;
  data?: MessageData;
}

const cache = new WeakMap<Template, IntrinsicFinding[]>();

/** The intrinsic-function findings of a template (computed once per template). */
export function intrinsicFindings(template: Template): IntrinsicFinding[] {
  let out = cache.get(template);
  if (!out) {
    out = new Checker(template).run();
    cache.set(template, out);
  }
  return out;
}

/** Candidates that did-you-mean hints may compare per template (a few hundred milliseconds at most). */
const SUGGESTION_BUDGET = 500_000;

class Checker {
  private readonly out: IntrinsicFinding[] = [];
  /** A transform or macro may define names the template does not state. */
  private readonly namesOpen: boolean;
  /** Conditions may be defined by a macro. */
  private readonly conditionsOpen: boolean;
  private readonly languageExtensions: boolean;
  /** Where each `${...}` of a Fn::Sub string is in its source (`locate`), by scalar and piece text. */
  private readonly located = new Map<ScalarNode, Map<string, number[] | null>>();
  /** Logical ids and condition names that Fn::ForEach loops generate, as matchers. */
  private readonly generated: Array<(name: string) => boolean> = [];

  constructor(private readonly t: Template) {
    const text = t.file.text;
    const tr = t.root.get('Transform');
    const oddTransform = tr !== undefined && !(isScalar(tr) && typeof tr.value === 'string') && !(isSeq(tr) && tr.items.every((i) => isScalar(i) && typeof i.value === 'string'));
    const macro = oddTransform || skippedTemplate(t) !== undefined || text.includes('Fn::Transform') || text.includes('!Transform');
    this.namesOpen = macro || t.transforms.includes(SAM);
    this.conditionsOpen = macro;
    this.languageExtensions = t.transforms.includes(LANGUAGE_EXTENSIONS);
  }

  run(): IntrinsicFinding[] {
    const root = this.t.root;
    for (const section of ['Resources', 'Outputs', 'Conditions']) {
      const s = root.get(section);
      if (isMap(s)) this.collectGenerated(s, 0);
    }
    // A registry module (`Org::Service::Thing::MODULE`) expands into resources whose logical ids start with its own.
    for (const res of this.t.resources.values()) if (res.type.endsWith('::MODULE')) {
        const id = res.logicalId;
        this.generated.push((name) => name.length > id.length && name.startsWith(id) && allOf(name.slice(id.length), isIdChar));
      }
    const resources = root.get('Resources');
    if (isMap(resources)) this.section(resources, 'Resource', (node, ctx) => this.resource(node, ctx), undefined);
    const outputs = root.get('Outputs');
    if (isMap(outputs)) this.section(outputs, 'Output', (node, ctx) => this.output(node, ctx), undefined);
    const conditions = root.get('Conditions');
    const condition = (node: Node, ctx: Ctx) => {
      if (!ctx.loopIds && !this.conditionsOpen) this.conditionEntry(node, ctx);
      this.walk(node, { ...ctx, conditionContext: true, inConditions: true });
    };
    if (isMap(conditions)) this.section(conditions, 'Condition', condition, undefined);
    return this.out;
  }

  // ------------------------------------------------------------ sections

  /** The entries of a section, with Fn::ForEach loops (LanguageExtensions) opened. */
  private section(map: MapNode, what: string, each: (node: Node, ctx: Ctx) => void, loopIds: ReadonlySet<string> | undefined): void {
    for (let i = 0; i < map.size; i++) {
      const name = String(map.keyAt(i).value);
      const value = map.valueAt(i);
      if (name.startsWith('Fn::ForEach::')) {
        this.forEach(map.keyAt(i), value, { kind: `${what}s loop`, name: name.slice('Fn::ForEach::'.length) }, loopIds, (body, ids) => {
          if (isMap(body)) this.section(body, what, each, ids);
        });
        continue;
      }
      each(value, { owner: { kind: what, name }, loopIds, conditionContext: false });
    }
  }

  /** `Fn::ForEach::Name: [Identifier, Collection, OutputTemplate]`. */
  private forEach(key: ScalarNode, value: Node, owner: Owner, loopIds: ReadonlySet<string> | undefined, body: (node: Node, ids: ReadonlySet<string>) => void): void {
    if (!isSeq(value) || value.items.length !== 3 || !isScalar(value.items[0])) {
      this.report('shape', key, 'forEachShape', owner);
      return;
    }
    const ids = new Set(loopIds ?? []);
    ids.add(String(value.items[0].value));
    this.walk(value.items[1]!, { owner, loopIds, conditionContext: false });
    body(value.items[2]!, ids);
  }

  private resource(node: Node, ctx: Ctx): void {
    if (!isMap(node)) return;
    for (let i = 0; i < node.size; i++) {
      const k = node.keyAt(i).value;
      const v = node.valueAt(i);
      if (k === 'Type') continue;
      if (k === 'DependsOn') this.dependsOn(v, ctx);
      else if (k === 'Condition') this.conditionName(v, ctx, 'Condition');
      else this.walk(v, ctx);
    }
  }

  /** `DependsOn: Name` or `DependsOn: [A, B]`: resources of the template. */
  private dependsOn(node: Node, ctx: Ctx): void {
    const names = isSeq(node) ? node.items : [node];
    for (const n of names) {
      if (!isScalar(n) || typeof n.value !== 'string') continue;
      const name = n.value;
      if (this.t.resources.has(name) || this.inLoop(name, ctx) || this.namesOpen || this.isGenerated(name)) continue;
      if (this.t.parameters.has(name)) {
        this.report('ref', n, 'dependsOnParameter', ctx.owner, { target: name });
        continue;
      }
      const hint = this.suggestion(name, this.t.resources.keys());
      if (hint) this.report('ref', n, 'dependsOnUndefinedHint', ctx.owner, { target: name, hint });
      else this.report('ref', n, 'dependsOnUndefined', ctx.owner, { target: name });
    }
  }

  /** A Conditions entry is a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition). */
  private conditionEntry(node: Node, ctx: Ctx): void {
    if (isMap(node)) {
      const fn = node.soleKey;
      if (fn === 'Fn::Equals' || fn === 'Fn::And' || fn === 'Fn::Or' || fn === 'Fn::Not' || fn === 'Condition') return;
      if (fn === undefined && [...Array(node.size).keys()].some((i) => String(node.keyAt(i).value).startsWith('Fn::ForEach::'))) return;
      const at = fn !== undefined ? node.keyAt(0) : node.anchor;
      this.report('shape', at, 'notACondition', ctx.owner, { actual: fn ? `a ${fn}` : 'a mapping' });
    } else if (isSeq(node)) {
      this.report('shape', node.anchor, 'notACondition', ctx.owner, { actual: 'a list' });
    }
  }

  private output(node: Node, ctx: Ctx): void {
    if (!isMap(node)) return;
    for (let i = 0; i < node.size; i++) {
      const k = node.keyAt(i).value;
      const v = node.valueAt(i);
      if (k === 'Condition') this.conditionName(v, ctx, 'Condition');
      else this.walk(v, ctx);
    }
  }

  // ------------------------------------------------------------ walk

  private walk(node: Node, ctx: Ctx, depth = 0): void {
    if (depth > 100) return;
    if (isSeq(node)) {
      for (const item of node.items) this.walk(item, ctx, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    const fn = node.soleKey;
    if (fn !== undefined && (fn === 'Ref' || fn.startsWith('Fn::') || (fn === 'Condition' && ctx.conditionContext)) && !fn.startsWith('Fn::ForEach::')) {
      this.fn(node, fn, node.valueAt(0), ctx, depth);
      return;
    }
    for (let i = 0; i < node.size; i++) {
      const key = node.keyAt(i);
      const value = node.valueAt(i);
      if (typeof key.value === 'string' && key.value.startsWith('Fn::ForEach::')) {
        this.forEach(key, value, ctx.owner, ctx.loopIds, (body, ids) => this.walk(body, { ...ctx, loopIds: ids }, depth + 1));
        continue;
      }
      this.walk(value, ctx, depth + 1);
    }
  }

  private fn(node: MapNode, fn: string, arg: Node, ctx: Ctx, depth: number): void {
    const key = node.keyAt(0);
    const walkArg = (c: Ctx = ctx) => this.walk(arg, c, depth + 1);
    switch (fn) {
      case 'Ref':
        this.ref(key, arg, ctx);
        if (!isScalar(arg)) walkArg();
        return;
      case 'Condition':
        this.conditionName(arg, ctx, 'Condition');
        return;
      case 'Fn::GetAtt':
        this.getAtt(key, arg, ctx, node.shortTag !== undefined);
        walkArg();
        return;
      case 'Fn::Sub':
        this.sub(key, arg, ctx);
        walkArg();
        return;
      case 'Fn::FindInMap':
        this.findInMap(key, arg, ctx);
        walkArg();
        return;
      case 'Fn::If':
        this.ifFn(key, arg, ctx);
        if (isSeq(arg)) for (const item of arg.items.slice(1)) this.walk(item, ctx, depth + 1);
        return;
      case 'Fn::Join':
        this.join(key, arg, ctx);
        walkArg();
        return;
      case 'Fn::Select':
        this.select(key, arg, ctx);
        walkArg();
        return;
      case 'Fn::Split':
        this.pair(key, arg, ctx, 'Fn::Split', '[delimiter, string]', (items) => {
          if (isSeq(items[1])) return { id: 'splitNotString' };
          return undefined;
        });
        walkArg();
        return;
      case 'Fn::Equals':
        this.pair(key, arg, ctx, 'Fn::Equals', '[value, value]', () => undefined);
        walkArg();
        return;
      case 'Fn::And':
      case 'Fn::Or':
        if (!this.openArg(arg) && (!isSeq(arg) || arg.items.length < 2 || arg.items.length > 10))
          this.report('shape', key, 'andOrArity', ctx.owner, { fn, actual: this.count(arg) });
        walkArg({ ...ctx, conditionContext: true });
        return;
      case 'Fn::Not':
        if (!this.openArg(arg) && (!isSeq(arg) || arg.items.length !== 1))
          this.report('shape', key, 'notArity', ctx.owner, { actual: this.count(arg) });
        walkArg({ ...ctx, conditionContext: true });
        return;
      default:
        if (!FUNCTIONS.has(fn) && !this.conditionsOpen) {
          const hint = didYouMean(fn, FUNCTIONS);
          if (hint) this.report('shape', key, 'unknownFunctionHint', ctx.owner, { fn, hint });
          else this.report('shape', key, 'unknownFunction', ctx.owner, { fn });
        }
        walkArg();
    }
  }

  // ------------------------------------------------------------ names

  private inLoop(name: string, ctx: Ctx): boolean {
    if (!ctx.loopIds) return false;
    return ctx.loopIds.has(name) || isLoopPlaceholder(name) || name.includes('${') || name.includes('&{');
  }

  private isGenerated(name: string): boolean {
    return this.generated.some((matches) => matches(name));
  }

  /** Patterns of the logical ids and condition names that Fn::ForEach loops generate. */
  private collectGenerated(map: MapNode, depth: number): void {
    if (depth > 10) return;
    for (let i = 0; i < map.size; i++) {
      const name = String(map.keyAt(i).value);
      if (!name.startsWith('Fn::ForEach::')) continue;
      const v = map.valueAt(i);
      const body = isSeq(v) ? v.items[2] : undefined;
      if (!isMap(body)) continue;
      for (let j = 0; j < body.size; j++) {
        const k = String(body.keyAt(j).value);
        if (k.startsWith('Fn::ForEach::')) continue;
        const parts = splitOnPieces(k, '$&');
        this.generated.push((name) => partsMatch(parts, name, isIdChar));
      }
      this.collectGenerated(body, depth + 1);
    }
  }

  private definesName(name: string): boolean {
    return this.t.parameters.has(name) || this.t.resources.has(name) || PSEUDO.has(name);
  }

  /** Candidates compared so far by did-you-mean hints in this template. */
  private suggestionWork = 0;

  /**
   * A did-you-mean hint. Each costs time in the number of candidates, so a template with thousands of
   * unknown names and thousands of resources (hostile input) would take quadratic time: past a budget of
   * compared candidates per template the hint is left out and the message keeps its plain ending.
   */
  private suggestion(name: string, pool: Iterable<string> | (() => Iterable<string>)): string | undefined {
    if (this.suggestionWork > SUGGESTION_BUDGET) return undefined;
    const list = [...(typeof pool === 'function' ? pool() : pool)];
    this.suggestionWork += list.length;
    return didYouMean(name, list);
  }

  private allNames(): string[] {
    return [...this.t.parameters, ...this.t.resources.keys(), ...PSEUDO_PARAMETERS];
  }

  private ref(key: ScalarNode, arg: Node, ctx: Ctx): void {
    if (!isScalar(arg) || typeof arg.value !== 'string') {
      if (this.openArg(arg) && this.languageExtensions) return;
      if (ctx.loopIds && isMap(arg)) return;
      this.report('shape', isScalar(arg) ? arg : key, 'refShape', ctx.owner, { actual: isScalar(arg) ? `the value ${JSON.stringify(arg.value)}` : this.count(arg) });
      return;
    }
    const name = arg.value;
    if (ctx.inConditions && this.t.resources.has(name)) {
      this.report('ref', arg, 'refResourceInConditions', ctx.owner, { target: name });
      return;
    }
    if (this.definesName(name) || this.inLoop(name, ctx)) return;
    if (name.startsWith('AWS::')) {
      const hint = this.suggestion(name, PSEUDO_PARAMETERS);
      if (hint) this.report('ref', arg, 'refNotPseudoHint', ctx.owner, { target: name, hint });
      else this.report('ref', arg, 'refNotPseudo', ctx.owner, { target: name }, PSEUDO_PARAMETERS, false);
      return;
    }
    if (name.includes('${')) {
      this.report('ref', arg, 'refWithVariables', ctx.owner, { target: name });
      return;
    }
    const dot = name.indexOf('.');
    if (dot > 0 && this.t.resources.has(name.slice(0, dot))) {
      this.report('ref', arg, 'refToAttribute', ctx.owner, { target: name });
      return;
    }
    if (this.namesOpen || this.isGenerated(name)) return;
    const hint = this.suggestion(name, () => [...this.allNames(), ...(ctx.loopIds ?? [])]);
    if (hint) this.report('ref', arg, 'refUndefinedHint', ctx.owner, { target: name, hint });
    else this.report('ref', arg, 'refUndefined', ctx.owner, { target: name });
  }

  private getAtt(key: ScalarNode, arg: Node, ctx: Ctx, short: boolean): void {
    let target: Node | undefined;
    let attr: Node | undefined;
    let targetName: string | undefined;
    let attrName: string | undefined;
    if (isSeq(arg)) {
      if (arg.items.length !== 2) {
        if (arg.items.length === 1 && isScalar(arg.items[0]) && short)
          this.report('shape', arg.items[0], 'getAttNoAttribute', ctx.owner, { target: String(arg.items[0].value) });
        else this.report('shape', key, 'getAttShape', ctx.owner, { actual: this.count(arg) });
        return;
      }
      target = arg.items[0];
      attr = arg.items[1];
      if (isScalar(target) && typeof target.value === 'string') targetName = target.value;
      if (isScalar(attr) && attr.value !== null) attrName = String(attr.value);
    } else if (isScalar(arg) && typeof arg.value === 'string') {
      const dot = arg.value.indexOf('.');
      if (dot <= 0) {
        this.report('shape', arg, 'getAttNoDot', ctx.owner, { target: arg.value });
        return;
      }
      target = attr = arg;
      targetName = arg.value.slice(0, dot);
      attrName = arg.value.slice(dot + 1);
    } else {
      if (this.languageExtensions && this.openArg(arg)) return;
      if (ctx.loopIds) return;
      this.report('shape', key, 'getAttShape', ctx.owner, { actual: this.count(arg) });
      return;
    }
    if (targetName === undefined) {
      if (!this.languageExtensions && !ctx.loopIds && !this.openArg(target!))
        this.report('shape', target!, 'getAttIdNotString', ctx.owner);
      return;
    }
    if (this.inLoop(targetName, ctx) || (attrName !== undefined && this.inLoop(attrName, ctx))) return;
    const res = this.t.resources.get(targetName);
    if (res && ctx.inConditions) {
      this.report('getatt', target!, 'getAttResourceInConditions', ctx.owner, { target: targetName });
      return;
    }
    if (!res) {
      if (this.t.parameters.has(targetName)) {
        this.report('getatt', target!, 'getAttParameter', ctx.owner, { target: targetName });
        return;
      }
      if (this.namesOpen || this.isGenerated(targetName)) return;
      const hint = this.suggestion(targetName, this.t.resources.keys());
      if (hint) this.report('getatt', target!, 'getAttUndefinedHint', ctx.owner, { target: targetName, hint });
      else this.report('getatt', target!, 'getAttUndefined', ctx.owner, { target: targetName });
      return;
    }
    if (attrName !== undefined) this.attribute(res, attrName, attr!, ctx, 'Fn::GetAtt');
  }

  /** Report an attribute the resource's type does not have. */
  private attribute(res: CfnResource, attr: string, node: Node, ctx: Ctx, via: string): void {
    const type = res.type;
    if (!type || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource' || type.startsWith('AWS::Serverless::')) return;
    if (type === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) return;
    const attrs = attributes(type);
    if (!attrs || attrs.includes(attr)) return;
    // Documented spellings with and without a dot (`ReadEndPoint.Addresses.List` / `ReadEndPoint.AddressesList`).
    const flat = attr.replace(/\./g, '');
    if (attrs.some((a) => a.replace(/\./g, '') === flat)) return;
    const hint = didYouMean(attr, attrs);
    const data = { attribute: attr, target: res.logicalId, via, type };
    if (attrs.length === 0) this.report('attribute', node, 'noAttributes', ctx.owner, data);
    else if (hint) this.report('attribute', node, 'unknownAttributeHint', ctx.owner, { ...data, hint });
    else this.report('attribute', node, 'unknownAttribute', ctx.owner, data, attrs, true);
  }

  /** A condition's name; `via` is where it is named (`Condition`, `Fn::If`). */
  private conditionName(node: Node, ctx: Ctx, via: string): void {
    if (!isScalar(node) || typeof node.value !== 'string') {
      if (!ctx.loopIds && !this.openArg(node)) this.report('shape', node, 'conditionNotString', ctx.owner, { via, actual: this.count(node) });
      return;
    }
    const name = node.value;
    if (this.t.conditions.has(name) || this.inLoop(name, ctx) || this.conditionsOpen || this.isGenerated(name)) return;
    const hint = this.suggestion(name, this.t.conditions);
    if (hint) this.report('condition', node, 'conditionUndefinedHint', ctx.owner, { condition: name, via, hint });
    else this.report('condition', node, 'conditionUndefined', ctx.owner, { condition: name, via });
  }

  // ------------------------------------------------------------ functions

  private sub(key: ScalarNode, arg: Node, ctx: Ctx): void {
    let pattern: Node | undefined = arg;
    let vars: MapNode | undefined;
    let varsOpen = false;
    if (isSeq(arg)) {
      if (arg.items.length !== 2) {
        if (arg.items.length !== 1) this.report('shape', key, 'subShape', ctx.owner, { actual: this.count(arg) });
        pattern = arg.items[0];
      } else {
        pattern = arg.items[0];
        const v = arg.items[1]!;
        if (isMap(v) && !isIntrinsicMap(v)) vars = v;
        else if (this.openArg(v)) varsOpen = true;
        else {
          this.report('shape', v, 'subVariableMap', ctx.owner, { actual: this.count(v) });
          varsOpen = true;
        }
      }
    }
    if (!isScalar(pattern) || typeof pattern.value !== 'string') {
      if (pattern === undefined || this.openArg(pattern)) return;
      this.report('shape', pattern === arg ? key : pattern, 'subShape', ctx.owner, { actual: this.count(pattern) });
      return;
    }
    const text = pattern.value;
    const seen = new Map<string, number>();
    for (const m of bracedPieces(text)) {
      const whole = m.whole;
      const nth = seen.get(whole) ?? 0;
      seen.set(whole, nth + 1);
      const raw = m.inner;
      if (raw.startsWith('!')) continue;
      const name = raw.trim();
      if (name === '' || varsOpen) continue;
      if (ctx.loopIds && (ctx.loopIds.has(name) || /[$&{]/.test(name))) continue;
      if (vars?.get(name) !== undefined || vars?.get(raw) !== undefined) continue;
      const at = () => this.locate(pattern as ScalarNode, whole, nth);
      if (!SUB_NAME.test(name)) {
        if (this.conditionsOpen) continue;
        this.report('sub', at(), 'subInvalidName', ctx.owner, { variable: whole, literal: `\${!${raw}}` });
        continue;
      }
      if (this.definesName(name)) continue;
      if (name.startsWith('AWS::')) {
        const hint = this.suggestion(name, PSEUDO_PARAMETERS);
        if (hint) this.report('sub', at(), 'subNotPseudoHint', ctx.owner, { variable: whole, target: name, hint });
        else this.report('sub', at(), 'subNotPseudo', ctx.owner, { variable: whole, target: name });
        continue;
      }
      const dot = name.indexOf('.');
      if (dot > 0) {
        const id = name.slice(0, dot);
        const res = this.t.resources.get(id);
        if (res) {
          this.attribute(res, name.slice(dot + 1), at(), ctx, `"${whole}" in Fn::Sub`);
          continue;
        }
        if (this.t.parameters.has(id)) {
          this.report('sub', at(), 'subParameterAttribute', ctx.owner, { variable: whole, target: id, literal: `\${${id}}` });
          continue;
        }
        if (this.namesOpen || this.isGenerated(id)) continue;
        const hint = this.suggestion(id, this.t.resources.keys());
        if (hint) this.report('sub', at(), 'subUndefinedResourceHint', ctx.owner, { variable: whole, target: id, hint });
        else this.report('sub', at(), 'subUndefinedResource', ctx.owner, { variable: whole, target: id });
        continue;
      }
      if (this.namesOpen || this.isGenerated(name)) continue;
      const pool = () => [...this.allNames(), ...(vars ? vars.entries.map((e) => String(e.key.value)) : [])];
      const hint = this.suggestion(name, pool);
      if (hint) this.report('sub', at(), 'subUndefinedHint', ctx.owner, { variable: whole, target: name, hint });
      else this.report('sub', at(), 'subUndefined', ctx.owner, { variable: whole, target: name, literal: `\${!${raw}}` });
    }
  }

  /** The `${...}` occurrence inside the string's source text, when it can be found; else the string. */
  /**
   * The `nth` occurrence of a `${...}` in the scalar's source, or the scalar when the source and the value
   * hold it a different number of times (escapes). Where each piece is is worked out once per scalar and
   * piece text, so a string with thousands of findings is not read again for each; past
   * `MAX_LOCATED_PIECES` different pieces in one string, findings go on the whole scalar.
   */
  private locate(node: ScalarNode, whole: string, nth: number): Node {
    let perNode = this.located.get(node);
    if (!perNode) this.located.set(node, (perNode = new Map()));
    let at = perNode.get(whole);
    if (at === undefined) {
      if (perNode.size >= MAX_LOCATED_PIECES) return node;
      const src = node.file.text.slice(node.start, node.end);
      const positions: number[] = [];
      for (let i = src.indexOf(whole); i >= 0; i = src.indexOf(whole, i + 1)) positions.push(i);
      at = count(src, whole) === count(String(node.value), whole) ? positions : null;
      perNode.set(whole, at);
    }
    const pos = at?.[nth];
    if (pos === undefined) return node;
    const n = new ScalarNode(node.file, node.start + pos, node.start + pos + whole.length, whole);
    n.up = node.up;
    return n;
  }

  private findInMap(key: ScalarNode, arg: Node, ctx: Ctx): void {
    if (!isSeq(arg)) {
      if (!this.openArg(arg)) this.report('shape', key, 'findInMapShape', ctx.owner, { actual: this.count(arg) });
      return;
    }
    const items = arg.items;
    if (items.length !== 3 && !(items.length === 4 && isMap(items[3]))) {
      this.report('shape', key, 'findInMapArity', ctx.owner, { actual: this.count(arg) });
      return;
    }
    const hasDefault = items.length === 4 && isMap(items[3]) && items[3].get('DefaultValue') !== undefined;
    const [mapNode, topNode, secondNode] = items as [Node, Node, Node];
    const literal = (n: Node): string | undefined => (isScalar(n) && n.value !== null && !(ctx.loopIds && isLoopPlaceholder(String(n.value))) && !(ctx.loopIds?.has(String(n.value))) ? String(n.value) : undefined);
    const mapName = literal(mapNode);
    if (mapName === undefined) return;
    const mappings = this.t.mappings;
    const map = mappings ? entry(mappings, mapName) : undefined;
    if (!map) {
      if (this.conditionsOpen) return;
      const names = mappings ? mappings.entries.map((e) => String(e.key.value)) : [];
      const hint = this.suggestion(mapName, names);
      if (hint) this.report('findinmap', mapNode, 'mapUndefinedHint', ctx.owner, { map: mapName, hint });
      else this.report('findinmap', mapNode, names.length ? 'mapUndefined' : 'noMappings', ctx.owner, { map: mapName });
      return;
    }
    if (!isMap(map) || hasDefault) return;
    const top = literal(topNode);
    const second = literal(secondNode);
    if (top !== undefined) {
      const topEntry = entry(map, top);
      if (topEntry === undefined) {
        const keys = map.entries.map((e) => String(e.key.value));
        const hint = this.suggestion(top, keys);
        if (hint) this.report('findinmap', topNode, 'topKeyMissingHint', ctx.owner, { top, map: mapName, hint });
        else this.report('findinmap', topNode, 'topKeyMissing', ctx.owner, { top, map: mapName }, keys, true);
        return;
      }
      if (second !== undefined && isMap(topEntry) && entry(topEntry, second) === undefined) {
        const keys = topEntry.entries.map((e) => String(e.key.value));
        const hint = this.suggestion(second, keys);
        if (hint) this.report('findinmap', secondNode, 'secondKeyMissingHint', ctx.owner, { top, second, map: mapName, hint });
        else this.report('findinmap', secondNode, 'secondKeyMissing', ctx.owner, { top, second, map: mapName }, keys, true);
      }
      return;
    }
    // A computed top-level key (`!Ref AWS::Region`): the second key must exist under some entry.
    if (second === undefined || map.size === 0) return;
    const keys = new Set<string>();
    for (let i = 0; i < map.size; i++) {
      const e = map.valueAt(i);
      if (!isMap(e)) return;
      for (let j = 0; j < e.size; j++) keys.add(String(e.keyAt(j).value));
    }
    if (keys.has(second)) return;
    const hint = this.suggestion(second, keys);
    if (hint) this.report('findinmap', secondNode, 'secondKeyNowhereHint', ctx.owner, { second, map: mapName, hint });
    else this.report('findinmap', secondNode, 'secondKeyNowhere', ctx.owner, { second, map: mapName });
  }

  private ifFn(key: ScalarNode, arg: Node, ctx: Ctx): void {
    if (!isSeq(arg) || arg.items.length !== 3) {
      if (!this.openArg(arg)) this.report('shape', key, 'ifShape', ctx.owner, { actual: this.count(arg) });
      return;
    }
    this.conditionName(arg.items[0]!, ctx, 'Fn::If');
  }

  private join(key: ScalarNode, arg: Node, ctx: Ctx): void {
    this.pair(key, arg, ctx, 'Fn::Join', '[delimiter, list of values]', (items) => {
      const [d, list] = items as [Node, Node];
      if (!isScalar(d)) return isIntrinsicMap(d) ? undefined : { id: 'joinDelimiter' };
      if (isScalar(list)) return { id: 'joinListString' };
      if (isMap(list) && !isIntrinsicMap(list)) return { id: 'joinListMapping' };
      return undefined;
    });
  }

  private select(key: ScalarNode, arg: Node, ctx: Ctx): void {
    this.pair(key, arg, ctx, 'Fn::Select', '[index, list]', (items): Problem | undefined => {
      const [i, list] = items as [Node, Node];
      if (isScalar(i)) {
        const n = Number(i.value);
        if (i.value === null || String(i.value).trim() === '' || !Number.isInteger(n) || n < 0) return { id: 'selectIndex', data: { index: JSON.stringify(i.value) } };
        if (isSeq(list) && n >= list.items.length) return { id: 'selectPastEnd', data: { index: n, count: list.items.length } };
      }
      if (isScalar(list)) return { id: 'selectListString' };
      return undefined;
    });
  }

  /** A two-item function: arity, then a shape test on the items. */
  private pair(key: ScalarNode, arg: Node, ctx: Ctx, fn: string, signature: string, test: (items: Node[]) => Problem | undefined): void {
    if (!isSeq(arg) || arg.items.length !== 2) {
      if (!this.openArg(arg)) this.report('shape', key, 'pairShape', ctx.owner, { fn, actual: this.count(arg), signature });
      return;
    }
    if (ctx.loopIds) return;
    const problem = test(arg.items);
    if (problem) this.report('shape', key, problem.id, ctx.owner, problem.data);
  }

  // ------------------------------------------------------------ helpers

  /** An argument computed by a function (its shape is known only at deploy time). */
  private openArg(node: Node): boolean {
    return isIntrinsicMap(node);
  }

  private count(node: Node): string {
    if (isSeq(node)) return `${node.items.length} item${node.items.length === 1 ? '' : 's'}`;
    if (isMap(node)) return isIntrinsicMap(node) ? `a ${node.soleKey} value` : 'a mapping';
    if (node.value === null) return 'no value';
    return `the ${typeof node.value === 'string' ? 'string' : 'value'} ${JSON.stringify(node.value)}`;
  }

  /**
   * Report a finding about what `owner` holds. `allowed`, when given, fills `{{allowed}}` with as many of
   * its names as keep the message short.
   */
  private report(check: IntrinsicCheck, node: Node, messageId: IntrinsicMessageId, owner: Owner, data: MessageData = {}, allowed?: readonly string[], quote = true): void {
    const all: MessageData = { kind: owner.kind, name: owner.name, ...data };
    if (allowed) all['allowed'] = fitList(INTRINSIC_FUNCTION_MESSAGES[messageId], all, 'allowed', allowed, quote);
    this.out.push({ check, node, messageId, data: all });
  }
}

function isIntrinsicMap(node: Node): node is MapNode {
  if (!isMap(node)) return false;
  const k = node.soleKey;
  return k !== undefined && (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::'));
}

/** A mapping's value by key, comparing keys as strings (YAML reads `2` and `'2'` differently). */
function entry(map: MapNode, key: string): Node | undefined {
  for (let i = 0; i < map.size; i++) if (String(map.keyAt(i).value) === key) return map.valueAt(i);
  return undefined;
}

/** Different `${...}` pieces of one Fn::Sub string located precisely (past this, on the whole string). */
const MAX_LOCATED_PIECES = 64;

function count(s: string, sub: string): number {
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** Does every character of the text pass the test? */
function allOf(text: string, test: (code: number) => boolean): boolean {
  for (let i = 0; i < text.length; i++) if (!test(text.charCodeAt(i))) return false;
  return true;
}
