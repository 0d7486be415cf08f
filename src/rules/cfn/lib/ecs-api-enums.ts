/**
 * Allowed values of ECS properties that the CloudFormation specification types as plain strings
 * although the ECS API takes one of a closed set (`NetworkMode`, `RequiresCompatibilities`,
 * `ContainerDefinitions[].LogConfiguration.LogDriver`, `DependsOn[].Condition`, ...).
 *
 * CloudFormation passes these values to the ECS API as they are, so the API's sets apply. They
 * come from the ECS API's shapes (generated/ecs/task-definition.json, from @aws-sdk/client-ecs;
 * loader src/rules/ecs/lib/api-schema.ts), matched to the CloudFormation shapes by walking both
 * from a common root: a CloudFormation property matches the API field of the same name in
 * another case (`NetworkMode` ↔ `networkMode`), nested property types the API's structures of the
 * fields that hold them. A property gets the API's set only where the CloudFormation spec has a
 * plain string (or list of strings) and the API an enum (or list of enums); a closed set the spec
 * records itself is kept.
 *
 * The ECS data is read only when a template uses a type the walk starts from
 * (`AWS::ECS::TaskDefinition`).
 */
import { ecsApiSpec } from '../../ecs/lib/api-schema.js';

/** A CloudFormation shape's raw property codes (the format of generated/cfn/, see spec.ts). */
export type RawProps = Record<string, string | [string, ...unknown[]]>;

/** Allowed values from the ECS API, for one property. */
export interface ApiEnum {
  /** The API's enum name (`NetworkMode`). */
  name: string;
  values: readonly string[];
  /** The property is a list of strings, each of which takes a value of the set. */
  list: boolean;
}

/** Roots where the CloudFormation and API shapes are the same object. */
const ROOTS: ReadonlyArray<readonly [cfnShape: string, apiStruct: string]> = [['AWS::ECS::TaskDefinition', 'RegisterTaskDefinitionRequest']];

/** Resource types whose shapes the walk reaches (other types never load the ECS data). */
const ROOT_TYPES: ReadonlySet<string> = new Set(ROOTS.map(([cfn]) => cfn.split('.')[0]!));

/** CloudFormation names that differ from the API's beyond letter case: `<cfn shape>.<prop>` → API field. */
const RENAMED: ReadonlyMap<string, string> = new Map([['AWS::ECS::TaskDefinition.ProxyConfiguration.ProxyConfigurationProperties', 'properties']]);

/**
 * Properties left unchecked although the API declares an enum, because the API takes more than
 * its enum:
 * - `PortMappings[].Protocol` is `tcp` or `udp` in the SDK, yet task definitions with
 *   `Protocol: http` register (the App Mesh examples deploy it);
 * - `LogConfiguration.LogDriver`: on EC2 the API takes drivers beyond its enum that the container
 *   agent supports (`sumologic`, `logentries`, `none`; cfn-lint dropped the enum for this reason,
 *   aws-cloudformation/cfn-lint#3933). The Fargate set is ecs/fargate-log-driver's.
 */
const EXCLUDED: ReadonlySet<string> = new Set(['AWS::ECS::TaskDefinition.PortMapping.Protocol', 'AWS::ECS::TaskDefinition.LogConfiguration.LogDriver']);

let overlay: Map<string, Map<string, ApiEnum>> | undefined;

/**
 * The API's allowed values of the properties of a CloudFormation ECS shape (`AWS::ECS::TaskDefinition`,
 * `AWS::ECS::TaskDefinition.ContainerDependency`), keyed by property name; undefined when none.
 * `raw` gives the raw property codes of a shape by its full name.
 */
export function ecsApiEnums(shape: string, raw: (name: string) => RawProps | undefined): ReadonlyMap<string, ApiEnum> | undefined {
  if (!ROOT_TYPES.has(shape.split('.')[0]!)) return undefined;
  overlay ??= build(raw);
  return overlay.get(shape);
}

function build(raw: (name: string) => RawProps | undefined): Map<string, Map<string, ApiEnum>> {
  const out = new Map<string, Map<string, ApiEnum>>();
  let api: ReturnType<typeof ecsApiSpec>;
  try {
    api = ecsApiSpec();
  } catch {
    return out; // no generated ECS data: only the spec's own sets are checked
  }
  const seen = new Set<string>();
  const walk = (cfnShape: string, apiStruct: string): void => {
    const key = `${cfnShape}|${apiStruct}`;
    if (seen.has(key)) return;
    seen.add(key);
    const props = raw(cfnShape);
    const fields = api.shapes.get(apiStruct);
    if (!props || !fields) return;
    const resourceType = cfnShape.split('.')[0]!;
    const byLower = new Map([...fields.keys()].map((k) => [k.toLowerCase(), k]));
    for (const [prop, code] of Object.entries(props)) {
      const path = `${cfnShape}.${prop}`;
      if (EXCLUDED.has(path)) continue;
      const field = RENAMED.get(path) ?? byLower.get(prop.toLowerCase());
      const apiType = field === undefined ? undefined : fields.get(field);
      if (apiType === undefined) continue;
      const list = Array.isArray(code) && code[0] === 'L';
      const inner = list ? (code[1] as RawProps[string]) : code;
      const apiInner = list ? (apiType.startsWith('list:') ? apiType.slice(5) : undefined) : apiType;
      if (apiInner === undefined || Array.isArray(inner)) continue; // maps, unions, the spec's own enums
      if (inner === 'S' && apiInner.startsWith('enum:')) {
        const name = apiInner.slice(5);
        const values = api.enums.get(name);
        if (!values?.length) continue;
        let m = out.get(cfnShape);
        if (!m) out.set(cfnShape, (m = new Map()));
        m.set(prop, { name, values, list });
      } else if (inner.length > 1 && apiInner.startsWith('struct:')) {
        // A property type: `Name` of the same resource, or `AWS::X::Y.Name` of another one.
        walk(inner.includes('::') ? inner : `${resourceType}.${inner}`, apiInner.slice(7));
      }
    }
  };
  for (const [cfnShape, apiStruct] of ROOTS) walk(cfnShape, apiStruct);
  return out;
}
