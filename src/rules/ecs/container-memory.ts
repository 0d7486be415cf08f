import { defineRule } from '../../engine/rule.js';
import { cpuUnits, memoryMiB, shown, wholeNumber } from './lib/task-size.js';

/** `"web" 2048 and "proxy" 256` for a message. */
function parts(items: Array<{ name: string; value: number }>): string {
  const shownItems = items.map((i) => `"${i.name}" ${i.value}`);
  return shownItems.length <= 1 ? shownItems.join('') : `${shownItems.slice(0, -1).join(', ')} and ${shownItems[shownItems.length - 1]}`;
}

export default defineRule({
  id: 'ecs/container-memory',
  severity: 'error',
  description: 'Container memory and CPU must fit the task definition: a memory size for every container without task memory, reservations within limits and the task size.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const name = `Task definition "${td.label}"`;
      const of = `of task definition "${td.label}"`;
      const taskMem = td.memory;
      const taskCpu = td.cpu;

      // Without task-level memory every container needs a memory size (Fargate needs task memory:
      // ecs/fargate-task-size reports that instead).
      if (taskMem.absent && model.taskRunsOnFargate(td) !== 'yes') {
        for (const c of td.containers) {
          const mem = c.props.prop('Memory');
          const res = c.props.prop('MemoryReservation');
          if (mem.absent && res.absent) {
            report(c.props.anchor, `${name} sets no task-level Memory and its container "${c.name}" sets neither Memory nor MemoryReservation, so ECS rejects it ("At least one of 'memory' or 'memoryReservation' must be specified"); set MemoryReservation (a soft limit used for placement) and, if wanted, Memory (a hard limit) on the container, or a task-level Memory.`);
          }
        }
      }

      const taskMiB = memoryMiB(taskMem);
      const reserved: Array<{ name: string; value: number }> = [];
      for (const c of td.containers) {
        const memProp = c.props.prop('Memory');
        const resProp = c.props.prop('MemoryReservation');
        const mem = wholeNumber(memProp);
        const res = wholeNumber(resProp);
        if (mem !== undefined && res !== undefined && res > mem) {
          report(resProp, `Container "${c.name}" ${of} reserves ${res} MiB (MemoryReservation) but its hard limit is ${mem} MiB (Memory), so ECS rejects it; lower MemoryReservation to at most ${mem}, or raise Memory.`);
        }
        if (mem !== undefined && taskMiB !== undefined && mem > taskMiB) {
          report(memProp, `Container "${c.name}" ${of} has a Memory limit of ${mem} MiB, above the task's Memory of ${shown(taskMem, taskMiB, 'MiB')}, so ECS rejects it ("The 'memory' setting for container is greater than for the task"); lower the container's Memory or raise the task's.`);
        }
        // ECS adds up the MemoryReservation values that are set (a container with only a hard limit is
        // checked against the task's memory on its own, above). Unknown ones count as 0: a sum of known
        // reservations above the task's memory is too much whatever the rest is.
        if (res !== undefined) reserved.push({ name: c.name, value: res });
      }
      const total = reserved.reduce((a, r) => a + r.value, 0);
      if (taskMiB !== undefined && total > taskMiB) {
        report(taskMem, `${name} reserves ${total} MiB for its containers (MemoryReservation ${parts(reserved)}), more than the task's Memory of ${shown(taskMem, taskMiB, 'MiB')}, so ECS rejects it ("The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'"); lower the containers' reservations or raise the task's Memory.`);
      }

      const taskUnits = cpuUnits(taskCpu);
      if (taskUnits === undefined) continue;
      const cpus: Array<{ name: string; value: number }> = [];
      for (const c of td.containers) {
        const cpu = wholeNumber(c.props.prop('Cpu'));
        if (cpu !== undefined && cpu > 0) cpus.push({ name: c.name, value: cpu });
      }
      const cpuTotal = cpus.reduce((a, r) => a + r.value, 0);
      if (cpuTotal > taskUnits) {
        report(taskCpu, `${name} gives its containers ${cpuTotal} CPU units (${parts(cpus)}), more than the task's Cpu of ${shown(taskCpu, taskUnits, 'units')}, so ECS rejects it ("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'"); lower the containers' Cpu or raise the task's.`);
      }
    }
  },
});
