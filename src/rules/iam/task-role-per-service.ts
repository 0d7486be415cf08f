import { basename } from 'node:path';
import { defineRule } from '../../engine/rule.js';
import { TaskDefinition, type Service } from '../../model/entities.js';
import type { FileView, RoleRef } from '../../model/model.js';

interface Runs {
  service: Service;
  td: TaskDefinition;
  role: Exclude<RoleRef, 'none' | 'unknown'>;
}

/** The task definition a service runs and its task role, when both are known. */
function runs(model: FileView, service: Service): Runs | undefined {
  const td = model.taskDefinitionOf(service);
  if (!(td instanceof TaskDefinition)) return undefined;
  const role = model.roleRef(td.taskRole);
  if (role === 'none' || role === 'unknown') return undefined;
  return { service, td, role };
}

/**
 * Each pair of services that share a task role is reported once, at the later service of the pair:
 * services are ordered as the run reads them (files in path order, resources in document order),
 * and a service is reported naming every earlier service whose task role is the same.
 * Services that run the same task definition are left alone, and a service whose task definition
 * an earlier service already runs is not reported again (its pairs were reported with that service).
 */
export default defineRule({
  id: 'iam/task-role-per-service',
  severity: 'warning',
  description: 'Each ECS service should have its own task role.',
  check({ model, file, report }) {
    if (model.services.length === 0) return;
    const all = model.all.services;
    const mine = new Set(model.services);
    const last = Math.max(...model.services.map((s) => all.indexOf(s)));
    const known: Runs[] = [];
    for (const service of all.slice(0, last + 1)) {
      const r = runs(model, service);
      // A service whose task definition an earlier service already runs adds no new pair.
      if (mine.has(service) && r && !known.some((k) => k.td === r.td)) {
        const earlier = known.filter((k) => k.td !== r.td && model.sameRole(k.role, r.role) === 'yes');
        if (earlier.length > 0) {
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
      }
      if (r) known.push(r);
    }
  },
});
