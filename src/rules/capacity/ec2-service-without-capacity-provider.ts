import { isUnknown, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { byCodePoint } from '../../parsers/text-scan.js';
import { AutoScalingGroup, Cluster, type Service } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import { backingGroups, joinsCluster } from './lib/instances.js';

/** Auto Scaling groups (not behind a capacity provider) whose instances join each cluster (once per run). */
function groupsByCluster(model: FileView): Map<Cluster, AutoScalingGroup[]> {
  return model.all.memo('capacity/ec2-service-without-capacity-provider', () => {
    const out = new Map<Cluster, AutoScalingGroup[]>();
    const backing = backingGroups(model);
    for (const asg of model.all.autoScalingGroups) {
      if (backing.has(asg)) continue;
      const l = model.all.launcherOf(asg);
      if (!l) continue;
      const t = l.origin.resource?.template;
      for (const cluster of model.all.clusters) {
        // Instances join a cluster of their own template (or one named literally).
        if (cluster.origin.resource?.template !== t && cluster.clusterName.absent) continue;
        if (joinsCluster(model, l, cluster) === 'yes') out.set(cluster, [...(out.get(cluster) ?? []), asg]);
      }
    }
    return out;
  });
}

/** Does the service use the EC2 launch type (explicitly, or as the cluster's default without a strategy)? */
function runsOnEc2(model: FileView, service: Service, cluster: Cluster): boolean {
  const lt = service.launchType;
  if (lt.present) return lt.is('EC2');
  if (!service.capacityProviderStrategy.absent) return false;
  if (!cluster.defaultStrategy.absent) return false;
  for (const a of model.all.capacityProviderAssociations) {
    const hit = model.namesCluster(a.cluster, cluster);
    if (isUnknown(hit)) return false;
    if (hit === 'yes' && !a.defaultStrategy.absent && (a.defaultStrategy.list()?.length ?? 1) > 0) return false;
  }
  return true;
}

export default defineRule({
  id: 'capacity/ec2-service-without-capacity-provider',
  severity: 'info',
  recommended: false,
  description: 'EC2 services on Auto Scaling capacity should use a capacity provider so instances scale with tasks.',
  check({ model, report }) {
    if (model.services.length === 0) return;
    for (const service of model.services) {
      const cluster = model.clusterOf(service);
      if (!(cluster instanceof Cluster)) continue;
      if (!runsOnEc2(model, service, cluster)) continue;
      const providers = model.clusterCapacityProviders(cluster);
      if (!providers) continue;
      if (!providers.every((p) => p.is('FARGATE', 'FARGATE_SPOT'))) continue;
      const groups = groupsByCluster(model).get(cluster);
      if (!groups?.length) continue;
      const names = groups.map((g) => `"${g.label}"`).sort(byCodePoint).join(', ');
      report(
        service.launchType.present ? service.launchType : service,
        `Service "${service.label}" runs on EC2 in cluster "${cluster.label}", whose instances come from Auto Scaling group ${names} without a capacity provider, so the instances do not scale with the service's tasks: new tasks fail to place when the instances are full; create an AWS::ECS::CapacityProvider for the group with managed scaling, associate it with the cluster, and give the service a CapacityProviderStrategy instead of LaunchType: EC2.`,
      );
    }
  },
});
