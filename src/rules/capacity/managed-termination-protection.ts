import { defineRule } from '../../engine/rule.js';
import { AutoScalingGroup } from '../../model/entities.js';

export default defineRule({
  id: 'capacity/managed-termination-protection',
  severity: 'error',
  description: 'Managed termination protection needs scale-in protection and managed scaling.',
  check({ model, report }) {
    for (const cp of model.capacityProviders) {
      const provider = cp.asgProvider.obj();
      if (!provider) continue;
      const mtp = provider.prop('ManagedTerminationProtection');
      if (!mtp.is('ENABLED')) continue;
      const problems: string[] = [];
      const fixes: string[] = [];

      // Managed scaling: ECS creates the provider with managed scaling DISABLED when ManagedScaling is omitted.
      const scaling = provider.prop('ManagedScaling');
      if (scaling.absent) {
        problems.push('has no ManagedScaling, so managed scaling is off');
        fixes.push('add ManagedScaling with Status: ENABLED');
      } else {
        const status = scaling.obj()?.prop('Status');
        if (status?.is('DISABLED')) {
          problems.push('sets ManagedScaling Status to DISABLED');
          fixes.push('set ManagedScaling Status to ENABLED');
        }
      }

      // Scale-in protection of the Auto Scaling group (off unless set).
      const asg = model.refTarget(provider.prop('AutoScalingGroupArn'), AutoScalingGroup);
      if (asg instanceof AutoScalingGroup) {
        const p = asg.newInstancesProtectedFromScaleIn;
        const off = p.absent ? 'does not set NewInstancesProtectedFromScaleIn' : p.bool() === false ? `sets NewInstancesProtectedFromScaleIn to ${p.str()}` : undefined;
        if (off) {
          problems.push(`uses Auto Scaling group "${asg.label}", which ${off}`);
          fixes.push(`set NewInstancesProtectedFromScaleIn: true on "${asg.label}"`);
        }
      }

      if (!problems.length) continue;
      report(
        mtp,
        `Capacity provider "${cp.label}" enables ManagedTerminationProtection but ${problems.join(' and ')}; managed termination protection needs managed scaling and an Auto Scaling group whose new instances are protected from scale-in, so ${fixes.join(' and ')}, or set ManagedTerminationProtection to DISABLED.`,
      );
    }
  },
});
