import { defineRule } from '../../engine/rule.js';
import type { Node } from '../../parsers/tree.js';
import type { Obj, Prop } from '../../model/value.js';
import { isRecord, plainOf, UNKNOWN, type Plain } from '../ecr/lib/plain.js';

/** Detail types Amazon ECS sends with source aws.ecs (and CloudTrail's, which also carry source aws.ecs). */
const DETAIL_TYPES = [
  'ECS Task State Change',
  'ECS Container Instance State Change',
  'ECS Deployment State Change',
  'ECS Service Action',
  'ECS Daemon Service Action',
  'ECS Daemon Deployment State Change',
  'AWS API Call via CloudTrail',
  'AWS Service Event via CloudTrail',
];

const TASK_STATES = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];

/** One value of a pattern field: a literal string to match, with where it is written. */
interface Literal {
  value: string;
  where: Prop | Node;
}

/**
 * A pattern field: its literal string values (content filters such as `{"prefix": ...}` are left out),
 * or undefined when the field is absent or cannot be known.
 */
interface Field {
  literals: Literal[];
  /** Some value is a content filter or cannot be known. */
  other: boolean;
}

/** A view of an event pattern: a located mapping, or a parsed JSON string (positions at the string). */
type PatternObj = { kind: 'obj'; obj: Obj } | { kind: 'plain'; value: { [k: string]: Plain }; where: Node };

function sub(p: PatternObj, key: string): PatternObj | undefined {
  if (p.kind === 'obj') {
    const o = p.obj.obj(key);
    return o ? { kind: 'obj', obj: o } : undefined;
  }
  const v = p.value[key];
  return isRecord(v) ? { kind: 'plain', value: v, where: p.where } : undefined;
}

function field(p: PatternObj, key: string): Field | undefined {
  if (p.kind === 'obj') {
    // Event pattern keys are case-sensitive; the located mapping is read by exact key.
    const pair = p.obj.node.pair(key);
    if (!pair) return undefined;
    const prop = p.obj.prop(key);
    if (!prop.known) return { literals: [], other: true };
    const items = prop.list() ?? [prop];
    const out: Field = { literals: [], other: false };
    for (const i of items) {
      const s = i.res.kind === 'literal' && typeof i.res.value === 'string' ? i.res.value : undefined;
      if (s !== undefined) out.literals.push({ value: s, where: i });
      else out.other = true;
    }
    return out;
  }
  const v = p.value[key];
  if (v === undefined) return undefined;
  if (v === UNKNOWN) return { literals: [], other: true };
  const out: Field = { literals: [], other: false };
  for (const i of Array.isArray(v) ? v : [v]) {
    if (typeof i === 'string') out.literals.push({ value: i, where: p.where });
    else out.other = true;
  }
  return out;
}

function patternOf(prop: Prop): PatternObj | undefined {
  if (!prop.surelyPresent) return undefined;
  const o = prop.obj();
  if (o) return { kind: 'obj', obj: o };
  const v = plainOf(prop, true);
  return isRecord(v) ? { kind: 'plain', value: v, where: prop.where } : undefined;
}

export default defineRule({
  id: 'events/ecs-event-pattern',
  severity: 'error',
  description: "Event patterns for ECS events must use ECS's detail types and task states.",
  check({ model, report }) {
    for (const rule of model.resources('AWS::Events::Rule')) {
      const pattern = patternOf(rule.props.prop('EventPattern'));
      if (!pattern) continue;
      const source = field(pattern, 'source');
      // Only patterns for ECS events alone: other sources have their own detail types.
      if (!source || source.other || source.literals.length === 0 || source.literals.some((l) => l.value !== 'aws.ecs')) continue;
      const name = `EventBridge rule "${rule.logicalId}"`;
      const dt = field(pattern, 'detail-type');
      for (const l of dt?.literals ?? []) {
        if (DETAIL_TYPES.includes(l.value)) continue;
        const close = DETAIL_TYPES.find((d) => d.toLowerCase() === l.value.toLowerCase() || d.replace(/\s/g, '').toLowerCase() === l.value.replace(/[\s_-]/g, '').toLowerCase());
        report(
          l.where,
          `${name} matches source aws.ecs with detail-type "${l.value}", which Amazon ECS never sends, so the rule never fires; ${close ? `use "${close}" (matching is exact and case-sensitive)` : `use one of ${DETAIL_TYPES.slice(0, 4).map((d) => `"${d}"`).join(', ')}`}.`,
        );
      }
      // Task states, for patterns that may match task state change events.
      // A misspelt task detail type (reported above) still shows what the pattern is for.
      const taskEvents = !dt || dt.other || dt.literals.some((l) => /^ecstask/.test(l.value.replace(/[\s_-]/g, '').toLowerCase()));
      const detail = sub(pattern, 'detail');
      if (!taskEvents || !detail) continue;
      for (const key of ['lastStatus', 'desiredStatus']) {
        for (const l of field(detail, key)?.literals ?? []) {
          if (TASK_STATES.includes(l.value)) continue;
          const upper = TASK_STATES.find((s) => s === l.value.toUpperCase());
          report(
            l.where,
            `${name} matches ECS task events with detail.${key} "${l.value}", which is not a task state, so that part of the pattern never matches; ${upper ? `use "${upper}" (matching is exact and case-sensitive)` : `use one of ${TASK_STATES.join(', ')}`}.`,
          );
        }
      }
    }
  },
});
