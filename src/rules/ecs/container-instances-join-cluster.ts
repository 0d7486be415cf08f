import { defineRule } from '../../engine/rule.js';
import type { InstanceLauncher } from '../../model/entities.js';
import { clusterSettings, joinsCluster, providerHosting } from '../capacity/lib/instances.js';

export default defineRule({
  id: 'ecs/container-instances-join-cluster',
  severity: 'warning',
  description: 'Container instances must join the cluster their capacity provider serves (ECS_CLUSTER).',
  check({ model, report }) {
    const launchers: InstanceLauncher[] = [...model.launchTemplates, ...model.launchConfigurations];
    if (launchers.length === 0) return;
    const hosting = providerHosting(model);
    for (const l of launchers) {
      for (const h of hosting.get(l) ?? []) {
        if (joinsCluster(model, l, h.cluster) !== 'no') continue;
        const name = h.cluster.clusterName.str();
        const target = name !== undefined ? name : `<name of cluster "${h.cluster.label}">`;
        const settings = clusterSettings(model, l);
        const set = settings?.values[0];
        const what = set !== undefined ? `sets ECS_CLUSTER=${set}, so its instances register with another cluster` : settings ? 'does not set ECS_CLUSTER, so its instances register with the "default" cluster' : 'has no user data, so the ECS agent of its ECS-optimized AMI registers the instances with the "default" cluster';
        const kind = l.kind === 'LaunchTemplate' ? 'Launch template' : 'Launch configuration';
        report(
          l.userData(),
          `${kind} "${l.label}" starts the instances of Auto Scaling group "${h.asg.label}", which backs capacity provider "${h.provider.label}" of cluster "${h.cluster.label}", but ${what}; tasks placed through "${h.provider.label}" never find these instances; write ECS_CLUSTER=${target} to /etc/ecs/ecs.config in the user data (e.g. echo ECS_CLUSTER=\${${h.cluster.label}} >> /etc/ecs/ecs.config in a !Sub).`,
        );
        break;
      }
    }
  },
});
