import { defineRule, key, type MessageData } from '../../engine/rule.js';
import { isMap, isScalar, isSeq, type Node } from '../../parsers/tree.js';
import { SAM_TRANSFORM, type CfnEntry, type Template } from '../../model/cfn.js';
import { didYouMean } from '../lib/schema-findings.js';
import { fitList } from './lib/validate.js';

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

export const TEMPLATE_STRUCTURE_MESSAGES = {
  unknownSectionHint: 'The template has the top-level section "{{section}}", which CloudFormation does not accept; did you mean "{{hint}}"?',
  unknownSection: 'The template has the top-level section "{{section}}", which CloudFormation does not accept; the sections are {{allowed}}.',
  globalsWithoutSam: 'The template has a {{section}} section without the SAM transform; add Transform: {{transform}}, or move its settings into the resources.',
  hooksWithoutBlueGreen: 'The template has a {{section}} section without the {{transform}} transform; add Transform: {{transform}}, or remove the section.',
  versionNotString: '{{key}} is {{actual}}; the only version CloudFormation accepts is the string "{{version}}".',
  versionEmpty: '{{key}} is empty; write "{{version}}" (the only version CloudFormation accepts) or remove the key.',
  versionOfPolicies: '{{key}} is "{{value}}", the version of IAM policy documents; the only template format version is "{{version}}".',
  versionUnknown: '{{key}} is "{{value}}"; the only version CloudFormation accepts is "{{version}}".',
  descriptionNotString: 'The template\'s {{key}} is {{actual}}, not a string; write the description as one string.',
  resourcesNull: 'The {{section}} section is empty; CloudFormation requires at least one resource.',
  sectionNull: 'The {{section}} section is empty (null), which CloudFormation rejects; remove the key or add entries.',
  sectionNotMap: 'The {{section}} section is {{actual}}, not a mapping of {{entries}}.',
  sectionDashed: 'The {{section}} section is {{actual}}, not a mapping of {{entries}}; remove the "- " before each entry.',
  resourcesNone: 'The {{section}} section has no resources; CloudFormation requires at least one.',
  noResources: 'The template has no {{section}} section; CloudFormation requires one, with at least one resource.',
  resourceEmpty: 'Resource "{{resource}}" is empty; a resource needs a {{type}} (such as AWS::S3::Bucket) and usually {{properties}}.',
  resourceNotMap: 'Resource "{{resource}}" is {{actual}}, not a mapping with {{type}} and {{properties}}.',
  noType: 'Resource "{{resource}}" has no {{key}}; every resource needs one (such as AWS::ECS::Service).',
  badType: 'Resource "{{resource}}" has a {{key}} that is {{actual}}, not a resource type name (such as AWS::ECS::Service).',
  unknownKeyHint: 'Resource "{{resource}}" has the key "{{key}}", which CloudFormation does not accept on a resource; did you mean "{{hint}}"?',
  unknownKey: 'Resource "{{resource}}" has the key "{{key}}", which CloudFormation does not accept on a resource; it takes {{allowed}}.',
} as const;

type MessageId = keyof typeof TEMPLATE_STRUCTURE_MESSAGES;
type Report = (target: Node, messageId: MessageId, data?: MessageData) => void;

export default defineRule({
  id: 'cfn/template-structure',
  severity: 'error',
  description: 'Templates must have the structure CloudFormation accepts: known sections of the right type, a Resources section with at least one resource, resources with a Type.',
  meta: { messages: TEMPLATE_STRUCTURE_MESSAGES },
  check({ model, report }) {
    for (const template of model.templates) checkTemplate(template, report);
  },
});

/** Entries a section holds, for messages. */
const ENTRIES: Record<string, string> = {
  Resources: 'resources by logical id',
  Parameters: 'parameters by name',
  Outputs: 'outputs by name',
  Conditions: 'conditions by name',
  Mappings: 'maps by name',
};

function checkTemplate(template: Template, report: Report): void {
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
      if (!rewritten) unknownSection(name, entry.key, report);
      continue;
    }
    const section = key(name);
    if (name === 'Resources') resources = entry;
    if (name === 'AWSTemplateFormatVersion') {
      if (!isScalar(value) || String(value.value) !== VERSION) version(value.kind === 'scalar' && value.value === null ? entry.key : value, value, report);
    } else if (name === 'Description') {
      if (!isScalar(value)) report(value, 'descriptionNotString', { key: section, actual: what(value) });
    } else if (MAP_SECTIONS.has(name)) {
      if (isScalar(value) && value.value === null) {
        report(entry.key, name === 'Resources' ? 'resourcesNull' : 'sectionNull', { section });
      } else if (!isMap(value)) {
        // `Resources:\n  - Bucket:\n      Type: ...`: a list of one-key mappings is a mapping written with dashes.
        const dashed = isSeq(value) && value.items.length > 0 && value.items.every((i) => isMap(i) && i.size === 1);
        report(value, dashed ? 'sectionDashed' : 'sectionNotMap', { section, actual: what(value), entries: ENTRIES[name] ?? 'entries by name' });
      } else if (name === 'Resources' && value.size === 0 && !rewritten) {
        report(entry.key, 'resourcesNone', { section });
      }
    }
  }
  if (!resources && !rewritten) {
    const first = template.sections[0];
    report(first ? first.key : template.root, 'noResources', { section: key('Resources') });
  }
  const resourceKeys = new Set([...RESOURCE_KEYS, ...(sam ? SAM_RESOURCE_KEYS : [])]);
  const shape = { type: key('Type'), properties: key('Properties') };
  for (const { key: idNode, value } of template.resourceEntries) {
    const resource = String(idNode.value);
    if (isScalar(value) && value.value === null) {
      report(idNode, 'resourceEmpty', { resource, ...shape });
      continue;
    }
    if (!isMap(value)) {
      report(value, 'resourceNotMap', { resource, actual: what(value), ...shape });
      continue;
    }
    const type = value.pair('Type');
    if (!type) report(idNode, 'noType', { resource, key: key('Type') });
    else if (!isScalar(type.value) || typeof type.value.value !== 'string' || type.value.value === '') {
      const v = type.value;
      report(isScalar(v) && v.value === null ? type.key : v, 'badType', { resource, key: key('Type'), actual: isScalar(v) && v.value === '' ? 'an empty string' : what(v) });
    }
    if (rewritten) continue;
    for (let i = 0; i < value.size; i++) {
      const k = value.keyAt(i);
      const attr = String(k.value);
      if (resourceKeys.has(attr) || LEGACY_RESOURCE_KEYS.includes(attr)) continue;
      const hint = didYouMean(attr, resourceKeys);
      if (hint) report(k, 'unknownKeyHint', { resource, key: key(attr), hint: key(hint) });
      else {
        const data = { resource, key: key(attr) };
        report(k, 'unknownKey', { ...data, allowed: fitList(TEMPLATE_STRUCTURE_MESSAGES.unknownKey, data, 'allowed', [...resourceKeys], false) });
      }
    }
  }
}

function unknownSection(name: string, at: Node, report: Report): void {
  const section = key(name);
  if (name === 'Globals') return report(at, 'globalsWithoutSam', { section, transform: SAM_TRANSFORM });
  if (name === 'Hooks') return report(at, 'hooksWithoutBlueGreen', { section, transform: BLUE_GREEN });
  const hint = didYouMean(name, SECTIONS);
  if (hint) report(at, 'unknownSectionHint', { section, hint: key(hint) });
  else report(at, 'unknownSection', { section, allowed: fitList(TEMPLATE_STRUCTURE_MESSAGES.unknownSection, { section }, 'allowed', SECTIONS, false) });
}

function version(at: Node, value: Node, report: Report): void {
  const data = { key: key('AWSTemplateFormatVersion'), version: VERSION };
  if (!isScalar(value)) return report(at, 'versionNotString', { ...data, actual: what(value) });
  if (value.value === null) return report(at, 'versionEmpty', data);
  const text = String(value.value);
  if (text === '2012-10-17') return report(at, 'versionOfPolicies', { ...data, value: text });
  report(at, 'versionUnknown', { ...data, value: JSON.stringify(text).slice(1, -1) });
}
