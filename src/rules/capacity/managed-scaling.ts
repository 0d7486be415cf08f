import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'capacity/managed-scaling',
  severity: 'warning',
  description: 'Capacity providers should use managed scaling with a TargetCapacity of 1 to 100.',
  check({ model, report }) {
    for (const cp of model.capacityProviders) {
      const provider = cp.asgProvider.obj();
      if (!provider) continue;
      const scaling = provider.prop('ManagedScaling');
      if (scaling.absent) {
        report(
          scaling,
          `Capacity provider "${cp.label}" has no ManagedScaling, so managed scaling is off: ECS does not grow or shrink its Auto Scaling group with the tasks it has to place, and tasks wait in PROVISIONING when the instances are full; add ManagedScaling with Status: ENABLED and a TargetCapacity (100 for no spare capacity).`,
        );
        continue;
      }
      const o = scaling.obj();
      if (!o) continue;
      const status = o.prop('Status');
      if (status.is('DISABLED')) {
        report(
          status,
          `Capacity provider "${cp.label}" sets ManagedScaling Status to DISABLED: ECS does not grow or shrink its Auto Scaling group with the tasks it has to place, and tasks wait in PROVISIONING when the instances are full; set Status: ENABLED with a TargetCapacity.`,
        );
        continue;
      }
      const tc = o.prop('TargetCapacity');
      const v = tc.num();
      if (v !== undefined && (v < 1 || v > 100 || !Number.isInteger(v)))
        report(tc, `Capacity provider "${cp.label}" sets ManagedScaling TargetCapacity to ${tc.str()}, outside the accepted whole percentages 1 to 100, so ECS rejects the provider; set a TargetCapacity from 1 to 100 (100 keeps no spare instances).`);
    }
  },
});
