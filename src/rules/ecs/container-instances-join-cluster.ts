import { defineRule, key } from '../../engine/rule.js';
import type { InstanceLauncher } from '../../model/entities.js';
import { clusterSettings, joinsCluster, providerHosting } from '../capacity/lib/instances.js';

export default defineRule({
  id: 'ecs/container-instances-join-cluster',
  severity: 'warning',
  description: 'Container instances must join the cluster their capacity provider serves (ECS_CLUSTER).',
  meta: {
    messages: {
      otherCluster:
        '{{kind}} "{{launcher}}" starts the instances of capacity provider "{{provider}}" of cluster "{{cluster}}" but sets ECS_CLUSTER={{value}}; set ECS_CLUSTER={{name}} in {{key}}.',
      noSetting:
        '{{kind}} "{{launcher}}" starts instances of cluster "{{cluster}}" without ECS_CLUSTER (they join "default"); add ECS_CLUSTER={{name}} to /etc/ecs/ecs.config in {{key}}.',
      noUserData:
        '{{kind}} "{{launcher}}" starts instances of cluster "{{cluster}}" without {{key}} (they join "default"); add ECS_CLUSTER={{name}} to /etc/ecs/ecs.config in {{key}}.',
    },
  },
  check({ model, report }) {
    const launchers: InstanceLauncher[] = [...model.launchTemplates, ...model.launchConfigurations];
    if (launchers.length === 0) return;
    const hosting = providerHosting(model);
    for (const l of launchers) {
      for (const h of hosting.get(l) ?? []) {
        if (joinsCluster(model, l, h.cluster) !== 'no') continue;
        const clusterName = h.cluster.clusterName.str();
        const settings = clusterSettings(model, l);
        const set = settings?.values[0];
        const about = {
          kind: l.kind === 'LaunchTemplate' ? 'Launch template' : 'Launch configuration',
          launcher: l.label,
          provider: h.provider.label,
          cluster: h.cluster.label,
          name: clusterName !== undefined ? clusterName : `\${${h.cluster.label}}`,
          key: key('UserData'),
        };
        if (set !== undefined) report(l.userData(), 'otherCluster', { ...about, value: set });
        else report(l.userData(), settings ? 'noSetting' : 'noUserData', about);
        break;
      }
    }
  },
});
