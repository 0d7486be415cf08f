import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'iam/separate-task-and-execution-roles',
  severity: 'warning',
  description: 'Task role and execution role should be different roles.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const task = model.roleRef(td.taskRole);
      const exec = model.roleRef(td.executionRole);
      if (task === undefined || isUnknown(task) || model.sameRole(task, exec) !== 'yes') continue;
      const shown = task.name ?? task.role?.label ?? 'role';
      report(
        td.taskRole,
        `Task definition "${td.label}" uses role "${shown}" as both task role and execution role, so its application code holds every permission the ECS agent needs to start it (image pulls, all referenced secrets, log delivery); set TaskRoleArn to a separate role with only the permissions the application uses.`,
      );
    }
  },
});
