import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { Role, TaskDefinition } from '../../model/entities.js';
import type { RoleRef } from '../../model/model.js';
import type { Prop } from '../../model/value.js';
import { allows, sourcesOf, trusts } from './lib/policy.js';
import { ecsTargets } from './lib/targets.js';

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function roleLabel(ref: { role?: Role; name?: string }): string {
  return `"${ref.name ?? ref.role?.label ?? 'role'}"`;
}

export default defineRule({
  id: 'events/ecs-target-role',
  severity: 'error',
  description: 'The role of an EventBridge ECS target must trust EventBridge and allow ecs:RunTask and iam:PassRole.',
  check({ model, report }) {
    for (const t of ecsTargets(model)) {
      const roleArn = t.target.prop('RoleArn');
      const ref = model.roleRef(roleArn);
      if (ref === undefined || isUnknown(ref) || !(ref.role instanceof Role)) continue;
      const role = ref.role;
      const service = t.kind === 'rule' ? 'events.amazonaws.com' : 'scheduler.amazonaws.com';
      const who = t.kind === 'rule' ? 'EventBridge' : 'EventBridge Scheduler';
      const problems: string[] = [];
      const fixes: string[] = [];
      if (trusts(role, service) === 'no') {
        problems.push(`its trust policy does not let ${service} assume it`);
        fixes.push(`allow sts:AssumeRole for the service principal ${service} in AssumeRolePolicyDocument`);
      }
      const sources = sourcesOf(model, role);
      if (allows(sources, 'ecs:RunTask') === 'no') {
        problems.push('its policies do not allow ecs:RunTask');
        fixes.push('allow ecs:RunTask on the task definition');
      }
      const td = model.taskDefinitionNamed(t.ecs.prop('TaskDefinitionArn'));
      if (td instanceof TaskDefinition) {
        const missing: string[] = [];
        const roles: Array<[string, Prop]> = [
          ['task role', td.taskRole],
          ['execution role', td.executionRole],
        ];
        for (const [what, prop] of roles) {
          if (!prop.surelyPresent) continue;
          const passed: RoleRef = model.roleRef(prop);
          if (passed === undefined || isUnknown(passed)) continue;
          if (allows(sources, 'iam:PassRole', passed) === 'no') missing.push(`${what} ${roleLabel(passed)}`);
        }
        if (missing.length) {
          problems.push(`its policies do not allow iam:PassRole on the ${missing.join(' and ')} of task definition "${td.label}"`);
          fixes.push('allow iam:PassRole on those roles');
        }
      }
      if (problems.length === 0) continue;
      report(
        roleArn,
        `${t.label} uses role ${roleLabel(ref)}, but ${list(problems)}, so ${who} cannot start the task and every invocation fails; ${list(fixes)}${fixes.length > 1 || !fixes[0]!.startsWith('allow sts:') ? ' (the managed policy AmazonEC2ContainerServiceEventsRole grants ecs:RunTask and iam:PassRole)' : ''}.`,
      );
    }
  },
});
