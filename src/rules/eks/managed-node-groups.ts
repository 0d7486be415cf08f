import { defineRule, key } from '../../engine/rule.js';
import type { EksctlNodeGroup } from '../../model/eks.js';
import { isEksNodeGroup } from './lib/cluster.js';

/** Custom AMI families that EKS managed node groups accept (eksctl's custom AMI docs). */
const MANAGED_CUSTOM_AMI_FAMILIES = new Set(['AmazonLinux2023', 'AmazonLinux2', 'Bottlerocket', 'Ubuntu2004', 'UbuntuPro2004', 'Ubuntu2204', 'Ubuntu2404']);

/** Settings only self-managed node groups have: with any of them, a managed group would not do. */
const SELF_MANAGED_ONLY = ['localZones', 'outpostARN', 'instancesDistribution', 'classicLoadBalancerNames', 'targetGroupARNs', 'cpuCredits', 'maxInstanceLifetime', 'asgMetricsCollection', 'enclaveEnabled', 'kubeletExtraConfig', 'clusterDNS', 'containerRuntime'];

/** Must a self-managed eksctl node group stay one (a managed one would not do)? */
function needsSelfManaged(ng: EksctlNodeGroup): boolean {
  if (ng.config.onOutpost) return true;
  if (SELF_MANAGED_ONLY.some((k) => ng.setting(k).present)) return true;
  const family = ng.amiFamily;
  if (family.present && !family.known) return true;
  // eksctl: Windows node groups are documented as self-managed.
  if ((family.str() ?? '').startsWith('Windows')) return true;
  const ami = ng.ami;
  if (ami.present && !ami.known) return true;
  if ((ami.str() ?? '').startsWith('ami-') && family.present && !MANAGED_CUSTOM_AMI_FAMILIES.has(family.str()!)) return true;
  return false;
}

export default defineRule({
  id: 'eks/managed-node-groups',
  severity: 'info',
  recommended: false,
  description: 'Managed node groups are preferred over self-managed ones.',
  meta: {
    messages: {
      selfManaged: 'ClusterConfig "{{config}}" node group "{{nodeGroup}}" is self-managed, so you roll AMI updates and drain nodes yourself; declare it under {{key}}, where EKS does this.',
      selfManagedCustomAmi: 'ClusterConfig "{{config}}" node group "{{nodeGroup}}" is self-managed, with AMI "{{ami}}" and no {{amiFamily}}; declare it under {{key}} with the EKS-optimized AMI, or set {{amiFamily}}.',
      selfManagedAsg: 'Auto Scaling group "{{asg}}" runs self-managed EKS nodes that you update and drain yourself; use an AWS::EKS::Nodegroup, with a launch template for custom settings.',
    },
  },
  check({ model, report }) {
    for (const config of model.eksctlConfigs) {
      for (const ng of config.nodeGroups) {
        if (needsSelfManaged(ng)) continue;
        const ami = ng.ami.str() ?? '';
        const data = { config: config.label, nodeGroup: ng.label, key: key('managedNodeGroups') };
        const at = ng.name.present ? ng.name : ng.anchor;
        if (ami.startsWith('ami-') && ng.amiFamily.absent) report(at, 'selfManagedCustomAmi', { ...data, ami, amiFamily: key('amiFamily') });
        else report(at, 'selfManaged', data);
      }
    }
    for (const asg of model.autoScalingGroups) {
      if (asg.props.prop('TargetGroupARNs').present || asg.props.prop('LoadBalancerNames').present) continue;
      const dist = asg.props.obj('MixedInstancesPolicy')?.obj('InstancesDistribution');
      const pct = dist?.prop('OnDemandPercentageAboveBaseCapacity');
      if (pct?.present && pct.num() !== 0 && pct.num() !== 100) continue;
      if (!isEksNodeGroup(model, asg)) continue;
      report(asg.origin.resource?.typeNode ?? asg.anchor, 'selfManagedAsg', { asg: asg.label });
    }
  },
});
