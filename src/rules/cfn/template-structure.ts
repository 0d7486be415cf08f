import { defineRule } from '../../engine/rule.js';
import { isMap, isScalar, isSeq, type Node } from '../../parsers/tree.js';
import { SAM_TRANSFORM, type CfnEntry, type Template } from '../../model/cfn.js';
import { didYouMean } from '../lib/schema-findings.js';

const VERSION = '2010-09-09';
const BLUE_GREEN = 'AWS::CodeDeployBlueGreen';

/** The top-level sections CloudFormation accepts, in the order its documentation lists them. */
const SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs'];

/** Sections whose value is a mapping of named entries. */
const MAP_SECTIONS = new Set(['Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Globals', 'Hooks']);

/** Keys a resource may have (its attributes). */
const RESOURCE_KEYS = ['Type', 'Properties', 'DependsOn', 'Condition', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy'];
/** Accepted on a resource but not documented any more (custom resources of older templates). */
const LEGACY_RESOURCE_KEYS = ['Version'];
/** Resource attributes the SAM transform adds. */
const SAM_RESOURCE_KEYS = ['Connectors', 'IgnoreGlobals'];

/** What a value is, for messages. */
function what(n: Node): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (n.value === null) return 'empty';
  if (typeof n.value === 'string') return `the string ${JSON.stringify(n.value.length > 40 ? n.value.slice(0, 40) + '…' : n.value)}`;
  return `the ${typeof n.value} ${String(n.value)}`;
}

function list(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
}

export default defineRule({
  id: 'cfn/template-structure',
  severity: 'error',
  description: 'Templates must have the structure CloudFormation accepts: known sections of the right type, a Resources section with at least one resource, resources with a Type.',
  check({ model, report }) {
    for (const template of model.templates) checkTemplate(template, report);
  },
});

function checkTemplate(template: Template, report: (target: Node, message: string) => void): void {
  const rewritten = template.rewrittenBy !== undefined;
  const sam = template.hasTransform(SAM_TRANSFORM);
  const allowed = new Set(SECTIONS);
  if (sam) allowed.add('Globals');
  if (template.hasTransform(BLUE_GREEN)) allowed.add('Hooks');
  let resources: CfnEntry | undefined;
  for (const entry of template.sections) {
    const name = String(entry.key.value);
    const value = entry.value;
    if (!allowed.has(name)) {
      // A macro or AWS::Include may consume sections of its own.
      if (!rewritten) report(entry.key, unknownSection(name));
      continue;
    }
    if (name === 'Resources') resources = entry;
    if (name === 'AWSTemplateFormatVersion') {
      if (!isScalar(value) || String(value.value) !== VERSION) report(value.kind === 'scalar' && value.value === null ? entry.key : value, versionMessage(value));
    } else if (name === 'Description') {
      if (!isScalar(value)) report(value, `The template's Description is ${what(value)}, not a string; write the description as one string.`);
    } else if (MAP_SECTIONS.has(name)) {
      if (isScalar(value) && value.value === null) {
        report(entry.key, name === 'Resources' ? 'The Resources section is empty; CloudFormation requires at least one resource.' : `The ${name} section is empty (null), which CloudFormation rejects; remove the key or add entries.`);
      } else if (!isMap(value)) {
        report(value, notAMap(name, value));
      } else if (name === 'Resources' && value.size === 0 && !rewritten) {
        report(entry.key, 'The Resources section has no resources; CloudFormation requires at least one.');
      }
    }
  }
  if (!resources && !rewritten) {
    const first = template.sections[0];
    report(first ? first.key : template.root, 'The template has no Resources section; CloudFormation requires one, with at least one resource.');
  }
  const resourceKeys = new Set([...RESOURCE_KEYS, ...(sam ? SAM_RESOURCE_KEYS : [])]);
  for (const { key, value } of template.resourceEntries) {
    const id = String(key.value);
    if (isScalar(value) && value.value === null) {
      report(key, `Resource "${id}" is empty; a resource needs a Type (such as AWS::S3::Bucket) and usually Properties.`);
      continue;
    }
    if (!isMap(value)) {
      report(value, `Resource "${id}" is ${what(value)}, not a mapping with Type and Properties.`);
      continue;
    }
    const type = value.pair('Type');
    if (!type) report(key, `Resource "${id}" has no Type; every resource needs one (such as AWS::ECS::Service).`);
    else if (!isScalar(type.value) || typeof type.value.value !== 'string' || type.value.value === '') {
      const v = type.value;
      report(isScalar(v) && v.value === null ? type.key : v, `Resource "${id}" has a Type that is ${isScalar(v) && v.value === '' ? 'an empty string' : what(v)}, not a resource type name (such as AWS::ECS::Service).`);
    }
    if (rewritten) continue;
    for (let i = 0; i < value.size; i++) {
      const k = value.keyAt(i);
      const attr = String(k.value);
      if (resourceKeys.has(attr) || LEGACY_RESOURCE_KEYS.includes(attr)) continue;
      const hint = didYouMean(attr, resourceKeys);
      report(k, `Resource "${id}" has the key "${attr}", which CloudFormation does not accept on a resource${hint ? `; did you mean "${hint}"?` : `; a resource takes ${list([...resourceKeys])}.`}`);
    }
  }
}

function unknownSection(name: string): string {
  const base = `The template has the top-level section "${name}", which CloudFormation does not accept`;
  if (name === 'Globals') return `${base} without the SAM transform; add Transform: ${SAM_TRANSFORM}, or move its settings into the resources.`;
  if (name === 'Hooks') return `${base} without the ${BLUE_GREEN} transform; add Transform: ${BLUE_GREEN}, or remove the section.`;
  const hint = didYouMean(name, SECTIONS);
  return hint ? `${base}; did you mean "${hint}"?` : `${base}; the sections are ${list(SECTIONS)}.`;
}

function versionMessage(value: Node): string {
  if (!isScalar(value)) return `AWSTemplateFormatVersion is ${what(value)}; the only version CloudFormation accepts is the string "${VERSION}".`;
  if (value.value === null) return `AWSTemplateFormatVersion is empty; write "${VERSION}" (the only version CloudFormation accepts) or remove the key.`;
  const text = String(value.value);
  if (text === '2012-10-17') return `AWSTemplateFormatVersion is "2012-10-17", the version of IAM policy documents; the only template format version is "${VERSION}".`;
  return `AWSTemplateFormatVersion is ${JSON.stringify(text)}; the only version CloudFormation accepts is "${VERSION}".`;
}

function notAMap(name: string, value: Node): string {
  const entries = name === 'Resources' ? 'resources by logical id' : name === 'Parameters' ? 'parameters by name' : name === 'Outputs' ? 'outputs by name' : name === 'Conditions' ? 'conditions by name' : name === 'Mappings' ? 'maps by name' : 'entries by name';
  // `Resources:\n  - Bucket:\n      Type: ...`: a list of one-key mappings is a mapping written with dashes.
  const dashed = isSeq(value) && value.items.length > 0 && value.items.every((i) => isMap(i) && i.size === 1);
  return `The ${name} section is ${what(value)}, not a mapping of ${entries}${dashed ? '; remove the "- " before each entry' : ''}.`;
}
