import { isUnknown, unknown } from '../../model/answer.js';
import { basename } from 'node:path';
import { byCodePoint } from '../../parsers/text-scan.js';
import { defineRule } from '../../engine/rule.js';
import { TaskDefinition, type Service } from '../../model/entities.js';
import type { FileView, KnownRole } from '../../model/model.js';

interface Runs {
  service: Service;
  td: TaskDefinition;
  role: KnownRole;
}

/** The task definition a service runs and its task role, when both are known. */
function runs(model: FileView, service: Service): Runs | undefined {
  const td = model.taskDefinitionOf(service);
  if (!(td instanceof TaskDefinition)) return undefined;
  const role = model.roleRef(td.taskRole);
  if (role === undefined || isUnknown(role)) return undefined;
  return { service, td, role };
}

/** A role's identity for grouping: its known name, else the role resource itself. */
function roleKey(role: Runs['role']): unknown {
  return role.name !== undefined ? `name:${role.name}` : role.role;
}

/**
 * For every service that shares its task role with earlier services of the run: those services.
 * Services are ordered as the run reads them (files in path order, resources in document order);
 * services that run the same task definition are left alone, and a service whose task definition
 * an earlier service already runs is not reported again (its pairs were reported with that service).
 * Computed once per run.
 */
function sharedRoles(model: FileView): Map<Service, { runs: Runs; earlier: Runs[] }> {
  return model.all.memo('iam/task-role-per-service', () => {
    const out = new Map<Service, { runs: Runs; earlier: Runs[] }>();
    const byRole = new Map<unknown, Runs[]>();
    const seenTd = new Set<TaskDefinition>();
    // In path order, then document order, whatever order the files were given in.
    const services = [...model.all.services].sort((a, b) => byCodePoint(a.file.path, b.file.path) || a.props.node.start - b.props.node.start);
    for (const service of services) {
      const r = runs(model, service);
      if (!r) continue;
      const group = byRole.get(roleKey(r.role)) ?? [];
      if (!seenTd.has(r.td)) {
        const earlier = group.filter((k) => k.td !== r.td);
        if (earlier.length) out.set(service, { runs: r, earlier });
      }
      seenTd.add(r.td);
      group.push(r);
      byRole.set(roleKey(r.role), group);
    }
    return out;
  });
}

export default defineRule({
  id: 'iam/task-role-per-service',
  severity: 'warning',
  description: 'Each ECS service should have its own task role.',
  check({ model, file, report }) {
    if (model.services.length === 0) return;
    const shared = sharedRoles(model);
    for (const service of model.services) {
      const hit = shared.get(service);
      if (!hit) continue;
      const { runs: r, earlier } = hit;
      const items = earlier.map(
        (k) => `"${k.service.label}" (task definition "${k.td.label}"${k.service.file === file ? '' : ` in ${basename(k.service.file.path)}`})`,
      );
      const names = items.length === 1 ? `service ${items[0]}` : `services ${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
      const shown = r.role.name ?? r.role.role?.label ?? 'role';
      report(
        service.taskDefinition,
        `Service "${service.label}" runs task definition "${r.td.label}" whose task role "${shown}" is also the task role of ${names}; give each service its own task role with only the permissions its application needs.`,
      );
    }
  },
});
