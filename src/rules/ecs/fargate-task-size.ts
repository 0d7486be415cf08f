import { defineRule } from '../../engine/rule.js';
import { fargateContext } from './lib/fargate.js';
import { keyName } from './lib/values.js';
import { cpuUnits, describeMemoryChoices, FARGATE_SIZES, memoryMiB, shown } from './lib/task-size.js';

const CPU_CHOICES = '256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units (0.25, 0.5, 1, 2, 4, 8 or 16 vCPU)';

/** The Fargate CPU size that supports a memory size: the one closest to `near`, else the smallest. */
function cpuFor(memory: number, near?: number): number | undefined {
  const fits = [...FARGATE_SIZES].filter(([, sizes]) => sizes.includes(memory)).map(([cpu]) => cpu);
  if (near === undefined) return fits[0];
  return fits.sort((a, b) => Math.abs(Math.log2(a / near)) - Math.abs(Math.log2(b / near)))[0];
}

export default defineRule({
  id: 'ecs/fargate-task-size',
  severity: 'error',
  description: 'Fargate task CPU and memory must be a supported combination.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const ctx = fargateContext(model, td);
      if (!ctx) continue;
      const { why, fails } = ctx;
      const name = `Task definition "${td.label}"`;
      const cpuProp = td.cpu;
      const memProp = td.memory;

      if (cpuProp.absent && memProp.absent) {
        report(td, `${name} ${why} but sets neither task-level Cpu nor Memory, which Fargate requires, so ${fails}; set Cpu and Memory to a supported pair, for example Cpu 256 with Memory 512, or Cpu 1024 with Memory 2048.`);
      } else if (cpuProp.absent) {
        const mem = memoryMiB(memProp);
        const fit = mem !== undefined ? cpuFor(mem) : undefined;
        report(td, `${name} ${why} but sets no task-level Cpu, which Fargate requires, so ${fails}; set Cpu to ${fit !== undefined ? `${fit} (the smallest size that supports Memory ${mem})` : `one of ${CPU_CHOICES}`}.`);
      } else if (memProp.absent) {
        const cpu = cpuUnits(cpuProp);
        const choices = cpu !== undefined && FARGATE_SIZES.has(cpu) ? ` (with Cpu ${cpu}: ${describeMemoryChoices(cpu)} MiB)` : '';
        report(td, `${name} ${why} but sets no task-level Memory, which Fargate requires, so ${fails}; set Memory to a size its Cpu supports${choices}.`);
      } else {
        const cpu = cpuUnits(cpuProp);
        const mem = memoryMiB(memProp);
        // 32768 (32 vCPU) is not a documented Fargate size, but is not judged either.
        if (cpu !== undefined && cpu !== 32768) {
          const sizes = FARGATE_SIZES.get(cpu);
          if (!sizes) {
            report(cpuProp, `${name} ${why} but its Cpu ${shown(cpuProp, cpu)} is not a Fargate task size, so ${fails}; use ${CPU_CHOICES}.`);
          } else if (mem !== undefined && !sizes.includes(mem)) {
            const fit = cpuFor(mem, cpu);
            const alt = fit !== undefined ? `, or set Cpu to ${fit} for Memory ${mem}` : '';
            report(memProp, `${name} ${why} but its Memory ${shown(memProp, mem)} is not supported with Cpu ${shown(cpuProp, cpu)} on Fargate, so ${fails}; with Cpu ${cpu} set Memory to ${describeMemoryChoices(cpu)} MiB${alt}.`);
          }
        }
      }

      const size = td.props.obj('EphemeralStorage')?.prop('SizeInGiB');
      const gib = size?.num();
      if (size && gib !== undefined && (gib < 21 || gib > 200)) {
        report(size, `${name} ${why} but asks for ${gib} GiB of ephemeral storage (${keyName(size)}); Fargate accepts 21 to 200 GiB, so ${fails}; set a size in that range, or remove EphemeralStorage for the default 20 GiB.`);
      }
    }
  },
});
