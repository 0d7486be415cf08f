import { defineRule } from '../../engine/rule.js';
import { dynamicHostPort, registrationsByTargetGroup } from './lib/ecs-ports.js';

export default defineRule({
  id: 'elb/health-check-dynamic-ports',
  severity: 'error',
  description: 'Target groups of ECS tasks with dynamic host ports must health-check the traffic port.',
  check({ model, report }) {
    const byTg = registrationsByTargetGroup(model);
    for (const tg of model.targetGroups) {
      const port = tg.props.prop('HealthCheckPort');
      if (!port.surelyPresent) continue;
      const value = port.str();
      if (value === undefined || value === 'traffic-port') continue;
      const regs = byTg.get(tg) ?? [];
      const dynamic = regs.find((r) => dynamicHostPort(model, r) === 'yes');
      if (!dynamic) continue;
      const c = dynamic.container;
      report(
        port,
        `Target group "${tg.label}" health-checks fixed port "${value}", but service "${dynamic.service.label}" registers container ${c.label} of task definition "${dynamic.taskDefinition.label}" with a dynamic host port (bridge network mode, HostPort ${dynamic.mapping?.prop('HostPort').present ? '0' : 'absent'}), so each task listens on a different ephemeral port and the health checks do not reach it: targets fail and ECS keeps replacing tasks; set HealthCheckPort to traffic-port (or remove it).`,
      );
    }
  },
});
