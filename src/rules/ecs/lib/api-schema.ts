/**
 * The ECS API's shape of a task definition, and a validator of task-definition JSON against it.
 *
 * The shape comes from `generated/ecs/task-definition.json`, written at build time by
 * scripts/gen-ecs-spec.mjs from the TypeScript declarations of `@aws-sdk/client-ecs`
 * (RegisterTaskDefinitionRequest, TaskDefinition, DescribeTaskDefinitionResponse and every
 * structure and enum they reach). It is read on first use, so a run without task-definition
 * JSON never loads it.
 *
 * One walk of a task definition yields the findings of the four rules `ecs/unknown-field`,
 * `ecs/field-type`, `ecs/allowed-values` and `ecs/read-only-field`; it is done once per task
 * definition and shared by them. The file may be register-task-definition input, the flat
 * describe-task-definition output (`--query taskDefinition`), or the whole describe output
 * (`{"taskDefinition": {...}, "tags": [...]}`): its fields are those of RegisterTaskDefinitionRequest
 * and TaskDefinition together. Values that cannot be known (`${VAR}`, `{{ }}` placeholders) draw
 * no type or enum finding; keys that hold a placeholder draw no unknown-field finding.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../../engine/paths.js';
import type { TaskDefinition } from '../../../model/entities.js';
import { PLACEHOLDER } from '../../../model/value.js';
import { isMap, isScalar, type MapNode, type Node, type ScalarNode } from '../../../parsers/tree.js';
import { didYouMean } from '../../lib/schema-findings.js';

export type EcsFindingKind = 'unknown-field' | 'field-type' | 'allowed-values' | 'read-only-field';

export interface EcsFinding {
  kind: EcsFindingKind;
  /** The offending key (unknown and read-only fields) or value (types, enums). */
  node: Node;
  /** The finding as one text (the rules' plain-text form, before message ids). */
  message: string;
  /** The message id in `ECS_API_MESSAGES[kind]`, and the data its template takes. */
  messageId: string;
  data: Record<string, string>;
}

/**
 * Message templates of the four rules, by kind and message id (`meta.messages` of each rule). Paths
 * (`logConfiguration.logDriver`) are written as the file spells them: these findings are only made on
 * task-definition JSON.
 */
export const ECS_API_MESSAGES = {
  'unknown-field': {
    cfnSpelling: '{{subject}}: "{{path}}" is the CloudFormation spelling; task-definition JSON spells it "{{expected}}" (field names are case-sensitive): rename the key.',
    wrongCase: '{{subject}}: "{{path}}" is not a field of {{shape}} in the ECS API, which spells it "{{expected}}" (field names are case-sensitive): rename the key.',
    cfnName: '{{subject}}: "{{path}}" is the CloudFormation name; the API calls it "{{expected}}": rename the key.',
    unknownHint: '{{subject}}: "{{path}}" is not a field of {{shape}} in the ECS API; did you mean "{{suggestion}}"?',
    unknown: '{{subject}}: "{{path}}" is not a field of {{shape}} in the ECS API ({{source}}); remove it, or use one of: {{fields}}.',
    responseCase: 'The describe-task-definition output has "{{name}}", which the API spells "{{expected}}" (field names are case-sensitive): rename the key.',
  },
  'read-only-field': {
    readOnly: '{{subject}} has "{{name}}", a read-only field of describe-task-definition output that register-task-definition refuses: remove it, or keep the whole output.',
  },
  'field-type': {
    wrongType: '{{subject}}: "{{path}}" is {{actual}}, but the API wants {{expected}}{{why}}{{fix}}.',
  },
  'allowed-values': {
    special: '{{subject}}: "{{path}}" is "{{value}}", not a value of the ECS API: {{advice}}',
    wrongCase: '{{subject}}: "{{path}}" is "{{value}}", but the API\'s values are case-sensitive: write "{{expected}}".',
    notAllowedHint: '{{subject}}: "{{path}}" is "{{value}}", which the ECS API does not allow; did you mean "{{suggestion}}"?',
    notAllowed: '{{subject}}: "{{path}}" is "{{value}}", not a value of the ECS API; use one of: {{allowed}}.',
  },
} as const satisfies Record<EcsFindingKind, Record<string, string>>;

/** A field's type as the generator writes it: `string`, `number`, `boolean`, `timestamp`, `document`, `enum:X`, `struct:X`, `list:T`, `map:T`. */
type FieldType = string;

interface RawSpec {
  source: string;
  register: string;
  describe: string;
  response: string;
  shapes: Record<string, Record<string, FieldType>>;
  enums: Record<string, string[]>;
}

export interface EcsApiSpec {
  /** e.g. `@aws-sdk/client-ecs@3.1161.0`. */
  source: string;
  shapes: ReadonlyMap<string, ReadonlyMap<string, FieldType>>;
  enums: ReadonlyMap<string, readonly string[]>;
  /** Fields of a task-definition file: RegisterTaskDefinitionRequest's and TaskDefinition's. */
  taskDefinitionFields: ReadonlyMap<string, FieldType>;
  /** Fields only describe-task-definition output has (taskDefinitionArn, revision, status, ...). */
  readOnly: ReadonlySet<string>;
  /** Fields beside `taskDefinition` in describe-task-definition output (`tags`). */
  responseFields: ReadonlyMap<string, FieldType>;
}

/** Name of the synthetic shape of a task-definition file (register input and describe output). */
const TASK_DEFINITION_FILE = '$TaskDefinitionFile';

let spec: EcsApiSpec | undefined;

/** The ECS API's task-definition shape, read on first use. */
export function ecsApiSpec(): EcsApiSpec {
  if (spec) return spec;
  const path = packagePath('generated', 'ecs', 'task-definition.json');
  let raw: RawSpec;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as RawSpec;
  } catch (e) {
    throw new Error(`cannot read the ECS API shape ${path} (built by \`npm run build\`): ${(e as Error).message}`);
  }
  const shapes = new Map<string, Map<string, FieldType>>();
  for (const [name, fields] of Object.entries(raw.shapes)) shapes.set(name, new Map(Object.entries(fields)));
  const register = shapes.get(raw.register)!;
  const describe = shapes.get(raw.describe)!;
  const file = new Map([...register, ...describe]);
  shapes.set(TASK_DEFINITION_FILE, file);
  const readOnly = new Set([...describe.keys()].filter((k) => !register.has(k)));
  const responseFields = new Map(shapes.get(raw.response)!);
  responseFields.set('taskDefinition', `struct:${TASK_DEFINITION_FILE}`);
  spec = {
    source: raw.source,
    shapes,
    enums: new Map(Object.entries(raw.enums)),
    taskDefinitionFields: file,
    readOnly,
    responseFields,
  };
  return spec;
}

/** CloudFormation names of task-definition properties that differ from the API's beyond letter case. */
const CFN_NAMES: ReadonlyMap<string, string> = new Map([['ProxyConfigurationProperties', 'properties']]);

const cache = new WeakMap<MapNode, EcsFinding[]>();

/** The API-shape findings of a task definition from task-definition JSON (none for CloudFormation). */
export function ecsApiFindings(td: TaskDefinition): EcsFinding[] {
  if (td.origin.format !== 'ecs-task-definition') return [];
  const root = td.props.node;
  // describe-daemon-task-definition output (ECS daemons): a shape of its own, not checked here.
  if (root.get('daemonTaskDefinitionArn') !== undefined) return [];
  let out = cache.get(root);
  if (!out) {
    out = validate(td);
    cache.set(root, out);
  }
  return out;
}

/** A finding of one kind, with the message ids of that kind. */
export type EcsFindingOf<K extends EcsFindingKind> = EcsFinding & { kind: K; messageId: keyof (typeof ECS_API_MESSAGES)[K] & string };

/** Findings of one kind, for one rule. */
export function ecsApiFindingsOf<K extends EcsFindingKind>(td: TaskDefinition, kind: K): Array<EcsFindingOf<K>> {
  return ecsApiFindings(td).filter((f): f is EcsFindingOf<K> => f.kind === kind);
}

interface Walk {
  spec: EcsApiSpec;
  td: TaskDefinition;
  out: EcsFinding[];
  /** YAML files: unquoted yes/no/on/off may be booleans to the reader. */
  yaml: boolean;
}

/** Who a message is about, and the path below it. */
interface Where {
  subject: string;
  path: string;
  /** The structure the value belongs to (for cpu/memory hints). */
  shape?: string;
}

function validate(td: TaskDefinition): EcsFinding[] {
  const w: Walk = { spec: ecsApiSpec(), td, out: [], yaml: td.file.syntax === 'yaml' };
  const root = td.props.node;
  const family = td.family.str();
  const subject = family ? `Task definition "${family}"` : 'The task definition';
  const wrapperKey = root.parentKey;
  const wrapper = root.parent;
  if (wrapperKey && isMap(wrapper)) {
    // describe-task-definition output kept whole: check the keys beside `taskDefinition` that
    // the API knows (tags), and the spelling of the ones it knows; others (ResponseMetadata of
    // boto3, $metadata of the JavaScript SDK, notes) are left alone.
    for (let i = 0; i < wrapper.size; i++) {
      const key = wrapper.keyAt(i);
      const name = String(key.value);
      const value = wrapper.valueAt(i);
      const type = w.spec.responseFields.get(name);
      if (type !== undefined) {
        if (value !== root) checkValue(w, value, type, { subject: 'The describe-task-definition output', path: name });
        continue;
      }
      const match = [...w.spec.responseFields.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
      if (!match) continue;
      report(w, 'unknown-field', key, `The describe-task-definition output has "${name}", which the API spells "${match}" (field names are case-sensitive); rename the key.`, 'responseCase', { name, expected: match });
      if (value !== root) checkValue(w, value, w.spec.responseFields.get(match)!, { subject: 'The describe-task-definition output', path: name });
    }
  }
  checkStruct(w, root, TASK_DEFINITION_FILE, { subject, path: '' }, !wrapperKey);
  return w.out;
}

function report(w: Walk, kind: EcsFindingKind, node: Node, message: string, messageId: string, data: Record<string, string>): void {
  w.out.push({ kind, node, message, messageId, data });
}

/** A value that cannot be known: a placeholder of a rendering tool. */
function isUnknown(w: Walk, node: Node): boolean {
  return isScalar(node) && w.td.props.scope.resolve(node).kind === 'unknown';
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function shapeLabel(shape: string): string {
  return shape === TASK_DEFINITION_FILE ? 'a task definition' : shape;
}

function checkStruct(w: Walk, node: MapNode, shape: string, at: Where, flat = false): void {
  const fields = w.spec.shapes.get(shape);
  if (!fields) return;
  const isTaskDefinition = shape === TASK_DEFINITION_FILE;
  for (let i = 0; i < node.size; i++) {
    const key = node.keyAt(i);
    const value = node.valueAt(i);
    const name = String(key.value);
    const path = join(at.path, name);
    let type = fields.get(name);
    if (type === undefined) {
      if (typeof key.value === 'string' && PLACEHOLDER.test(key.value)) continue;
      const cfnName = CFN_NAMES.get(name);
      const match = [...fields.keys()].find((k) => k.toLowerCase() === name.toLowerCase()) ?? (cfnName !== undefined && fields.has(cfnName) ? cfnName : undefined);
      const [message, messageId, data] = unknownFieldMessage(w, at, path, name, shape, fields, match);
      report(w, 'unknown-field', key, message, messageId, data);
      // Check what is inside under the field the key was surely meant to be, so that one run shows every problem.
      if (match === undefined) continue;
      type = fields.get(match)!;
    } else if (flat && isTaskDefinition && w.spec.readOnly.has(name)) {
      report(
        w,
        'read-only-field',
        key,
        `${at.subject} has "${name}", a read-only field of describe-task-definition output; register-task-definition does not take it (the AWS CLI stops with "Unknown parameter in input"): remove it before registering, or keep the file as the whole {"taskDefinition": ...} output.`,
        'readOnly',
        { subject: at.subject, name },
      );
    }
    checkValue(w, value, type, { subject: at.subject, path, shape });
  }
}

function unknownFieldMessage(
  w: Walk,
  at: Where,
  path: string,
  name: string,
  shape: string,
  fields: ReadonlyMap<string, FieldType>,
  match: string | undefined,
): [string, string, Record<string, string>] {
  const where = `${at.subject}: "${path}"`;
  const about = { subject: at.subject, path, shape: shapeLabel(shape) };
  if (match !== undefined && match.toLowerCase() === name.toLowerCase()) {
    if (name[0] !== match[0] && name.slice(1) === match.slice(1))
      return [`${where} is the CloudFormation spelling; the API spells it "${match}" (field names of task-definition JSON are camelCase and case-sensitive): rename the key.`, 'cfnSpelling', { ...about, expected: match }];
    return [`${where} is not a field of ${shapeLabel(shape)} in the ECS API, which spells it "${match}" (field names are case-sensitive): rename the key.`, 'wrongCase', { ...about, expected: match }];
  }
  if (match !== undefined) return [`${where} is the CloudFormation name; the API calls it "${match}": rename the key.`, 'cfnName', { ...about, expected: match }];
  const hint = didYouMean(name, fields.keys());
  if (hint) return [`${where} is not a field of ${shapeLabel(shape)} in the ECS API; did you mean "${hint}"?`, 'unknownHint', { ...about, suggestion: hint }];
  const known = [...fields.keys()].filter((k) => !(shape === TASK_DEFINITION_FILE && w.spec.readOnly.has(k)));
  return [
    `${where} is not a field of ${shapeLabel(shape)} in the ECS API (as of ${w.spec.source}); remove it, or use one of: ${listOf(known)}.`,
    'unknown',
    { ...about, source: `as of ${w.spec.source}`, fields: listOf(known) },
  ];
}

function listOf(keys: string[]): string {
  return keys.length > 10 ? `${keys.slice(0, 10).join(', ')} and ${keys.length - 10} more` : keys.join(', ');
}

const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

function checkValue(w: Walk, node: Node, type: FieldType, at: Where): void {
  if (isUnknown(w, node)) return;
  // Exported task definitions write unset parameters as null; the API reads null as unset.
  if (isScalar(node) && node.value === null) return;
  const colon = type.indexOf(':');
  const kind = colon < 0 ? type : type.slice(0, colon);
  const inner = colon < 0 ? '' : type.slice(colon + 1);
  switch (kind) {
    case 'document':
      return;
    case 'string':
      if (!(isScalar(node) && typeof node.value === 'string')) typeError(w, node, type, at);
      return;
    case 'number':
      if (!(isScalar(node) && typeof node.value === 'number')) typeError(w, node, type, at);
      return;
    case 'boolean':
      if (isScalar(node) && typeof node.value === 'boolean') return;
      if (w.yaml && isScalar(node) && !node.quoted && typeof node.value === 'string' && YAML11_BOOL.test(node.value)) return;
      typeError(w, node, type, at);
      return;
    case 'timestamp':
      // The AWS CLI writes timestamps as ISO 8601 strings or epoch seconds.
      if (!(isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number'))) typeError(w, node, type, at);
      return;
    case 'enum': {
      if (!(isScalar(node) && typeof node.value === 'string')) {
        typeError(w, node, type, at);
        return;
      }
      const allowed = w.spec.enums.get(inner) ?? [];
      if (!allowed.includes(node.value)) enumError(w, node, node.value, inner, allowed, at);
      return;
    }
    case 'list':
      if (node.kind !== 'seq') {
        typeError(w, node, type, at);
        return;
      }
      node.items.forEach((item, i) => checkValue(w, item, inner, itemWhere(w, item, inner, at, i)));
      return;
    case 'map':
      if (!isMap(node)) {
        typeError(w, node, type, at);
        return;
      }
      for (let i = 0; i < node.size; i++) {
        const k = String(node.keyAt(i).value);
        checkValue(w, node.valueAt(i), inner, { ...at, path: /^[\w$-]+$/.test(k) ? join(at.path, k) : `${at.path}['${k}']` });
      }
      return;
    case 'struct':
      if (!isMap(node)) {
        typeError(w, node, type, at);
        return;
      }
      checkStruct(w, node, inner, at);
      return;
  }
}

/** An item of a list: containers get their own subject (`Container "web" of task definition "x"`). */
function itemWhere(w: Walk, item: Node, type: FieldType, at: Where, i: number): Where {
  if (type === 'struct:ContainerDefinition' && isMap(item)) {
    const name = item.getCI('name');
    if (isScalar(name) && typeof name.value === 'string' && name.value !== '') {
      const family = w.td.family.str();
      return { subject: `Container "${name.value}"${family ? ` of task definition "${family}"` : ''}`, path: '' };
    }
  }
  return { ...at, path: `${at.path}[${i}]` };
}

function describeValue(node: Node): string {
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'map') return 'an object';
  const v = node.value;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return `the number ${sourceText(node)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  return 'null';
}

function sourceText(node: ScalarNode): string {
  const t = node.file.text.slice(node.start, node.end).trim();
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}

function wanted(type: FieldType): string {
  const colon = type.indexOf(':');
  const kind = colon < 0 ? type : type.slice(0, colon);
  const inner = colon < 0 ? '' : type.slice(colon + 1);
  switch (kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'timestamp':
      return 'a timestamp';
    case 'enum':
      return 'a string';
    case 'list':
      return `a list${inner.startsWith('struct:') ? ' of objects' : inner === 'string' || inner.startsWith('enum:') ? ' of strings' : inner === 'number' ? ' of numbers' : ''}`;
    case 'map':
      return `an object of ${inner === 'string' ? 'string' : inner} values`;
    case 'struct':
      return `an object (${shapeLabel(inner)})`;
    default:
      return type;
  }
}

/** What to write instead, when it is plain. */
function fixHint(node: Node, type: FieldType): string {
  if (!isScalar(node)) {
    if (node.kind === 'map' && type.startsWith('list:struct:')) return '; wrap the object in a list: [ { ... } ]';
    return '';
  }
  const v = node.value;
  if ((type === 'string' || type.startsWith('enum:')) && (typeof v === 'number' || typeof v === 'boolean')) return `; quote it: "${sourceText(node)}"`;
  if (type === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return `; write ${v.trim()} without quotes`;
  if (type === 'boolean' && typeof v === 'string' && /^(?:true|false)$/i.test(v.trim())) return `; write ${v.trim().toLowerCase()} without quotes`;
  if ((type === 'list:string' || type.startsWith('list:enum:')) && typeof v === 'string') return `; wrap it in a list: [${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}]`;
  if (type === 'list:number' && typeof v === 'number') return `; wrap it in a list: [${sourceText(node)}]`;
  return '';
}

function typeError(w: Walk, node: Node, type: FieldType, at: Where): void {
  const field = at.path.slice(at.path.lastIndexOf('.') + 1);
  let why = '';
  if ((field === 'cpu' || field === 'memory') && at.shape === TASK_DEFINITION_FILE) why = ' (task-level cpu and memory are strings in the API, unlike a container\'s)';
  else if ((field === 'cpu' || field === 'memory' || field === 'memoryReservation') && at.shape === 'ContainerDefinition') why = ' (a container\'s cpu and memory are integers in the API, unlike the task-level ones)';
  const subject = at.path ? `${at.subject}: "${at.path}"` : at.subject;
  const fix = fixHint(node, type);
  report(w, 'field-type', isScalar(node) ? node : node.anchor, `${subject} is ${describeValue(node)}, but the API wants ${wanted(type)}${why}${fix}.`, 'wrongType', {
    subject: at.subject,
    path: at.path,
    actual: describeValue(node),
    expected: wanted(type),
    why,
    fix,
  });
}

/** Values people write for what the API spells otherwise, with what to do instead. */
const SPECIAL_VALUES: Record<string, string> = {
  'NetworkMode:default': 'for the default network mode (bridge on Linux, nat on Windows), leave networkMode out.',
  'NetworkMode:<default>': 'for the default network mode (bridge on Linux, nat on Windows), leave networkMode out.',
  'Compatibility:fargate_spot': 'FARGATE_SPOT is a capacity provider (the service\'s capacityProviderStrategy); require "FARGATE".',
  'LogDriver:cloudwatch': 'CloudWatch Logs is the "awslogs" driver.',
  'LogDriver:cloudwatchlogs': 'CloudWatch Logs is the "awslogs" driver.',
  'LogDriver:cloudwatch-logs': 'CloudWatch Logs is the "awslogs" driver.',
  'LogDriver:none': 'to keep no logs, leave logConfiguration out.',
};

function enumError(w: Walk, node: ScalarNode, value: string, enumName: string, allowed: readonly string[], at: Where): void {
  const subject = at.path ? `${at.subject}: "${at.path}"` : at.subject;
  const shown = value.length > 40 ? value.slice(0, 40) + '…' : value;
  const about = { subject: at.subject, path: at.path, value: shown };
  const special = SPECIAL_VALUES[`${enumName}:${value.toLowerCase()}`];
  if (special) {
    report(w, 'allowed-values', node, `${subject} is "${value}", which the ECS API does not allow: ${special} Allowed: ${allowed.join(', ')}.`, 'special', { ...about, advice: special });
    return;
  }
  const sameCase = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (sameCase) {
    report(w, 'allowed-values', node, `${subject} is "${value}", but the API's values are case-sensitive: write "${sameCase}".`, 'wrongCase', { ...about, expected: sameCase });
    return;
  }
  const hint = didYouMean(value, allowed);
  const message = `${subject} is "${shown}", which the ECS API does not allow${hint ? `; did you mean "${hint}"?` : '.'} Allowed: ${allowed.join(', ')}.`;
  if (hint) report(w, 'allowed-values', node, message, 'notAllowedHint', { ...about, suggestion: hint });
  else report(w, 'allowed-values', node, message, 'notAllowed', { ...about, allowed: allowed.length > 8 ? `${allowed.slice(0, 8).join(', ')} and ${allowed.length - 8} more` : allowed.join(', ') });
}
