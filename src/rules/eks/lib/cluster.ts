/**
 * Helpers the eks/* cluster and node-group rules share. Clusters, node groups and add-ons themselves
 * are model views (`src/model/eks.ts`): `model.kubernetesClusters()` gives every EKS cluster of a
 * file, whatever defines it (CloudFormation, the CDK `aws-eks` custom resource, eksctl).
 */
import type { AutoScalingGroup } from '../../../model/entities.js';
import type { EksClusterLike } from '../../../model/eks.js';
import type { FileView } from '../../../model/model.js';

/** How messages name a cluster: `EKS cluster "Orders"` (CloudFormation) or `ClusterConfig "staging"` (eksctl). */
export function clusterTitle(c: EksClusterLike): string {
  return c.source === 'eksctl' ? `ClusterConfig "${c.label}"` : `EKS cluster "${c.label}"`;
}

const CLUSTER_TAG = /^(?:kubernetes\.io\/cluster\/|k8s\.io\/cluster-autoscaler\/)/;
const NODE_BOOTSTRAP = /\/etc\/eks\/bootstrap\.sh|\bnodeadm\b|node\.eks\.aws/;

/** Is this Auto Scaling group an EKS node group (cluster tag, or a node bootstrap in its launch template)? */
export function isEksNodeGroup(model: FileView, asg: AutoScalingGroup): boolean {
  for (const tag of asg.props.prop('Tags').objects()) {
    if (CLUSTER_TAG.test(tag.prop('Key').str() ?? '')) return true;
  }
  const launcher = model.launcherOf(asg);
  const boot = launcher ? model.bootstrapText(launcher)?.text ?? '' : '';
  return NODE_BOOTSTRAP.test(boot);
}
