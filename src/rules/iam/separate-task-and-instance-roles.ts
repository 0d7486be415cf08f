import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import type { Role } from '../../model/entities.js';
import type { RoleRef } from '../../model/model.js';

/** `arn:<partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`, any partition. */
const INSTANCE_POLICY = /^arn:[a-z-]+:iam::aws:policy\/service-role\/AmazonEC2ContainerServiceforEC2Role$/;

/** How a role reference reads in a message. */
function roleName(ref: { role?: Role; name?: string }): string {
  return ref.name ?? ref.role?.label ?? 'role';
}

/** Does the role carry the container-instance managed policy? (Only a known ARN counts.) */
function carriesInstancePolicy(role: Role): boolean {
  for (const arn of role.managedPolicyArns.list() ?? []) {
    const s = arn.str();
    if (s !== undefined && INSTANCE_POLICY.test(s)) return true;
  }
  return false;
}

export default defineRule({
  id: 'iam/separate-task-and-instance-roles',
  severity: 'error',
  description: "A task role must not be the container instances' role.",
  check({ model, report }) {
    if (model.taskDefinitions.length === 0) return;
    // The roles of the container instances' instance profiles, with the launcher that uses each (once per run).
    const instanceRoles = model.all.memo('iam/separate-task-and-instance-roles', () => {
      const out: Array<{ ref: RoleRef; launcher: string }> = [];
      for (const l of model.all.containerInstanceLaunchers())
        for (const ref of model.all.instanceProfileRoles(l.instanceProfile()) ?? []) out.push({ ref, launcher: l.label });
      return out;
    });

    for (const td of model.taskDefinitions) {
      const prop = td.taskRole;
      const ref = model.roleRef(prop);
      if (ref === undefined || isUnknown(ref)) continue;
      const shown = roleName(ref);

      if (ref.role && carriesInstancePolicy(ref.role)) {
        report(
          prop,
          `Task definition "${td.label}" uses role "${shown}" as its task role, and that role carries the container-instance policy AmazonEC2ContainerServiceforEC2Role; give the task its own role (trusted by ecs-tasks.amazonaws.com) with only the permissions its application needs.`,
        );
        continue;
      }
      const hit = instanceRoles.find((i) => model.sameRole(ref, i.ref) === 'yes');
      if (hit) {
        report(
          prop,
          `Task definition "${td.label}" uses role "${shown}" as its task role, which is also the role of the ECS container instances launched by "${hit.launcher}"; give the task its own role (trusted by ecs-tasks.amazonaws.com) with only the permissions its application needs.`,
        );
      }
    }
  },
});
