import { defineRule, key } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/deployment-circuit-breaker',
  severity: 'info',
  description: 'Services should enable the deployment circuit breaker with rollback.',
  meta: {
    messages: {
      missing: 'Service "{{service}}" has no deployment circuit breaker, so a failing deployment never rolls back; set {{key}} with {{enable}} and {{rollback}} true in {{config}}.',
      disabled: 'Service "{{service}}" turns its deployment circuit breaker off ({{enable}}: {{value}}), so a failing deployment never rolls back; set {{enable}} and {{rollback}} to true.',
      noRollback: 'Service "{{service}}" has a deployment circuit breaker that stops a failed deployment but leaves it in place ({{rollback}}: {{value}}); set {{rollback}} to true.',
    },
  },
  check({ model, report }) {
    for (const service of model.services) {
      const props = service.props;
      // Only the rolling update of the ECS deployment controller has a circuit breaker.
      const controller = props.prop('DeploymentController');
      if (controller.present) {
        const type = controller.obj()?.prop('Type');
        if (!type || !(type.absent || type.is('ECS'))) continue;
      }
      // Its failure threshold is counted from the desired count: not for daemon services.
      const scheduling = props.prop('SchedulingStrategy');
      if (scheduling.present && !scheduling.is('REPLICA')) continue;
      const config = props.prop('DeploymentConfiguration');
      if (config.present && !config.obj()) continue;
      const strategy = config.obj()?.prop('Strategy');
      if (strategy && strategy.present && !strategy.is('ROLLING')) continue;
      // Not available behind a Classic Load Balancer (attached by LoadBalancerName).
      const lbs = props.prop('LoadBalancers');
      if (lbs.present && (lbs.list() ?? [undefined]).some((i) => !i?.obj())) continue;
      if (service.loadBalancers.some((lb) => !lb.prop('LoadBalancerName').absent)) continue;

      const about = { service: service.label, enable: key('Enable'), rollback: key('Rollback') };
      const cb = config.obj()?.prop('DeploymentCircuitBreaker');
      if (!cb || cb.absent) {
        report(cb ?? config, 'missing', { ...about, key: key('DeploymentCircuitBreaker'), config: key('DeploymentConfiguration') });
        continue;
      }
      const o = cb.obj();
      if (!o) continue;
      const enable = o.prop('Enable');
      const rollback = o.prop('Rollback');
      if (enable.bool() === false) report(enable, 'disabled', { ...about, value: enable.str()! });
      else if (enable.bool() === true && rollback.bool() === false) report(rollback, 'noRollback', { ...about, value: rollback.str()! });
    }
  },
});
