/**
 * EKS clusters and node groups as the eks/* rules see them, across formats:
 * - CloudFormation `AWS::EKS::Cluster` (and CDK assemblies of the L1/`aws-eks-v2` constructs);
 * - CDK `aws-eks` (v1) clusters, which are a `Custom::AWSCDK-EKS-Cluster` resource whose `Config`
 *   is the EKS CreateCluster request (camelCase; Obj reads keys case-insensitively);
 * - eksctl `ClusterConfig` files.
 */
import type { CfnResource } from '../../../model/cfn.js';
import type { AutoScalingGroup, EksctlConfig } from '../../../model/entities.js';
import type { FileView, Model } from '../../../model/model.js';
import type { Obj, Prop } from '../../../model/value.js';
import { isScalar, type Node } from '../../../parsers/tree.js';

export const CFN_CLUSTER = 'AWS::EKS::Cluster';
export const CDK_CLUSTER = 'Custom::AWSCDK-EKS-Cluster';

/** A CloudFormation-defined EKS cluster: the properties that follow the EKS cluster shape. */
export interface CfnCluster {
  resource: CfnResource;
  /** `Properties` of AWS::EKS::Cluster, or `Config` of the CDK custom resource. */
  config: Obj;
  /** The CDK aws-eks (v1) custom resource. */
  custom: boolean;
  label: string;
}

/** The EKS clusters defined by the file's templates. */
export function cfnClusters(model: FileView): CfnCluster[] {
  const out: CfnCluster[] = [];
  for (const resource of model.resources(CFN_CLUSTER)) out.push({ resource, config: resource.props, custom: false, label: resource.logicalId });
  for (const resource of model.resources(CDK_CLUSTER)) {
    const config = resource.props.obj('Config');
    if (config) out.push({ resource, config, custom: true, label: resource.logicalId });
  }
  return out;
}

/** The `Config` key of a CDK custom resource cluster, or the resource's logical id: where a missing setting is reported. */
export function clusterAnchor(c: CfnCluster): Node {
  return c.custom ? c.config.anchor : c.resource.key;
}

/** A nested object along a path, undefined when any step is absent or not a known mapping. */
export function objAt(root: Obj | undefined, ...path: string[]): Obj | undefined {
  let o = root;
  for (const p of path) o = o?.obj(p);
  return o;
}

/**
 * The Kubernetes version a property holds, as written: `1.30` written as a YAML number is
 * the string "1.30", not 1.3. Undefined when unknown or not a `major.minor` version.
 */
export function versionOf(prop: Prop): { major: number; minor: number; text: string } | undefined {
  const r = prop.res;
  if (r.kind !== 'literal') return undefined;
  let text: string;
  const node = prop.node;
  if (typeof r.value === 'number' && node && isScalar(node) && node.value === r.value) text = node.file.text.slice(node.start, node.end).trim();
  else if (typeof r.value === 'string' || typeof r.value === 'number') text = String(r.value);
  else return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}` };
}

/** Node groups of an eksctl config: managed (`managedNodeGroups`) and self-managed (`nodeGroups`). */
export function eksctlNodeGroups(config: EksctlConfig): { managed: Obj[]; selfManaged: Obj[] } {
  return {
    managed: config.props.prop('managedNodeGroups').objects(),
    selfManaged: config.props.prop('nodeGroups').objects(),
  };
}

/** A node group's name for messages. */
export function nodeGroupName(ng: Obj): string {
  return ng.prop('name').str() ?? '?';
}

/**
 * Which clusters of the run have an `AWS::EKS::Addon` of a given name, memoised per run.
 * `unknown`: some add-on of that name (or of an unknown name) names a cluster that cannot be
 * resolved, so no cluster can be said to lack it.
 */
export interface AddonIndex {
  /** Clusters that surely have the add-on. */
  clusters: Set<CfnResource>;
  /** Clusters with an add-on whose name cannot be known. */
  maybe: Set<CfnResource>;
  /** An add-on that may be this one names a cluster that cannot be resolved. */
  unknown: boolean;
}

export function clustersWithAddon(model: FileView, addonName: string): AddonIndex {
  return model.all.memo(`eks/clustersWithAddon:${addonName}`, () => indexAddons(model.all, addonName));
}

function indexAddons(all: Model, addonName: string): AddonIndex {
  const clusters = new Set<CfnResource>();
  const maybe = new Set<CfnResource>();
  let unknown = false;
  const byName = new Map<string, CfnResource[]>();
  for (const t of [CFN_CLUSTER, CDK_CLUSTER]) {
    for (const r of all.resources(t)) {
      const name = (t === CFN_CLUSTER ? r.props : r.props.obj('Config'))?.prop('Name').str();
      if (name) byName.set(name, [...(byName.get(name) ?? []), r]);
    }
  }
  for (const addon of all.resources('AWS::EKS::Addon')) {
    const name = addon.props.prop('AddonName');
    if (name.known && !name.is(addonName)) continue;
    const cluster = addon.props.prop('ClusterName');
    const r = cluster.res;
    if (r.kind === 'ref') {
      (name.known ? clusters : maybe).add(r.resource);
      continue;
    }
    const s = cluster.str();
    if (s === undefined || (r.kind === 'literal' && r.pseudo) || !name.known) {
      unknown = true;
      continue;
    }
    for (const c of byName.get(s) ?? []) clusters.add(c);
  }
  return { clusters, maybe, unknown };
}

/** Is this Auto Scaling group an EKS node group (cluster tag, or a node bootstrap in its launch template)? */
export function isEksNodeGroup(model: FileView, asg: AutoScalingGroup): boolean {
  for (const tag of asg.props.prop('Tags').objects()) {
    if (/^(?:kubernetes\.io\/cluster\/|k8s\.io\/cluster-autoscaler\/)/.test(tag.prop('Key').str() ?? '')) return true;
  }
  const launcher = model.launcherOf(asg);
  const boot = launcher ? model.bootstrapText(launcher)?.text ?? '' : '';
  return /\/etc\/eks\/bootstrap\.sh|\bnodeadm\b|node\.eks\.aws/.test(boot);
}


const NODE_GROUP_KEYS = new Set(['apiversion', 'kind', 'metadata', 'nodegroups', 'managednodegroups']);

/**
 * Does an eksctl config describe a cluster, not only node groups? A file with nothing but
 * `metadata` (name, region) and node groups may be meant for `eksctl create nodegroup -f` against
 * an existing cluster, whose settings it does not show: cluster-level rules leave it alone.
 */
export function declaresCluster(config: EksctlConfig): boolean {
  if (config.props.keys().some((k) => !NODE_GROUP_KEYS.has(k.toLowerCase()))) return true;
  return config.props.obj('metadata')?.prop('version').present ?? false;
}
