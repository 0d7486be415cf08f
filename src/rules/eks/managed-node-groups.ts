import { defineRule } from '../../engine/rule.js';
import type { Obj } from '../../model/value.js';
import { eksctlNodeGroups, isEksNodeGroup, nodeGroupName } from './lib/cluster.js';

/** Custom AMI families that EKS managed node groups accept (eksctl's custom AMI docs). */
const MANAGED_CUSTOM_AMI_FAMILIES = new Set(['AmazonLinux2023', 'AmazonLinux2', 'Bottlerocket', 'Ubuntu2004', 'UbuntuPro2004', 'Ubuntu2204', 'Ubuntu2404']);

/** Settings only self-managed node groups have: with any of them, a managed group would not do. */
const SELF_MANAGED_ONLY = ['localZones', 'outpostARN', 'instancesDistribution', 'classicLoadBalancerNames', 'targetGroupARNs', 'cpuCredits', 'maxInstanceLifetime', 'asgMetricsCollection', 'enclaveEnabled', 'kubeletExtraConfig', 'clusterDNS', 'containerRuntime'];

/** Why a self-managed eksctl node group must stay one, or undefined when a managed one would do. */
function needsSelfManaged(ng: Obj, onOutpost: boolean): boolean {
  if (onOutpost) return true;
  if (SELF_MANAGED_ONLY.some((k) => ng.prop(k).present)) return true;
  const family = ng.prop('amiFamily');
  if (family.present && !family.known) return true;
  // eksctl: Windows node groups are documented as self-managed.
  if (/^Windows/.test(family.str() ?? '')) return true;
  const ami = ng.prop('ami');
  if (ami.present && !ami.known) return true;
  if (/^ami-/.test(ami.str() ?? '') && family.present && !MANAGED_CUSTOM_AMI_FAMILIES.has(family.str()!)) return true;
  return false;
}

export default defineRule({
  id: 'eks/managed-node-groups',
  severity: 'info',
  recommended: false,
  description: 'Managed node groups are preferred over self-managed ones.',
  check({ model, report }) {
    for (const config of model.eksctlConfigs) {
      const onOutpost = config.props.prop('outpost').present;
      for (const ng of eksctlNodeGroups(config).selfManaged) {
        if (needsSelfManaged(ng, onOutpost)) continue;
        const name = ng.prop('name');
        const ami = ng.prop('ami');
        const custom = /^ami-/.test(ami.str() ?? '') && ng.prop('amiFamily').absent;
        const amiNote = custom
          ? ` Its custom AMI "${ami.str()}" has no amiFamily, so eksctl bootstraps it as Amazon Linux 2023: prefer the EKS-optimized AMI (leave ami unset), or state the AMI's family in amiFamily.`
          : '';
        report(name.present ? name : ng.anchor, `ClusterConfig "${config.label}" node group "${nodeGroupName(ng)}" is self-managed (nodeGroups): you must roll AMI updates, drain nodes and handle Spot interruptions yourself; declare it under managedNodeGroups, where EKS does this.${amiNote}`);
      }
    }
    for (const asg of model.autoScalingGroups) {
      if (asg.props.prop('TargetGroupARNs').present || asg.props.prop('LoadBalancerNames').present) continue;
      const dist = asg.props.obj('MixedInstancesPolicy')?.obj('InstancesDistribution');
      const pct = dist?.prop('OnDemandPercentageAboveBaseCapacity');
      if (pct?.present && pct.num() !== 0 && pct.num() !== 100) continue;
      if (!isEksNodeGroup(model, asg)) continue;
      report(asg.origin.resource?.typeNode ?? asg.anchor, `Auto Scaling group "${asg.label}" runs self-managed EKS nodes: you must roll AMI updates, drain nodes and handle Spot interruptions yourself; use an AWS::EKS::Nodegroup (managed node group) with a launch template where you need custom settings.`);
    }
  },
});
