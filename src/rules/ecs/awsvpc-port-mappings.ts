import { defineRule } from '../../engine/rule.js';
import { isSet, keyName, quote } from './lib/values.js';

export default defineRule({
  id: 'ecs/awsvpc-port-mappings',
  severity: 'error',
  description: 'In the awsvpc network mode, host ports must equal container ports, and hostname, extraHosts and links are not allowed.',
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const mode = td.networkMode.str();
      if (mode === undefined) continue;
      const name = `task definition "${td.label}"`;
      for (const c of td.containers) {
        const cname = `Container "${c.name}" of ${name}`;
        if (mode === 'awsvpc') {
          for (const pm of c.props.prop('PortMappings').objects()) {
            const host = pm.prop('HostPort');
            const hostPort = host.num();
            const containerPort = pm.prop('ContainerPort').num();
            if (hostPort === undefined || containerPort === undefined || hostPort === containerPort) continue;
            report(host, `${cname} maps container port ${containerPort} to host port ${hostPort}, but in the awsvpc network mode the task has its own network interface and the host port must equal the container port, so ECS rejects it; remove HostPort or set it to ${containerPort}.`);
          }
          for (const key of ['Hostname', 'ExtraHosts']) {
            const p = c.props.prop(key);
            if (!isSet(p)) continue;
            const fix = key === 'Hostname' ? 'remove it: the task takes the hostname of its network interface' : 'remove it and resolve names through DNS (a Route 53 private hosted zone or Cloud Map)';
            report(p, `${cname} sets ${keyName(p)}, which the awsvpc network mode does not support, so ECS rejects it; ${fix}.`, { atKey: true });
          }
        }
        if (mode === 'awsvpc' || mode === 'host' || mode === 'none') {
          const links = c.props.prop('Links');
          if (isSet(links)) {
            report(links, `${cname} sets ${keyName(links)}, which only the bridge network mode supports, but the task definition uses ${quote(td.networkMode)}, so ECS rejects it; remove the links: ${mode === 'none' ? 'a task without networking has no links to follow' : 'containers of the task share a network namespace and reach each other on localhost'}.`, { atKey: true });
          }
        }
      }
    }
  },
});
