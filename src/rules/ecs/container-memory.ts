import { defineRule, key } from '../../engine/rule.js';
import { cpuUnits, memoryMiB, shown, wholeNumber } from './lib/task-size.js';

/** `"web" 2048 and "proxy" 256` for a message. */
function parts(items: Array<{ name: string; value: number }>): string {
  const shownItems = items.map((i) => `${i.name} ${i.value}`);
  return shownItems.length <= 1 ? shownItems.join('') : `${shownItems.slice(0, -1).join(', ')} and ${shownItems[shownItems.length - 1]}`;
}

export default defineRule({
  id: 'ecs/container-memory',
  severity: 'error',
  description: 'Container memory and CPU must fit the task definition: a memory size for every container without task memory, reservations within limits and the task size.',
  meta: {
    messages: {
      noMemory:
        'Container {{container}} of task definition "{{taskDefinition}}" sets neither {{memory}} nor {{reservation}}, and the task sets no {{memory}}, so ECS rejects it; set {{reservation}} on the container.',
      reservationAboveLimit:
        'Container {{container}} of task definition "{{taskDefinition}}" reserves {{reserved}} MiB ({{reservation}}), above its {{memory}} limit of {{limit}} MiB, so ECS rejects it; lower one or raise the other.',
      aboveTask:
        'Container {{container}} of task definition "{{taskDefinition}}" has a {{memory}} limit of {{limit}} MiB, above the task\'s {{taskMemory}}, so ECS rejects it; lower it or raise the task\'s {{memory}}.',
      reservationsAboveTask:
        'Task definition "{{taskDefinition}}" reserves {{total}} MiB for its containers ({{reservation}} {{parts}}), above its {{memory}} of {{taskMemory}}, so ECS rejects it; lower them or raise {{memory}}.',
      cpuAboveTask:
        'Task definition "{{taskDefinition}}" gives its containers {{total}} CPU units ({{parts}}), above its {{cpu}} of {{taskCpu}}, so ECS rejects it; lower the containers\' {{cpu}} or raise it.',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const taskMem = td.memory;
      const taskCpu = td.cpu;
      const keys = { memory: key('Memory'), reservation: key('MemoryReservation'), cpu: key('Cpu') };

      // Without task-level memory every container needs a memory size (Fargate needs task memory:
      // ecs/fargate-task-size reports that instead).
      if (taskMem.absent && model.taskRunsOnFargate(td) !== 'yes') {
        for (const c of td.containers) {
          const mem = c.props.prop('Memory');
          const res = c.props.prop('MemoryReservation');
          if (mem.absent && res.absent) report(c.props.anchor, 'noMemory', { container: c.label, taskDefinition: td.label, ...keys });
        }
      }

      const taskMiB = memoryMiB(taskMem);
      const reserved: Array<{ name: string; value: number }> = [];
      for (const c of td.containers) {
        const about = { container: c.label, taskDefinition: td.label, ...keys };
        const memProp = c.props.prop('Memory');
        const resProp = c.props.prop('MemoryReservation');
        const mem = wholeNumber(memProp);
        const res = wholeNumber(resProp);
        if (mem !== undefined && res !== undefined && res > mem) report(resProp, 'reservationAboveLimit', { ...about, reserved: res, limit: mem });
        if (mem !== undefined && taskMiB !== undefined && mem > taskMiB) report(memProp, 'aboveTask', { ...about, limit: mem, taskMemory: shown(taskMem, taskMiB, 'MiB') });
        // ECS adds up the MemoryReservation values that are set (a container with only a hard limit is
        // checked against the task's memory on its own, above). Unknown ones count as 0: a sum of known
        // reservations above the task's memory is too much whatever the rest is.
        if (res !== undefined) reserved.push({ name: c.label, value: res });
      }
      const total = reserved.reduce((a, r) => a + r.value, 0);
      if (taskMiB !== undefined && total > taskMiB) {
        report(taskMem, 'reservationsAboveTask', { taskDefinition: td.label, ...keys, total, parts: parts(reserved), taskMemory: shown(taskMem, taskMiB, 'MiB') });
      }

      const taskUnits = cpuUnits(taskCpu);
      if (taskUnits === undefined) continue;
      const cpus: Array<{ name: string; value: number }> = [];
      for (const c of td.containers) {
        const cpu = wholeNumber(c.props.prop('Cpu'));
        if (cpu !== undefined && cpu > 0) cpus.push({ name: c.label, value: cpu });
      }
      const cpuTotal = cpus.reduce((a, r) => a + r.value, 0);
      if (cpuTotal > taskUnits) report(taskCpu, 'cpuAboveTask', { taskDefinition: td.label, ...keys, total: cpuTotal, parts: parts(cpus), taskCpu: shown(taskCpu, taskUnits, 'units') });
    }
  },
});
