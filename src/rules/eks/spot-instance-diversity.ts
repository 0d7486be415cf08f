import { defineRule, key } from '../../engine/rule.js';
import { LaunchTemplate } from '../../model/entities.js';
import type { Prop } from '../../model/value.js';
import { isEksNodeGroup } from './lib/cluster.js';

/** A list of exactly one known item: that item; else undefined. */
function single(prop: Prop): Prop | undefined {
  const items = prop.list();
  return items && items.length === 1 && items[0]!.str() !== undefined ? items[0] : undefined;
}

const SHORT = 'so one Spot shortage stops them all';

export default defineRule({
  id: 'eks/spot-instance-diversity',
  severity: 'warning',
  description: 'Spot node groups should use several instance types.',
  meta: {
    messages: {
      nodeGroup: `Spot node group "{{nodeGroup}}" has one instance type ("{{instanceType}}"), ${SHORT}; list several similar types in {{key}}.`,
      eksctlNodeGroup: `ClusterConfig "{{config}}" Spot node group "{{nodeGroup}}" has one instance type ("{{instanceType}}"), ${SHORT}; list similar types in {{key}}.`,
      asgOneType: `Auto Scaling group "{{asg}}" runs EKS Spot nodes of one type ("{{instanceType}}"), ${SHORT}; list similar types in {{key}}.`,
      asgTemplateType: `Auto Scaling group "{{asg}}" runs EKS Spot nodes of only its launch template's instance type, ${SHORT}; list similar types in {{key}}.`,
      asgLaunchTemplate: `Auto Scaling group "{{asg}}" runs EKS Spot nodes of the one instance type of launch template "{{launchTemplate}}"; use a {{key}} with several similar types.`,
    },
  },
  check({ model, report }) {
    for (const ng of model.eksNodegroups) {
      if (!ng.capacityType.is('SPOT')) continue;
      const one = single(ng.instanceTypes);
      if (!one) continue;
      report(one, 'nodeGroup', { nodeGroup: ng.label, instanceType: one.str()!, key: key('InstanceTypes') });
    }

    for (const asg of model.autoScalingGroups) {
      const mip = asg.props.prop('MixedInstancesPolicy');
      const mipObj = mip.obj();
      if (mip.present && !mipObj) continue;
      if (mipObj) {
        const pct = mipObj.obj('InstancesDistribution')?.prop('OnDemandPercentageAboveBaseCapacity');
        const n = pct?.num();
        if (n === undefined || n >= 100) continue;
        const lt = mipObj.obj('LaunchTemplate');
        if (!lt) continue;
        const overrides = lt.prop('Overrides');
        const items = overrides.absent ? [] : overrides.list();
        if (!items) continue;
        const objs = items.map((i) => i.obj());
        if (objs.some((o) => !o || o.prop('InstanceRequirements').present)) continue;
        const types = objs.map((o) => o!.prop('InstanceType').str());
        if (types.includes(undefined) || new Set(types).size > 1) continue;
        if (!isEksNodeGroup(model, asg)) continue;
        const data = { asg: asg.label, key: key('MixedInstancesPolicy.LaunchTemplate.Overrides') };
        const at = overrides.present ? overrides : pct!;
        if (types.length) report(at, 'asgOneType', { ...data, instanceType: types[0]! }, { atKey: true });
        else report(at, 'asgTemplateType', data, { atKey: true });
        continue;
      }
      const launcher = model.launcherOf(asg);
      if (!(launcher instanceof LaunchTemplate)) continue;
      const market = launcher.data?.obj('InstanceMarketOptions')?.prop('MarketType');
      if (!market?.isCI('spot')) continue;
      if (!isEksNodeGroup(model, asg)) continue;
      report(market, 'asgLaunchTemplate', { asg: asg.label, launchTemplate: launcher.label, key: key('MixedInstancesPolicy') });
    }

    for (const config of model.eksctlConfigs) {
      for (const ng of config.managedNodeGroups) {
        if (ng.spot.bool() !== true) continue;
        if (ng.instanceSelector.present) continue;
        const types = ng.instanceTypes;
        const one = types.present ? single(types) : ng.instanceType.str() !== undefined ? ng.instanceType : undefined;
        if (!one) continue;
        report(one, 'eksctlNodeGroup', { config: config.label, nodeGroup: ng.label, instanceType: one.str()!, key: key('instanceTypes') });
      }
      for (const ng of config.nodeGroups) {
        const dist = ng.instancesDistribution;
        if (!dist) continue;
        const n = dist.prop('onDemandPercentageAboveBaseCapacity').num();
        if (n === undefined || n >= 100) continue;
        const one = single(dist.prop('instanceTypes'));
        if (!one) continue;
        report(one, 'eksctlNodeGroup', { config: config.label, nodeGroup: ng.label, instanceType: one.str()!, key: key('instancesDistribution.instanceTypes') });
      }
    }
  },
});
