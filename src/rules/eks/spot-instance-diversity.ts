import { defineRule } from '../../engine/rule.js';
import { LaunchTemplate } from '../../model/entities.js';
import type { Prop } from '../../model/value.js';
import { eksctlNodeGroups, isEksNodeGroup, nodeGroupName } from './lib/cluster.js';

const ADVICE = 'list several instance types of similar size across families and generations (e.g. m6i.large, m6a.large, m5.large, m7i.large) so that Spot capacity can be found and interruptions are spread';

/** A list of exactly one known item: that item; else undefined. */
function single(prop: Prop): Prop | undefined {
  const items = prop.list();
  return items && items.length === 1 && items[0]!.str() !== undefined ? items[0] : undefined;
}

export default defineRule({
  id: 'eks/spot-instance-diversity',
  severity: 'warning',
  description: 'Spot node groups should use several instance types.',
  check({ model, report }) {
    for (const ng of model.resources('AWS::EKS::Nodegroup')) {
      if (!ng.props.prop('CapacityType').is('SPOT')) continue;
      const one = single(ng.props.prop('InstanceTypes'));
      if (!one) continue;
      report(one, `Spot node group "${ng.logicalId}" uses the single instance type "${one.str()}": when that Spot pool runs short, the group cannot launch nodes and all of them can be interrupted at once; ${ADVICE}.`);
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
        const what = types.length ? `the single instance type "${types[0]}"` : 'only the launch template\'s instance type';
        report(overrides.present ? overrides : pct!, `Auto Scaling group "${asg.label}" runs EKS nodes on Spot (OnDemandPercentageAboveBaseCapacity ${n}) with ${what}: when that Spot pool runs short, the group cannot launch nodes and all of them can be interrupted at once; ${ADVICE} in MixedInstancesPolicy.LaunchTemplate.Overrides.`, { atKey: true });
        continue;
      }
      const launcher = model.launcherOf(asg);
      if (!(launcher instanceof LaunchTemplate)) continue;
      const market = launcher.data?.obj('InstanceMarketOptions')?.prop('MarketType');
      if (!market?.isCI('spot')) continue;
      if (!isEksNodeGroup(model, asg)) continue;
      report(market, `Auto Scaling group "${asg.label}" runs EKS nodes on Spot through launch template "${launcher.label}" with a single instance type: when that Spot pool runs short, the group cannot launch nodes and all of them can be interrupted at once; use a MixedInstancesPolicy and ${ADVICE}.`);
    }

    for (const config of model.eksctlConfigs) {
      const { managed, selfManaged } = eksctlNodeGroups(config);
      for (const ng of managed) {
        if (ng.prop('spot').bool() !== true) continue;
        if (ng.prop('instanceSelector').present) continue;
        const types = ng.prop('instanceTypes');
        const one = types.present ? single(types) : ng.prop('instanceType').str() !== undefined ? ng.prop('instanceType') : undefined;
        if (!one) continue;
        report(one, `ClusterConfig "${config.label}" Spot node group "${nodeGroupName(ng)}" uses the single instance type "${one.str()}": when that Spot pool runs short, the group cannot launch nodes and all of them can be interrupted at once; ${ADVICE} in instanceTypes.`);
      }
      for (const ng of selfManaged) {
        const dist = ng.obj('instancesDistribution');
        if (!dist) continue;
        const n = dist.prop('onDemandPercentageAboveBaseCapacity').num();
        if (n === undefined || n >= 100) continue;
        const one = single(dist.prop('instanceTypes'));
        if (!one) continue;
        report(one, `ClusterConfig "${config.label}" node group "${nodeGroupName(ng)}" runs on Spot (onDemandPercentageAboveBaseCapacity ${n}) with the single instance type "${one.str()}": when that Spot pool runs short, the group cannot launch nodes and all of them can be interrupted at once; ${ADVICE} in instancesDistribution.instanceTypes.`);
      }
    }
  },
});
