import { defineRule } from '../../engine/rule.js';

const FIX = 'set DeploymentConfiguration.DeploymentCircuitBreaker to Enable: true and Rollback: true';

export default defineRule({
  id: 'ecs/deployment-circuit-breaker',
  severity: 'info',
  description: 'Services should enable the deployment circuit breaker with rollback.',
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

      const name = `Service "${service.label}"`;
      const cb = config.obj()?.prop('DeploymentCircuitBreaker');
      if (!cb || cb.absent) {
        report(
          cb ?? config,
          `${name} has no deployment circuit breaker, so a deployment whose tasks keep failing to start or to pass health checks goes on launching them and never rolls back by itself; ${FIX}.`,
        );
        continue;
      }
      const o = cb.obj();
      if (!o) continue;
      const enable = o.prop('Enable');
      const rollback = o.prop('Rollback');
      if (enable.bool() === false) {
        report(
          enable,
          `${name} turns its deployment circuit breaker off (Enable: ${enable.str()}), so a deployment whose tasks keep failing to start or to pass health checks goes on launching them and never rolls back by itself; ${FIX}.`,
        );
      } else if (enable.bool() === true && rollback.bool() === false) {
        report(
          rollback,
          `${name} lets its deployment circuit breaker stop a failed deployment but not roll it back (Rollback: ${rollback.str()}), so the service stays on the failed revision; set Rollback: true.`,
        );
      }
    }
  },
});
