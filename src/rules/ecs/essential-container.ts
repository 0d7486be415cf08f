import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/essential-container',
  severity: 'error',
  description: 'A task definition needs at least one essential container.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const defs = td.props.prop('ContainerDefinitions');
      const items = defs.list();
      // Every container must be a known mapping (a condition may add or remove one otherwise).
      if (!items || items.length === 0 || td.containers.length !== items.length || !items.every((i) => i.surelyPresent)) continue;
      // Absent Essential means true; anything not surely false may be essential.
      if (!td.containers.every((c) => c.props.prop('Essential').bool() === false)) continue;
      const names = td.containers.map((c) => `"${c.name}"`);
      const list = names.length === 1 ? `its only container ${names[0]} is` : `all its containers (${names.join(', ')}) are`;
      report(defs, `Task definition "${td.label}" has no essential container: ${list} marked Essential false, so ECS rejects it; set Essential to true (or remove it, true is the default) on the container whose exit should stop the task.`, { atKey: true });
    }
  },
});
