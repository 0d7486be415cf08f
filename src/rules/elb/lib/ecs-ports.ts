import { isUnknown, unknown } from '../../../model/answer.js';
import { Service, TargetGroup, TaskDefinition, type Container, type Tri } from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Obj } from '../../../model/value.js';

/** An ECS service's load balancer entry that registers tasks in a target group of the model. */
export interface Registration {
  service: Service;
  entry: Obj;
  taskDefinition: TaskDefinition;
  container: Container;
  /** The port mapping of ContainerPort in the container, when there is exactly one. */
  mapping: Obj | undefined;
}

/** Every service registration of the run, by target group (memoised). */
export function registrationsByTargetGroup(model: FileView): Map<TargetGroup, Registration[]> {
  return model.all.memo('elb/lib:registrations', () => {
    const m = new Map<TargetGroup, Registration[]>();
    for (const service of model.all.services) {
      const entries = service.loadBalancers;
      if (entries.length === 0) continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition)) continue;
      for (const entry of entries) {
        const tg = model.refTarget(entry.prop('TargetGroupArn'), TargetGroup);
        if (!(tg instanceof TargetGroup)) continue;
        const name = entry.prop('ContainerName').str();
        const port = entry.prop('ContainerPort').num();
        if (name === undefined || port === undefined) continue;
        const containers = td.containers.filter((c) => c.props.prop('Name').str() === name);
        if (containers.length !== 1) continue;
        const container = containers[0]!;
        const mappings = container.props.prop('PortMappings').objects().filter((pm) => pm.prop('ContainerPort').num() === port);
        const reg: Registration = { service, entry, taskDefinition: td, container, mapping: mappings.length === 1 ? mappings[0] : undefined };
        m.set(tg, [...(m.get(tg) ?? []), reg]);
      }
    }
    return m;
  });
}

/**
 * Does the task definition use bridge networking? `bridge`, or NetworkMode absent on a Linux task
 * that does not require Fargate (EC2's default); unknown otherwise.
 */
export function bridgeNetworking(model: FileView, td: TaskDefinition): Tri {
  const nm = td.networkMode;
  if (nm.present) {
    if (!nm.known) return unknown('cannot be known from the run');
    return nm.is('bridge') ? 'yes' : 'no';
  }
  if (td.requiresFargate() !== 'no' || model.taskRunsOnFargate(td) !== 'no') return unknown('cannot be known from the run');
  return td.windows() === 'no' ? 'yes' : unknown('cannot be known from the run');
}

/** Does a registration use a dynamic host port (bridge networking, HostPort 0 or absent)? */
export function dynamicHostPort(model: FileView, reg: Registration): Tri {
  if (!reg.mapping) return unknown('cannot be known from the run');
  const bridge = bridgeNetworking(model, reg.taskDefinition);
  if (bridge !== 'yes') return bridge;
  const hp = reg.mapping.prop('HostPort');
  if (hp.absent) return 'yes';
  const n = hp.num();
  if (n === undefined) return unknown('cannot be known from the run');
  return n === 0 ? 'yes' : 'no';
}
