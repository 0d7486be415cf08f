import { defineRule } from '../../engine/rule.js';
import { cfnClusters, clusterAnchor, clustersWithAddon } from './lib/cluster.js';

const ADDON = 'amazon-cloudwatch-observability';

export default defineRule({
  id: 'eks/container-insights',
  severity: 'info',
  recommended: false,
  description: 'EKS clusters should run the Amazon CloudWatch Observability add-on (Container Insights).',
  check({ model, report }) {
    const clusters = cfnClusters(model);
    if (clusters.length) {
      const index = clustersWithAddon(model, ADDON);
      if (!index.unknown) {
        for (const c of clusters) {
          if (index.clusters.has(c.resource) || index.maybe.has(c.resource)) continue;
          report(clusterAnchor(c), `EKS cluster "${c.label}" has no ${ADDON} add-on in this run, so Container Insights collects no node, pod or container metrics and logs; add an AWS::EKS::Addon with AddonName: ${ADDON} and ClusterName set to this cluster.`);
        }
      }
    }
    for (const config of model.eksctlConfigs) {
      const addons = config.props.prop('addons');
      const items = addons.list();
      if (!items) continue;
      const names = items.map((i) => i.obj()?.prop('name').str());
      if (names.includes(undefined) || names.includes(ADDON)) continue;
      report(addons, `ClusterConfig "${config.label}" lists add-ons without ${ADDON}, so Container Insights collects no node, pod or container metrics and logs; add { name: ${ADDON} } to addons (its agent needs CloudWatchAgentServerPolicy, through a pod identity association or the node role).`, { atKey: true });
    }
  },
});
