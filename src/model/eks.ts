/**
 * Amazon EKS as rules see it: CloudFormation clusters, node groups, Fargate profiles, add-ons and pod
 * identity associations, and eksctl `ClusterConfig` files with their node groups, Fargate profiles,
 * add-ons and IAM service accounts. Thin views over the located tree with named accessors.
 *
 * One cluster notion, `EksClusterLike`, whatever defines the cluster: `AWS::EKS::Cluster` (and CDK
 * assemblies of the L1 / `aws-eks-v2` constructs), the CDK `aws-eks` (v1) custom resource
 * `Custom::AWSCDK-EKS-Cluster` (whose `Config` is the EKS CreateCluster request, camelCase; `Obj`
 * reads keys ignoring the case of their first letter), or an eksctl `ClusterConfig`. It answers the
 * questions cluster rules ask (version, control plane logging, public endpoint, secrets encryption,
 * add-ons) in one shape; `source` tells where it comes from, for the keys a message names.
 */
import { isScalar, type Node } from '../parsers/tree.js';
import { EksctlConfig, Entity, type Origin } from './entities.js';
import { ABSENT_VALUE, isUnknown, known, some, tri, unknown, type Tri, type Unknown, type Value } from './answer.js';
import type { Obj, Prop } from './value.js';

/** Where a cluster is defined. */
export type EksClusterSource = 'cloudformation' | 'cdk-custom-resource' | 'eksctl';

/** A Kubernetes `major.minor` version, as written (`1.30` written as a YAML number is "1.30", not 1.3). */
export interface KubernetesVersion {
  major: number;
  minor: number;
  /** `1.30`. */
  text: string;
}

/** Control plane log types a cluster sends to CloudWatch. */
export interface ControlPlaneLogging {
  /** The enabled types as written (empty when none). */
  types: string[];
  /** The audit log is on (eksctl's `*` and `all` turn on every type). */
  audit: boolean;
  /** The property that decides (report at its key), or the config when nothing is written. */
  at: Prop | Entity;
}

/** Is the cluster's Kubernetes API endpoint open to the whole internet? */
export type PublicEndpoint =
  | { open: false }
  | {
      open: true;
      /** A listed CIDR that is the whole internet (`0.0.0.0/0`, `::/0`). */
      cidr?: Prop;
      /** The public-access switch when it is written (true); absent: the default is public. */
      publicAccess?: Prop;
      /** Where a finding belongs when no CIDR is at fault, and whether at its key. */
      at: Prop | Entity;
      atKey: boolean;
    };

/** Are Kubernetes secrets envelope-encrypted with a customer-managed KMS key? */
export interface SecretsEncryption {
  encrypted: Tri;
  /** The setting (report at its key), or the config when it is not written. */
  at: Prop | Entity;
  /**
   * Why secrets are not encrypted with a key of the user's, when `encrypted` is no: no encryption
   * setting at all, a setting that does not list secrets, or one that lists them without a KMS key.
   */
  why?: 'none' | 'noSecrets' | 'noKey';
  /** For `noKey`: the item that lists secrets (report at its `Provider`, or the item). */
  item?: Prop;
}

/** The questions every EKS cluster answers, whatever defines it. */
export interface EksClusterLike {
  readonly source: EksClusterSource;
  /** Logical id, or the eksctl cluster's `metadata.name`. */
  readonly label: string;
  /** Where a finding about something the cluster lacks belongs. */
  readonly anchor: Node;
  /** A whole cluster, not an eksctl file of node groups for an existing one. */
  readonly describesCluster: boolean;
  /** A local cluster on AWS Outposts (its own endpoint and encryption constraints). */
  readonly onOutpost: boolean;
  /** The Kubernetes version setting (undefined: no place for one, e.g. eksctl `metadata` unknown). */
  readonly version: Prop | undefined;
  /** The version as `major.minor`: absent, unknown (a parameter, `latest`...) or known. */
  kubernetesVersion(): Value<KubernetesVersion>;
  controlPlaneLogging(): ControlPlaneLogging | Unknown;
  publicEndpoint(): PublicEndpoint | Unknown;
  secretsEncryption(): SecretsEncryption | Unknown;
}

/** The whole-internet CIDRs. */
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/** Does a CIDR list leave the endpoint open? Open (at an item when one is the internet), closed, or unknown. */
function cidrsOpen(prop: Prop): { open: true; at?: Prop } | { open: false } | Unknown {
  if (prop.absent) return { open: true };
  const items = prop.list();
  if (!items) return prop.why;
  if (items.length === 0) return { open: true };
  for (const i of items) if (OPEN_CIDRS.has(i.str() ?? '')) return { open: true, at: i };
  const unknownItem = items.find((i) => i.str() === undefined);
  if (unknownItem) return unknownItem.why;
  return { open: false };
}

/** The strings of a list of Props, or the first item's reason when one cannot be known. */
function strings(items: Prop[]): string[] | Unknown {
  const out: string[] = [];
  for (const i of items) {
    const s = i.str();
    if (s === undefined) return i.why;
    out.push(s);
  }
  return out;
}

/**
 * The Kubernetes version a property holds, as written. Absent when not set; unknown when it cannot be
 * known or is not a `major.minor[.patch]` version.
 */
export function kubernetesVersionOf(prop: Prop): Value<KubernetesVersion> {
  const r = prop.res;
  if (r.kind === 'absent') return ABSENT_VALUE;
  if (r.kind !== 'literal') return prop.why;
  let text: string;
  const node = prop.node;
  if (typeof r.value === 'number' && node && isScalar(node) && node.value === r.value) text = node.file.text.slice(node.start, node.end).trim();
  else if (typeof r.value === 'string' || typeof r.value === 'number') text = String(r.value);
  else return unknown(`${prop.name} is not a version`);
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) return unknown(`${prop.name} "${text}" is not a major.minor version`);
  return known({ major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}` });
}

// ---------------------------------------------------------------- CloudFormation

const CDK_CLUSTER = 'Custom::AWSCDK-EKS-Cluster';
const CDK_FARGATE_PROFILE = 'Custom::AWSCDK-EKS-FargateProfile';

/**
 * `AWS::EKS::Cluster`, or the CDK `aws-eks` (v1) `Custom::AWSCDK-EKS-Cluster` whose `Config` holds the
 * same settings in the CreateCluster request's camelCase.
 */
export class EksCluster extends Entity implements EksClusterLike {
  readonly kind = 'EksCluster';
  readonly source: 'cloudformation' | 'cdk-custom-resource';
  /** The cluster's settings: `Properties`, or the custom resource's `Config` (undefined when that is not a known mapping). */
  readonly config: Obj | undefined;
  readonly describesCluster = true;

  constructor(origin: Origin, props: Obj) {
    super(origin, props);
    const custom = origin.resource?.type === CDK_CLUSTER;
    this.source = custom ? 'cdk-custom-resource' : 'cloudformation';
    this.config = custom ? props.obj('Config') : props;
  }

  /** The `Config` key of the CDK custom resource, else the logical id. */
  override get anchor(): Node {
    return this.source === 'cdk-custom-resource' && this.config ? this.config.anchor : this.props.anchor;
  }

  private setting(name: string): Prop {
    return (this.config ?? this.props).prop(name);
  }
  /** `Name`: the cluster's name in EKS. */
  get clusterName(): Prop {
    return this.setting('Name');
  }
  get version(): Prop {
    return this.setting('Version');
  }
  get logging(): Prop {
    return this.setting('Logging');
  }
  get resourcesVpcConfig(): Prop {
    return this.setting('ResourcesVpcConfig');
  }
  get encryptionConfig(): Prop {
    return this.setting('EncryptionConfig');
  }
  get onOutpost(): boolean {
    return this.setting('OutpostConfig').present;
  }

  kubernetesVersion(): Value<KubernetesVersion> {
    return kubernetesVersionOf(this.version);
  }

  controlPlaneLogging(): ControlPlaneLogging | Unknown {
    const logging = this.logging;
    if (!logging.present) return { types: [], audit: false, at: logging };
    const cl = logging.obj()?.prop('ClusterLogging');
    if (!cl) return logging.why;
    if (this.source === 'cdk-custom-resource') {
      if (!cl.present) return { types: [], audit: false, at: logging };
      // CreateCluster request shape: clusterLogging: [{ enabled, types: [...] }].
      const entries = cl.list();
      if (!entries) return cl.why;
      const types: string[] = [];
      let why: Unknown | undefined;
      for (const e of entries) {
        const o = e.obj();
        const enabled = o?.prop('enabled');
        const t = o?.prop('types');
        const items = t?.list();
        if (!o || !t || !items) {
          why ??= (t ?? e).why;
          continue;
        }
        if (enabled?.present && enabled.bool() === undefined) {
          why ??= enabled.why;
          continue;
        }
        if (enabled?.bool() === false) continue;
        const k = strings(items);
        if (isUnknown(k)) why ??= k;
        else types.push(...k);
      }
      if (why) return why;
      return { types, audit: types.includes('audit'), at: cl };
    }
    const clObj = cl.obj();
    if (cl.present && !clObj) return cl.why;
    const et = clObj?.prop('EnabledTypes');
    if (!et?.present) return { types: [], audit: false, at: cl.present ? cl : logging };
    const items = et.list();
    if (!items) return et.why;
    const types: string[] = [];
    for (const i of items) {
      const t = i.obj()?.prop('Type');
      const s = t?.str();
      if (s === undefined) return (t ?? i).why;
      types.push(s);
    }
    return { types, audit: types.includes('audit'), at: et };
  }

  publicEndpoint(): PublicEndpoint | Unknown {
    const vpc = this.resourcesVpcConfig;
    const vpcObj = vpc.obj();
    if (!vpcObj) return vpc.why;
    const pub = vpcObj.prop('EndpointPublicAccess');
    if (pub.present && pub.bool() !== true) return pub.bool() === false ? { open: false } : pub.why;
    const open = cidrsOpen(vpcObj.prop('PublicAccessCidrs'));
    if (isUnknown(open)) return open;
    if (!open.open) return { open: false };
    return {
      open: true,
      ...(open.at ? { cidr: open.at } : {}),
      ...(pub.present ? { publicAccess: pub } : {}),
      at: pub.present ? pub : vpc,
      atKey: !pub.present,
    };
  }

  secretsEncryption(): SecretsEncryption | Unknown {
    const enc = this.encryptionConfig;
    if (!enc.present) return { encrypted: 'no', at: enc, why: 'none' };
    const items = enc.list();
    if (!items) return enc.why;
    let keyless: Prop | undefined;
    // An item that cannot be read may be the one that encrypts secrets.
    const encrypted = some(items, (item) => {
      const o = item.obj();
      if (!o) return item.why;
      const resources = o.prop('Resources');
      const names = resources.list();
      if (!names) return resources.why;
      if (names.some((r) => r.str() === 'secrets')) {
        const provider = o.prop('Provider');
        if (provider.obj()?.prop('KeyArn').present) return 'yes';
        if (provider.present && !provider.obj()) return provider.why;
        keyless ??= item;
        return 'no';
      }
      const unknownName = names.find((r) => r.str() === undefined);
      return unknownName ? unknownName.why : 'no';
    });
    if (encrypted !== 'no') return { encrypted, at: enc };
    return keyless ? { encrypted, at: enc, why: 'noKey', item: keyless } : { encrypted, at: enc, why: 'noSecrets' };
  }
}

/** `AWS::EKS::Nodegroup`: a managed node group. */
export class EksNodegroup extends Entity {
  readonly kind = 'EksNodegroup';
  get nodegroupName(): Prop {
    return this.props.prop('NodegroupName');
  }
  get clusterName(): Prop {
    return this.props.prop('ClusterName');
  }
  get nodeRole(): Prop {
    return this.props.prop('NodeRole');
  }
  /** `ON_DEMAND` (the default) or `SPOT`. */
  get capacityType(): Prop {
    return this.props.prop('CapacityType');
  }
  get instanceTypes(): Prop {
    return this.props.prop('InstanceTypes');
  }
  /** `RemoteAccess` (SSH), when a known mapping. */
  get remoteAccess(): Obj | undefined {
    return this.props.obj('RemoteAccess');
  }
  /** `LaunchTemplate` (`Id` or `Name`, `Version`), when a known mapping. */
  get launchTemplate(): Obj | undefined {
    return this.props.obj('LaunchTemplate');
  }
}

/**
 * `AWS::EKS::FargateProfile`, or the CDK `aws-eks` (v1) `Custom::AWSCDK-EKS-FargateProfile` whose
 * `Config` holds the same settings in camelCase.
 */
export class EksFargateProfile extends Entity {
  readonly kind = 'EksFargateProfile';
  /** The profile's settings: `Properties`, or the custom resource's `Config` (undefined when that is not a known mapping). */
  readonly config: Obj | undefined;
  readonly fromCdkCustomResource: boolean;

  constructor(origin: Origin, props: Obj) {
    super(origin, props);
    this.fromCdkCustomResource = origin.resource?.type === CDK_FARGATE_PROFILE;
    this.config = this.fromCdkCustomResource ? props.obj('Config') : props;
  }
  private setting(name: string): Prop {
    return (this.config ?? this.props).prop(name);
  }
  get profileName(): Prop {
    return this.setting('FargateProfileName');
  }
  get clusterName(): Prop {
    return this.setting('ClusterName');
  }
  get podExecutionRole(): Prop {
    return this.setting('PodExecutionRoleArn');
  }
  /** `Selectors`: namespace and labels of the pods the profile runs. */
  get selectors(): Prop {
    return this.setting('Selectors');
  }
}

/** `AWS::EKS::Addon`. */
export class EksAddon extends Entity {
  readonly kind = 'EksAddon';
  get addonName(): Prop {
    return this.props.prop('AddonName');
  }
  get clusterName(): Prop {
    return this.props.prop('ClusterName');
  }
  get serviceAccountRole(): Prop {
    return this.props.prop('ServiceAccountRoleArn');
  }
  get podIdentityAssociations(): Prop {
    return this.props.prop('PodIdentityAssociations');
  }
}

/** `AWS::EKS::PodIdentityAssociation`. */
export class EksPodIdentityAssociation extends Entity {
  readonly kind = 'EksPodIdentityAssociation';
  get clusterName(): Prop {
    return this.props.prop('ClusterName');
  }
  get namespace(): Prop {
    return this.props.prop('Namespace');
  }
  get serviceAccount(): Prop {
    return this.props.prop('ServiceAccount');
  }
  get roleArn(): Prop {
    return this.props.prop('RoleArn');
  }
}

// ---------------------------------------------------------------- eksctl

/** A node group of an eksctl config: `managedNodeGroups` (managed) or `nodeGroups` (self-managed). */
export class EksctlNodeGroup {
  constructor(
    readonly config: EksctlClusterConfig,
    readonly props: Obj,
    readonly managed: boolean,
  ) {}
  get name(): Prop {
    return this.props.prop('name');
  }
  /** The name for messages (`?` when it is not known). */
  get label(): string {
    return this.name.str() ?? '?';
  }
  /** Its name, else the item. */
  get anchor(): Node {
    return this.name.node ?? this.props.anchor;
  }
  /** A setting of the group by its eksctl key. */
  setting(key: string): Prop {
    return this.props.prop(key);
  }
  get ssh(): Prop {
    return this.props.prop('ssh');
  }
  get spot(): Prop {
    return this.props.prop('spot');
  }
  get instanceType(): Prop {
    return this.props.prop('instanceType');
  }
  get instanceTypes(): Prop {
    return this.props.prop('instanceTypes');
  }
  get instanceSelector(): Prop {
    return this.props.prop('instanceSelector');
  }
  /** Self-managed groups' Spot and On-Demand mix, when a known mapping. */
  get instancesDistribution(): Obj | undefined {
    return this.props.obj('instancesDistribution');
  }
  get amiFamily(): Prop {
    return this.props.prop('amiFamily');
  }
  get ami(): Prop {
    return this.props.prop('ami');
  }
  get launchTemplate(): Prop {
    return this.props.prop('launchTemplate');
  }
  get disablePodIMDS(): Prop {
    return this.props.prop('disablePodIMDS');
  }
}

/** A Fargate profile of an eksctl config. */
export class EksctlFargateProfile {
  constructor(
    readonly config: EksctlClusterConfig,
    readonly props: Obj,
  ) {}
  get name(): Prop {
    return this.props.prop('name');
  }
  get selectors(): Prop {
    return this.props.prop('selectors');
  }
}

/** An add-on of an eksctl config. */
export class EksctlAddon {
  constructor(
    readonly config: EksctlClusterConfig,
    readonly props: Obj,
  ) {}
  get name(): Prop {
    return this.props.prop('name');
  }
  get podIdentityAssociations(): Prop {
    return this.props.prop('podIdentityAssociations');
  }
  get useDefaultPodIdentityAssociations(): Prop {
    return this.props.prop('useDefaultPodIdentityAssociations');
  }
}

/** An IAM service account of an eksctl config (`iam.serviceAccounts`). */
export class EksctlServiceAccount {
  constructor(
    readonly config: EksctlClusterConfig,
    readonly props: Obj,
  ) {}
  get metadata(): Obj | undefined {
    return this.props.obj('metadata');
  }
  /** The service account's name (`?`-free: `unnamed` when not known). */
  get label(): string {
    return this.metadata?.prop('name').str() ?? 'unnamed';
  }
  get attachRoleARN(): Prop {
    return this.props.prop('attachRoleARN');
  }
}

/** Keys of an eksctl file that only adds node groups to an existing cluster. */
const NODE_GROUP_KEYS = new Set(['apiversion', 'kind', 'metadata', 'nodegroups', 'managednodegroups']);

/** An eksctl `ClusterConfig`, with views of its parts. */
export class EksctlClusterConfig extends EksctlConfig implements EksClusterLike {
  readonly source = 'eksctl' as const;

  get metadata(): Obj | undefined {
    return this.props.obj('metadata');
  }
  /** `metadata.version` (undefined when `metadata` is not a known mapping). */
  get version(): Prop | undefined {
    return this.metadata?.prop('version');
  }
  /** Self-managed node groups (`nodeGroups`); items that are not known mappings are left out. */
  get nodeGroups(): EksctlNodeGroup[] {
    return this.props.prop('nodeGroups').objects().map((o) => new EksctlNodeGroup(this, o, false));
  }
  /** Managed node groups (`managedNodeGroups`); items that are not known mappings are left out. */
  get managedNodeGroups(): EksctlNodeGroup[] {
    return this.props.prop('managedNodeGroups').objects().map((o) => new EksctlNodeGroup(this, o, true));
  }
  /** `fargateProfiles` as written (see `fargateProfileList`). */
  get fargateProfiles(): Prop {
    return this.props.prop('fargateProfiles');
  }
  /** The Fargate profiles; undefined items stand for ones that are not known mappings. Unknown when the list is. */
  fargateProfileList(): Array<EksctlFargateProfile | Unknown> | Unknown {
    const p = this.fargateProfiles;
    if (p.absent) return [];
    const items = p.list();
    if (!items) return p.why;
    return items.map((i) => {
      const o = i.obj();
      return o ? new EksctlFargateProfile(this, o) : i.why;
    });
  }
  /** `addons` as written. */
  get addons(): Prop {
    return this.props.prop('addons');
  }
  /** The add-ons; an item that is not a known mapping is its reason. Unknown when the list is. */
  addonList(): Array<EksctlAddon | Unknown> | Unknown {
    const p = this.addons;
    if (p.absent) return [];
    const items = p.list();
    if (!items) return p.why;
    return items.map((i) => {
      const o = i.obj();
      return o ? new EksctlAddon(this, o) : i.why;
    });
  }
  get iam(): Obj | undefined {
    return this.props.obj('iam');
  }
  /** `iam.serviceAccounts` items that are known mappings. */
  get serviceAccounts(): EksctlServiceAccount[] {
    return (this.iam?.prop('serviceAccounts').objects() ?? []).map((o) => new EksctlServiceAccount(this, o));
  }
  /** `autoModeConfig.enabled` (undefined when `autoModeConfig` is not a known mapping). */
  get autoMode(): Prop | undefined {
    return this.props.obj('autoModeConfig')?.prop('enabled');
  }
  get onOutpost(): boolean {
    return this.props.prop('outpost').present;
  }
  /**
   * Does the file describe a cluster, not only node groups? A file with nothing but `metadata` (name,
   * region) and node groups may be meant for `eksctl create nodegroup -f` against an existing cluster,
   * whose settings it does not show.
   */
  get describesCluster(): boolean {
    if (this.props.keys().some((k) => !NODE_GROUP_KEYS.has(k.toLowerCase()))) return true;
    return this.metadata?.prop('version').present ?? false;
  }

  kubernetesVersion(): Value<KubernetesVersion> {
    const v = this.version;
    return v ? kubernetesVersionOf(v) : this.props.prop('metadata').why;
  }

  /** Does the config list an add-on of this name? Unknown when the list is not written (add-ons may be created apart) or a name cannot be known. */
  hasAddon(name: string): Tri {
    const p = this.addons;
    if (p.absent) return unknown('the ClusterConfig lists no addons (they may be created apart)');
    const list = this.addonList();
    if (isUnknown(list)) return list;
    return some(list, (a) => (isUnknown(a) ? a : a.name.str() === undefined ? a.name.why : tri(a.name.str() === name)));
  }

  controlPlaneLogging(): ControlPlaneLogging | Unknown {
    const cw = this.props.prop('cloudWatch');
    if (cw.present && !cw.obj()) return cw.why;
    const cl = cw.obj()?.prop('clusterLogging');
    if (cl?.present && !cl.obj()) return cl.why;
    const et = cl?.obj()?.prop('enableTypes');
    let types: string[] = [];
    if (et?.present) {
      const items = et.list();
      if (!items) return et.why;
      const k = strings(items);
      if (isUnknown(k)) return k;
      types = k;
    }
    const at = et?.present ? et : cl?.present ? cl : cw.present ? cw : this;
    return { types, audit: types.includes('*') || types.includes('all') || types.includes('audit'), at };
  }

  publicEndpoint(): PublicEndpoint | Unknown {
    const props = this.props;
    const privateCluster = props.prop('privateCluster');
    if (privateCluster.present) {
      const enabled = privateCluster.obj()?.prop('enabled');
      if (!enabled) return privateCluster.why;
      if (enabled.bool() === true) return { open: false };
      if (enabled.present && !enabled.known) return enabled.why;
    }
    const vpcProp = props.prop('vpc');
    const vpc = vpcProp.obj();
    if (vpcProp.present && !vpc) return vpcProp.why;
    const endpointsProp = vpc?.prop('clusterEndpoints');
    const endpoints = endpointsProp?.obj();
    if (endpointsProp?.present && !endpoints) return endpointsProp.why;
    const pub = endpoints?.prop('publicAccess');
    if (pub?.present && pub.bool() !== true) return pub.bool() === false ? { open: false } : pub.why;
    const open = vpc ? cidrsOpen(vpc.prop('publicAccessCIDRs')) : { open: true as const };
    if (isUnknown(open)) return open;
    if (!open.open) return { open: false };
    const at = pub?.present ? pub : endpointsProp?.present ? endpointsProp : vpcProp.present ? vpcProp : this;
    return {
      open: true,
      ...('at' in open && open.at ? { cidr: open.at } : {}),
      ...(pub?.present ? { publicAccess: pub } : {}),
      at,
      atKey: at !== pub,
    };
  }

  secretsEncryption(): SecretsEncryption | Unknown {
    const se = this.props.prop('secretsEncryption');
    if (!se.present) return { encrypted: 'no', at: this };
    const o = se.obj();
    if (!o) return se.why;
    return { encrypted: tri(o.prop('keyARN').present), at: se };
  }
}

// ---------------------------------------------------------------- run-wide answers

/** Which CloudFormation clusters of a run have an `AWS::EKS::Addon` of one name. */
export interface AddonIndex {
  /** Clusters that surely have the add-on. */
  clusters: Set<EksCluster>;
  /** Clusters with an add-on whose name cannot be known, with its reason. */
  maybe: Map<EksCluster, Unknown>;
  /** An add-on that may be this one names a cluster that cannot be resolved: no cluster can be said to lack it. */
  unresolved?: Unknown;
}

/** Index the add-ons of a run by the cluster they name (a Ref/GetAtt, or the cluster's `Name`). */
export function indexAddons(clusters: readonly EksCluster[], addons: readonly EksAddon[], entityOf: (p: Prop) => Entity | undefined, addonName: string): AddonIndex {
  const index: AddonIndex = { clusters: new Set(), maybe: new Map() };
  const byName = new Map<string, EksCluster[]>();
  for (const c of clusters) {
    if (!c.config) continue;
    const name = c.clusterName.str();
    if (name) byName.set(name, [...(byName.get(name) ?? []), c]);
  }
  for (const addon of addons) {
    const name = addon.addonName;
    if (name.known && !name.is(addonName)) continue;
    const cluster = addon.clusterName;
    const r = cluster.res;
    if (r.kind === 'ref') {
      const target = entityOf(cluster);
      // A reference to something that is not a cluster entity (a Custom::AWSCDK-EKS-Cluster without Config, ...) names no cluster of the index.
      if (target instanceof EksCluster) {
        if (name.known) index.clusters.add(target);
        else if (!index.maybe.has(target)) index.maybe.set(target, name.why);
      }
      continue;
    }
    const s = cluster.str();
    if (s === undefined || (r.kind === 'literal' && r.pseudo) || !name.known) {
      index.unresolved ??= !name.known ? name.why : cluster.why;
      continue;
    }
    for (const c of byName.get(s) ?? []) index.clusters.add(c);
  }
  return index;
}

/** Does an add-on index say the cluster has the add-on? */
export function addonIn(index: AddonIndex, cluster: EksCluster): Tri {
  if (index.unresolved) return index.unresolved;
  if (index.clusters.has(cluster)) return 'yes';
  return index.maybe.get(cluster) ?? 'no';
}

