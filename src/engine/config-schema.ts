/**
 * The config file's JSON Schema and its validation, with every ajv error turned into one plain
 * sentence naming the key as the file spells it (`unknown key "file" in overrides[0] (did you mean
 * "files"?)`, `"rules.ecs/image-tag" must be one of off, info, warning, error`). Loaded lazily:
 * a run without a config never compiles it. The did-you-mean helper is passed in, so this lazily
 * loaded chunk shares no module with the eager ones (the bundle keeps one chunk for it).
 */
import { Ajv, type ErrorObject } from 'ajv';

export const SEVERITY_VALUES = ['off', 'info', 'warning', 'error'];

const severity = { enum: SEVERITY_VALUES };
/** A rule's setting: a severity, or ESLint's `[severity, options]` (checked item by item in config.ts). */
const ruleSetting = { anyOf: [severity, { type: 'array', minItems: 1 }] };
const ruleMap = { type: 'object', additionalProperties: ruleSetting };
const text = { type: 'string', minLength: 1 };
const textOrList = { anyOf: [text, { type: 'array', items: text, minItems: 1 }] };

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    extends: textOrList,
    rules: ruleMap,
    ignorePatterns: { type: 'array', items: text },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['files'],
        properties: { files: textOrList, excludedFiles: textOrList, rules: ruleMap },
      },
    },
    suppressions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['files', 'rule', 'reason'],
        properties: { files: textOrList, rule: text, entity: text, reason: text },
      },
    },
    plugins: { type: 'array', items: text },
  },
};

/** Every keyword the schema uses; `describeError` has a sentence for each (a test checks both). */
export const SCHEMA_KEYWORDS = ['type', 'additionalProperties', 'properties', 'required', 'enum', 'anyOf', 'items', 'minLength', 'minItems'];

export interface ConfigProblem {
  /** JSON pointer of the offending value (for an unknown key: of the mapping that holds it). */
  instancePath: string;
  /** For an unknown key: its name (the problem is located at the key). */
  key?: string;
  /** For an unknown key: the allowed key it is probably a typo of. */
  hint?: string;
  /** For a missing key: its name. */
  missing?: string;
  /** One plain sentence, without the file's location. */
  message: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Suggests the known name closest to a misspelt one (`didYouMean` of engine/did-you-mean.ts). */
export type Suggest = (unknown: string, known: string[]) => string | undefined;

/** Validate a config object; the problems in the order ajv found them, one per offending value. */
export function validateConfig(raw: unknown, didYouMean: Suggest): ConfigProblem[] {
  validator ??= new Ajv({ allErrors: true, verbose: true }).compile(CONFIG_SCHEMA);
  if (validator(raw)) return [];
  const errors = (validator.errors ?? []) as ErrorObject[];
  const out: ConfigProblem[] = [];
  for (const e of errors) {
    // Errors of one branch of an anyOf are described with the anyOf itself.
    if (e.keyword !== 'anyOf' && e.schemaPath.includes('/anyOf/')) continue;
    if (e.keyword === 'anyOf') {
      // The value has the shape of one branch (a list) but is wrong inside it (an item, or
      // empty): report that, not "a string or a list of strings".
      const inner = errors.find(
        (x) =>
          x !== e &&
          x.schemaPath.startsWith(`${e.schemaPath}/`) &&
          !(x.keyword === 'type' && x.instancePath === e.instancePath) &&
          // A list where a value of an enum is one choice: the list's own problem says more.
          !(x.keyword === 'enum' && x.instancePath === e.instancePath && Array.isArray(valueAt(raw, x.instancePath))),
      );
      if (inner) {
        out.push(describeError(inner, raw, didYouMean));
        continue;
      }
    }
    out.push(describeError(e, raw, didYouMean));
  }
  // A missing key that an unknown key of the same mapping is a typo of: the unknown key says it all.
  return out.filter(
    (p) => !(p.missing !== undefined && out.some((q) => q.key !== undefined && q.instancePath === p.instancePath && q.hint === p.missing)),
  );
}

/** `/overrides/0/rules/ecs~1image-tag` → `overrides[0].rules.ecs/image-tag`. */
export function displayPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'a string';
}

function wanted(type: string): string {
  return type === 'object' ? 'a mapping' : type === 'array' ? 'a list' : `a ${type}`;
}

/** One ajv error as a sentence naming the key as the file spells it. */
export function describeError(e: ErrorObject, raw: unknown, didYouMean: Suggest): ConfigProblem {
  const path = e.instancePath;
  const shown = displayPath(path);
  const subject = path === '' ? 'the config' : `"${shown}"`;
  const value = valueAt(raw, path);
  const got = value === null || value === undefined ? ' (it is empty)' : `, not ${kindOf(value)}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}).filter((k) => k !== '$schema');
      const hint = didYouMean(key, allowed);
      const where = path === '' ? '' : ` in ${shown}`;
      return { instancePath: path, key, ...(hint ? { hint } : {}), message: `unknown key "${key}"${where} (${hint ? `did you mean "${hint}"?` : `allowed: ${allowed.join(', ')}`})` };
    }
    case 'type':
      return { instancePath: path, message: `${subject} must be ${wanted(String(params.type))}${got}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      // A typo, or a shortening (`warn`).
      const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
      const hint = lower === undefined ? undefined : (didYouMean(lower, allowed) ?? (lower.length >= 3 ? allowed.find((a) => a.startsWith(lower)) : undefined));
      return { instancePath: path, message: `${subject} must be one of ${allowed.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}` };
    }
    case 'required':
      return { instancePath: path, missing: String(params.missingProperty), message: `${path === '' ? 'the config' : shown} is missing "${String(params.missingProperty)}"` };
    case 'anyOf':
      return { instancePath: path, message: `${subject} must be a string or a list of strings${got}` };
    case 'minLength':
      return { instancePath: path, message: `${subject} must not be empty` };
    case 'minItems':
      return { instancePath: path, message: `${subject} must not be an empty list` };
    default:
      // Not used by the schema (SCHEMA_KEYWORDS); kept plain all the same.
      return { instancePath: path, message: `${subject} is not valid here` };
  }
}

/**
 * Validate a rule's options against its `meta.schema`: problems with pointers relative to the
 * options object (`/allowNames/0`), described as the config's own problems are.
 */
export function validateRuleOptions(schema: Record<string, unknown>, options: unknown, didYouMean: Suggest): ConfigProblem[] {
  let compiled = optionValidators.get(schema);
  if (!compiled) optionValidators.set(schema, (compiled = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema)));
  if (compiled(options)) return [];
  return ((compiled.errors ?? []) as ErrorObject[]).map((e) => describeOptionError(e, options, didYouMean));
}

const optionValidators = new WeakMap<object, ReturnType<Ajv['compile']>>();

function describeOptionError(e: ErrorObject, raw: unknown, didYouMean: Suggest): ConfigProblem {
  const known = ['type', 'additionalProperties', 'enum', 'required', 'minLength', 'minItems'];
  if (known.includes(e.keyword)) {
    const p = describeError(e, raw, didYouMean);
    return { ...p, message: p.message.replace('the config', 'the options') };
  }
  const shown = displayPath(e.instancePath);
  return { instancePath: e.instancePath, message: `${shown ? `"${shown}"` : 'the options'} ${e.message ?? 'is not valid'}` };
}
