import type { TaskDefinition } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';

export interface FargateContext {
  /** Why the task definition runs on Fargate: `requires FARGATE compatibility`, `is run on Fargate by service "Api"`. */
  why: string;
  /** What fails: registration (`ECS rejects it`) or running it on Fargate through a service. */
  fails: string;
}

/** Why and how a task definition meets Fargate's limits; undefined when it does not surely run there. */
export function fargateContext(model: FileView, td: TaskDefinition): FargateContext | undefined {
  if (model.taskRunsOnFargate(td) !== 'yes') return undefined;
  if (td.requiresFargate() === 'yes') return { why: 'requires FARGATE compatibility', fails: 'ECS rejects it' };
  const service = model.servicesRunning(td).find((s) => model.isFargate(s) === 'yes');
  return {
    why: service ? `is run on Fargate by service "${service.label}"` : 'runs on Fargate',
    fails: 'ECS cannot run its tasks on Fargate',
  };
}
