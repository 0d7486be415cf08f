import { defineRule } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';
import { cfnClusters, declaresCluster, objAt } from './lib/cluster.js';

const OPEN = new Set(['0.0.0.0/0', '::/0']);

/** Does a CIDR list leave the endpoint open? 'open' at an item, 'closed', or unknown. */
function cidrs(prop: Prop): { open: true; at?: Prop } | { open: false } | undefined {
  if (prop.absent) return { open: true };
  const items = prop.list();
  if (!items) return undefined;
  if (items.length === 0) return { open: true };
  for (const i of items) if (OPEN.has(i.str() ?? '')) return { open: true, at: i };
  if (items.some((i) => i.str() === undefined)) return undefined;
  return { open: false };
}

export default defineRule({
  id: 'eks/endpoint-public-access',
  severity: 'warning',
  description: 'EKS cluster API endpoints should not be open to the whole internet.',
  check({ model, report }) {
    for (const c of cfnClusters(model)) {
      if (c.config.prop('OutpostConfig').present) continue;
      const vpc = c.config.prop('ResourcesVpcConfig');
      const vpcObj = vpc.obj();
      if (!vpcObj) continue;
      const pub = vpcObj.prop('EndpointPublicAccess');
      if (pub.present && pub.bool() !== true) continue;
      const open = cidrs(vpcObj.prop('PublicAccessCidrs'));
      if (!open?.open) continue;
      const how = pub.present ? 'EndpointPublicAccess is true' : 'EndpointPublicAccess defaults to true';
      if (open.at) {
        report(open.at, `EKS cluster "${c.label}" opens its Kubernetes API endpoint to the whole internet (PublicAccessCidrs lists "${open.at.str()}"); list only your networks' CIDR ranges, or set EndpointPublicAccess to false and EndpointPrivateAccess to true.`);
        continue;
      }
      report(pub.present ? pub : vpc, `EKS cluster "${c.label}" exposes its Kubernetes API endpoint to the whole internet (${how} and PublicAccessCidrs is not set); set EndpointPublicAccess to false with EndpointPrivateAccess true, or restrict PublicAccessCidrs to your networks.`, { atKey: !pub.present });
    }

    for (const config of model.eksctlConfigs) {
      if (!declaresCluster(config)) continue;
      // Local clusters on AWS Outposts have their own endpoint and encryption constraints.
      if (config.props.prop('outpost').present) continue;
      const props = config.props;
      const privateCluster = objAt(props, 'privateCluster')?.prop('enabled');
      if (privateCluster && (privateCluster.bool() === true || (privateCluster.present && !privateCluster.known))) continue;
      if (props.prop('privateCluster').present && !props.obj('privateCluster')) continue;
      const vpcProp = props.prop('vpc');
      const vpc = vpcProp.obj();
      if (vpcProp.present && !vpc) continue;
      const endpointsProp = vpc?.prop('clusterEndpoints');
      const endpoints = endpointsProp?.obj();
      if (endpointsProp?.present && !endpoints) continue;
      const pub = endpoints?.prop('publicAccess');
      if (pub?.present && pub.bool() !== true) continue;
      const open = vpc ? cidrs(vpc.prop('publicAccessCIDRs')) : { open: true as const };
      if (!open?.open) continue;
      const name = config.label;
      if ('at' in open && open.at) {
        report(open.at, `ClusterConfig "${name}" opens the cluster's Kubernetes API endpoint to the whole internet (vpc.publicAccessCIDRs lists "${open.at.str()}"); list only your networks' CIDR ranges, or set vpc.clusterEndpoints.publicAccess to false and privateAccess to true.`);
        continue;
      }
      const how = pub?.present ? 'vpc.clusterEndpoints.publicAccess is true' : "eksctl's default is a public endpoint";
      const target = pub?.present ? pub : endpointsProp?.present ? endpointsProp : vpcProp.present ? vpcProp : config;
      report(target, `ClusterConfig "${name}" exposes the cluster's Kubernetes API endpoint to the whole internet (${how} and vpc.publicAccessCIDRs is not set); set vpc.clusterEndpoints.privateAccess to true and publicAccess to false, or restrict vpc.publicAccessCIDRs to your networks.`, { atKey: target !== pub });
    }
  },
});
