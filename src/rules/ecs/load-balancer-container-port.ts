import { defineRule } from '../../engine/rule.js';
import { TaskDefinition, type Container } from '../../model/entities.js';

/** Does a container map the port: 'yes' / 'no' / 'unknown' (a mapping or the list cannot be known). */
function mapsPort(container: Container, port: number): 'yes' | 'no' | 'unknown' {
  const mappings = container.props.prop('PortMappings');
  if (mappings.absent) return 'no';
  const items = mappings.list();
  if (!items) return 'unknown';
  let unknown = false;
  for (const item of items) {
    const m = item.obj();
    if (!m) {
      if (item.present) unknown = true;
      continue;
    }
    const cp = m.prop('ContainerPort');
    if (cp.present) {
      const n = cp.num();
      if (n === undefined) unknown = true;
      else if (n === port) return 'yes';
      continue;
    }
    const range = m.prop('ContainerPortRange');
    if (range.present) {
      const r = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(range.str() ?? '');
      if (!r) unknown = true;
      else if (port >= Number(r[1]) && port <= Number(r[2])) return 'yes';
      continue;
    }
    unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

export default defineRule({
  id: 'ecs/load-balancer-container-port',
  severity: 'error',
  description: "A service's load balancer must name a container port the task definition maps.",
  check({ model, report }) {
    for (const service of model.services) {
      const lbs = service.loadBalancers;
      if (lbs.length === 0) continue;
      const td = model.taskDefinitionOf(service);
      if (!(td instanceof TaskDefinition)) continue;
      const defs = td.props.prop('ContainerDefinitions').list();
      // Judge only task definitions whose containers and names are all known.
      if (!defs || defs.length !== td.containers.length || td.containers.some((c) => !c.props.prop('Name').str())) continue;
      const names = td.containers.map((c) => c.name);
      for (const lb of lbs) {
        const nameProp = lb.prop('ContainerName');
        const name = nameProp.surelyPresent ? nameProp.str() : undefined;
        if (name === undefined) continue;
        const container = td.containers.find((c) => c.name === name);
        if (!container) {
          report(
            nameProp,
            `Service "${service.label}" sends load balancer traffic to container "${name}", which task definition "${td.label}" does not have (its containers: ${names.map((n) => `"${n}"`).join(', ')}), so ECS rejects the service; set ContainerName to the container that serves the traffic.`,
          );
          continue;
        }
        const portProp = lb.prop('ContainerPort');
        const port = portProp.surelyPresent ? portProp.num() : undefined;
        if (port === undefined) continue;
        if (mapsPort(container, port) !== 'no') continue;
        const mapped = (container.props.prop('PortMappings').objects() ?? [])
          .map((m) => m.prop('ContainerPort').num())
          .filter((n): n is number => n !== undefined);
        const has = mapped.length ? `maps only container port${mapped.length > 1 ? 's' : ''} ${mapped.join(', ')}` : 'maps no ports';
        report(
          portProp,
          `Service "${service.label}" sends load balancer traffic to port ${port} of container "${name}", but in task definition "${td.label}" that container ${has}, so ECS rejects the service; set ContainerPort to a mapped containerPort, or add a port mapping for ${port} to the container.`,
        );
      }
    }
  },
});
