/**
 * Which EKS Fargate profile runs a Kubernetes workload is a model question (`model.fargateProfileOf`,
 * src/model/k8s.ts: eksctl `fargateProfiles`, `AWS::EKS::FargateProfile` and CDK's profile resource,
 * matched against the workloads' namespaces and pod labels). This module names a matching selector
 * in messages.
 */
import { isUnknown } from '../../../model/answer.js';
import type { FargateSelector } from '../../../model/k8s.js';
import { wildcardMatch } from '../../../engine/glob.js';

export type { FargateMatch, FargateSelector } from '../../../model/k8s.js';
export { governedFolder } from '../../../model/k8s.js';

/** A Fargate namespace pattern (`*`, `?`) against a namespace. */
export function namespaceMatches(pattern: string, ns: string): boolean {
  return wildcardMatch(pattern, ns, { questionMark: true });
}

/** How a message names a selector that matched: `Fargate profile "apps" (namespace "shop" and labels tier=web)`. */
export function describeSelector(s: FargateSelector): string {
  const ns = isUnknown(s.namespace) ? '?' : s.namespace;
  const labels = isUnknown(s.labels) || s.labels.size === 0 ? '' : ` and labels ${[...s.labels].map(([k, v]) => `${k}=${isUnknown(v) ? '?' : v}`).join(', ')}`;
  return `Fargate profile "${s.profile}" (namespace "${ns}"${labels})`;
}

/** How a message names the profile of a selector that matched: `Fargate profile "apps"`. */
export function profileLabel(s: FargateSelector): string {
  return `Fargate profile "${s.profile}"`;
}
