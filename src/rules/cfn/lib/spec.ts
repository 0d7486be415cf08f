/**
 * CloudFormation resource shapes, from @aws-cdk/aws-service-spec, generated at build time by
 * scripts/gen-cfn-spec.mjs into generated/cfn/ (format: /work/briefs/cfn-spec-format.md and below).
 *
 * Loaded lazily and cached: the type index on first use, then one service file
 * (`generated/cfn/AWS-ECS.json`) the first time a template uses a type of that service.
 *
 * Type codes in the files: "S" string, "I" integer, "N" number, "B" boolean, "J" JSON (object or
 * string), "D" timestamp, "T" tag; ["L", t] list; ["M", t] map; ["E", v...] closed enum;
 * ["U", t...] any of; any other string names a property type (of the same resource, or
 * `<ResourceType>.<Name>` when it contains "::").
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../../engine/paths.js';
import { ecsApiEnums, type RawProps } from './ecs-api-enums.js';

type Code = string | [string, ...unknown[]];
interface ShapeData {
  p: Record<string, Code>;
  r: string[];
  a?: string[];
  o?: string[][];
}
interface ServiceData {
  resources: Record<string, ShapeData>;
  types: Record<string, ShapeData>;
}

/** The type of a property value. */
export type TypeSpec =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'timestamp' }
  | { kind: 'list' | 'map'; of: TypeSpec }
  | {
      kind: 'enum';
      values: ReadonlyArray<string | number>;
      /**
       * The set comes from the ECS API (the spec types the property as a string; see
       * ecs-api-enums.ts): its enum's name. Such values are compared ignoring case, since how the
       * API treats another case is not documented.
       */
      api?: string;
    }
  | { kind: 'union'; of: TypeSpec[] }
  | { kind: 'object'; name: string; shape: () => ShapeSpec | undefined };

/** An object shape: a resource's Properties, or a property type. */
export interface ShapeSpec {
  /** `AWS::ECS::Service`, or `AWS::ECS::Service.LoadBalancer` for a property type. */
  readonly name: string;
  readonly props: ReadonlyMap<string, TypeSpec>;
  readonly required: readonly string[];
  /** Groups of properties of which at least one must be set (requirements the spec cannot express). */
  readonly oneOf?: ReadonlyArray<readonly string[]>;
}

export interface ResourceSpec extends ShapeSpec {
  readonly type: string;
  /** Names `Fn::GetAtt` accepts (dotted ones included, e.g. `Endpoint.Address`). */
  readonly attrs: readonly string[];
}

// The package root, found from this module (src/ under the tests, dist/, or the bundle).
const dir = (file: string) => packagePath('generated', 'cfn', file);

let index: { types: string[]; set: Set<string> } | undefined;
function loadIndex(): { types: string[]; set: Set<string> } {
  if (!index) {
    const data = JSON.parse(readFileSync(dir('index.json'), 'utf8')) as { types: string[] };
    index = { types: data.types, set: new Set(data.types) };
  }
  return index;
}

const services = new Map<string, ServiceData | null>();
function service(type: string): ServiceData | undefined {
  const ns = type.split('::').slice(0, 2).join('-');
  let s = services.get(ns);
  if (s === undefined) {
    try {
      s = JSON.parse(readFileSync(dir(`${ns}.json`), 'utf8')) as ServiceData;
    } catch {
      s = null;
    }
    services.set(ns, s);
  }
  return s ?? undefined;
}

/** Every resource type name of the spec, sorted. */
export function resourceTypeNames(): readonly string[] {
  return loadIndex().types;
}

/** The type is in the spec (custom and registry types are not). */
export function isKnownResourceType(type: string): boolean {
  return loadIndex().set.has(type);
}

const SCALARS: Record<string, TypeSpec> = {
  S: { kind: 'string' },
  I: { kind: 'integer' },
  N: { kind: 'number' },
  B: { kind: 'boolean' },
  J: { kind: 'json' },
  D: { kind: 'timestamp' },
};

const TAG: ShapeSpec = {
  name: 'Tag',
  props: new Map<string, TypeSpec>([
    ['Key', SCALARS.S!],
    ['Value', SCALARS.S!],
  ]),
  required: ['Key', 'Value'],
};
const TAG_TYPE: TypeSpec = { kind: 'object', name: 'Tag', shape: () => TAG };

const shapes = new Map<string, ShapeSpec | null>();

function decode(code: Code, resourceType: string): TypeSpec {
  if (typeof code === 'string') {
    const s = SCALARS[code];
    if (s) return s;
    if (code === 'T') return TAG_TYPE;
    const name = code.includes('::') ? code : `${resourceType}.${code}`;
    return { kind: 'object', name, shape: () => propertyTypeSpec(name) };
  }
  const [k, ...rest] = code;
  if (k === 'L') return { kind: 'list', of: decode(rest[0] as Code, resourceType) };
  if (k === 'M') return { kind: 'map', of: decode(rest[0] as Code, resourceType) };
  if (k === 'E') return { kind: 'enum', values: rest as Array<string | number> };
  return { kind: 'union', of: rest.map((c) => decode(c as Code, resourceType)) };
}

/** The raw property codes of a resource type or property type, by full name. */
function rawProps(name: string): RawProps | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return service(name)?.resources[name]?.p;
  return service(name.slice(0, dot))?.types[name]?.p;
}

function shapeOf(name: string, resourceType: string, data: ShapeData): ShapeSpec {
  const props = new Map<string, TypeSpec>();
  const api = ecsApiEnums(name, rawProps);
  for (const [k, c] of Object.entries(data.p)) {
    const e = api?.get(k);
    if (!e) props.set(k, decode(c, resourceType));
    else {
      const t: TypeSpec = { kind: 'enum', values: e.values, api: e.name };
      props.set(k, e.list ? { kind: 'list', of: t } : t);
    }
  }
  return { name, props, required: data.r, ...(data.o ? { oneOf: data.o } : {}) };
}

/** A property type by its full name (`AWS::ECS::Service.LoadBalancer`). */
export function propertyTypeSpec(name: string): ShapeSpec | undefined {
  let s = shapes.get(name);
  if (s === undefined) {
    const dot = name.indexOf('.');
    const resourceType = name.slice(0, dot);
    const data = dot > 0 ? service(resourceType)?.types[name] : undefined;
    s = data ? shapeOf(name, resourceType, data) : null;
    shapes.set(name, s);
  }
  return s ?? undefined;
}

const resources = new Map<string, ResourceSpec | null>();

/** The shape of a resource type, or undefined when the spec does not have it. */
export function resourceSpec(type: string): ResourceSpec | undefined {
  let r = resources.get(type);
  if (r === undefined) {
    const data = isKnownResourceType(type) ? service(type)?.resources[type] : undefined;
    r = data ? { ...shapeOf(type, type, data), type, attrs: data.a ?? [] } : null;
    resources.set(type, r);
  }
  return r ?? undefined;
}

/** The `Fn::GetAtt` attribute names of a resource type, or undefined when the spec does not have the type. */
export function attributes(type: string): readonly string[] | undefined {
  return resourceSpec(type)?.attrs;
}
