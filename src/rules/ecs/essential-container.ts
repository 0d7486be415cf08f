import { defineRule, key } from '../../engine/rule.js';

/** `"a", "b" and "c"`. */
function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export default defineRule({
  id: 'ecs/essential-container',
  severity: 'error',
  description: 'A task definition needs at least one essential container.',
  meta: {
    messages: {
      onlyContainer: 'Task definition "{{taskDefinition}}" has no essential container (its only container {{container}} sets {{key}} to false), so ECS rejects it; set it to true or remove it.',
      allContainers: 'Task definition "{{taskDefinition}}" has no essential container (its containers {{containers}} all set {{key}} to false), so ECS rejects it; set it to true where an exit should stop the task.',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const defs = td.props.prop('ContainerDefinitions');
      const items = defs.list();
      // Every container must be a known mapping (a condition may add or remove one otherwise).
      if (!items || items.length === 0 || td.containers.length !== items.length || !items.every((i) => i.surelyPresent)) continue;
      // Absent Essential means true; anything not surely false may be essential.
      if (!td.containers.every((c) => c.props.prop('Essential').bool() === false)) continue;
      const about = { taskDefinition: td.label, key: key('Essential') };
      if (td.containers.length === 1) report(defs, 'onlyContainer', { ...about, container: td.containers[0]!.label }, { atKey: true });
      else report(defs, 'allContainers', { ...about, containers: list(td.containers.map((c) => c.label)) }, { atKey: true });
    }
  },
});
