import { Ajv } from 'ajv';

const severity = { enum: ['off', 'info', 'warning', 'error'] };
const ruleMap = { type: 'object', additionalProperties: severity };
const stringOrList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    extends: stringOrList,
    rules: ruleMap,
    ignorePatterns: { type: 'array', items: { type: 'string' } },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['files'],
        properties: { files: stringOrList, excludedFiles: stringOrList, rules: ruleMap },
      },
    },
    plugins: { type: 'array', items: { type: 'string' } },
  },
};

export interface ConfigProblem {
  instancePath: string;
  message: string;
  /** For a property that is not allowed: its name. */
  key?: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Validate a config object; the first problems first. */
export function validateConfig(raw: unknown): ConfigProblem[] {
  validator ??= new Ajv({ allErrors: true }).compile(CONFIG_SCHEMA);
  if (validator(raw)) return [];
  return (validator.errors ?? []).map((e) => {
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
    let message = e.message ?? 'is invalid';
    if (extra !== undefined) message = `unknown key "${extra}" (allowed: extends, rules, ignorePatterns, overrides, plugins)`;
    else if (allowed) message = `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    return { instancePath: e.instancePath, message, ...(extra !== undefined ? { key: extra } : {}) };
  });
}
