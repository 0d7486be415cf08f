import { defineRule, key } from '../../engine/rule.js';
import { isSet } from './lib/values.js';

export default defineRule({
  id: 'ecs/awsvpc-port-mappings',
  severity: 'error',
  description: 'In the awsvpc network mode, host ports must equal container ports, and hostname, extraHosts and links are not allowed.',
  meta: {
    messages: {
      hostPort:
        'Container {{container}} of task definition "{{taskDefinition}}" maps container port {{containerPort}} to host port {{hostPort}}, but awsvpc needs them equal, so ECS rejects it; remove {{key}} or set it to {{containerPort}}.',
      hostname: 'Container {{container}} of task definition "{{taskDefinition}}" sets {{key}}, which the awsvpc network mode does not support, so ECS rejects it; remove it (the task takes its interface\'s hostname).',
      extraHosts: 'Container {{container}} of task definition "{{taskDefinition}}" sets {{key}}, which the awsvpc network mode does not support, so ECS rejects it; remove it and resolve names through DNS.',
      links: 'Container {{container}} of task definition "{{taskDefinition}}" sets {{key}}, which only the bridge network mode supports, not {{mode}}, so ECS rejects it; remove it ({{hint}}).',
    },
  },
  check({ model, report }) {
    for (const td of model.taskDefinitions) {
      const mode = td.networkMode.str();
      if (mode === undefined) continue;
      for (const c of td.containers) {
        const about = { container: c.label, taskDefinition: td.label };
        if (mode === 'awsvpc') {
          for (const pm of c.props.prop('PortMappings').objects()) {
            const host = pm.prop('HostPort');
            const hostPort = host.num();
            const containerPort = pm.prop('ContainerPort').num();
            if (hostPort === undefined || containerPort === undefined || hostPort === containerPort) continue;
            report(host, 'hostPort', { ...about, containerPort, hostPort, key: key('HostPort') });
          }
          for (const name of ['Hostname', 'ExtraHosts'] as const) {
            const p = c.props.prop(name);
            if (isSet(p)) report(p, name === 'Hostname' ? 'hostname' : 'extraHosts', { ...about, key: key(name) }, { atKey: true });
          }
        }
        if (mode === 'awsvpc' || mode === 'host' || mode === 'none') {
          const links = c.props.prop('Links');
          if (isSet(links)) {
            const hint = mode === 'none' ? 'the task has no network' : 'its containers share localhost';
            report(links, 'links', { ...about, mode, hint, key: key('Links') }, { atKey: true });
          }
        }
      }
    }
  },
});
