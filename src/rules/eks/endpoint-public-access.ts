import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import type { EksClusterSource } from '../../model/eks.js';
import { clusterTitle } from './lib/cluster.js';

/** The keys messages name, as each source spells them. */
const KEYS: Record<EksClusterSource, { cidrs: string; publicAccess: string }> = {
  cloudformation: { cidrs: 'PublicAccessCidrs', publicAccess: 'EndpointPublicAccess' },
  'cdk-custom-resource': { cidrs: 'publicAccessCidrs', publicAccess: 'endpointPublicAccess' },
  eksctl: { cidrs: 'vpc.publicAccessCIDRs', publicAccess: 'vpc.clusterEndpoints.publicAccess' },
};

export default defineRule({
  id: 'eks/endpoint-public-access',
  severity: 'warning',
  description: 'EKS cluster API endpoints should not be open to the whole internet.',
  meta: {
    messages: {
      openCidr: '{{cluster}} opens its Kubernetes API endpoint to the whole internet ({{cidrs}} lists "{{cidr}}"); list only your networks, or make the endpoint private.',
      publicByDefault: '{{cluster}} has a public Kubernetes API endpoint (the default) open to the whole internet; restrict {{cidrs}} to your networks, or make the endpoint private.',
      public: '{{cluster}} sets {{publicAccess}}: true and no {{cidrs}}, so the whole internet reaches its API endpoint; list your networks there or make it private.',
    },
  },
  check({ model, report }) {
    for (const c of model.kubernetesClusters()) {
      if (!c.describesCluster || c.onOutpost) continue;
      const endpoint = c.publicEndpoint();
      if (isUnknown(endpoint) || !endpoint.open) continue;
      const k = KEYS[c.source];
      const data = { cluster: clusterTitle(c), cidrs: key(k.cidrs) };
      if (endpoint.cidr) report(endpoint.cidr, 'openCidr', { ...data, cidr: endpoint.cidr.str() ?? '' });
      else if (endpoint.publicAccess) report(endpoint.at, 'public', { ...data, publicAccess: key(k.publicAccess) }, { atKey: endpoint.atKey });
      else report(endpoint.at, 'publicByDefault', data, { atKey: endpoint.atKey });
    }
  },
});
