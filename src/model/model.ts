import type { Format, ParsedFile } from '../parsers/index.js';
import { isMap, isSeq, type MapNode, type SourceFile } from '../parsers/tree.js';
import { CfnResource, Template } from './cfn.js';
import {
  AutoScalingGroup,
  CapacityProvider,
  CapacityProviderAssociation,
  ClassicLoadBalancer,
  Cluster,
  Ec2Instance,
  type EcsVolume,
  Entity,
  InstanceProfile,
  isWorkloadKind,
  K8sObject,
  K8sService,
  LaunchConfiguration,
  LaunchTemplate,
  Role,
  Service,
  TargetGroup,
  TaskDefinition,
  Workload,
  type ContainerLike,
  type InstanceLauncher,
  type Origin,
  type Tri,
} from './entities.js';
import { Obj, PlainScope, Prop, textOf, type Scope } from './value.js';
import { any, isUnknown, unknown, type Unknown } from './answer.js';
// ecs-1: ECS container instances' boot
import { readEcsInstanceBoot, type EcsInstanceBoot } from './ecs-extra.js';
// k8s: the Kubernetes model
import {
  buildK8sIndex,
  buildWorkloadIndex,
  Ingress,
  IngressClass,
  IngressClassParams,
  K8S_VIEWS,
  lookup,
  PersistentVolume,
  PersistentVolumeClaim,
  sameNamespace,
  selectWorkloads,
  ServiceAccount,
  servicesByWorkload,
  StorageClass,
  fargateSelectors,
  matchFargate,
  type FargateMatch,
  type FargateSelector,
  type Selected,
  type WorkloadIndex,
} from './k8s.js';
import type { Labels } from './entities.js';
// eks: EKS and eksctl views
import { addonIn, EksAddon, EksCluster, EksctlClusterConfig, EksFargateProfile, EksNodegroup, EksPodIdentityAssociation, indexAddons, type EksClusterLike } from './eks.js';

/** A region of a file that belongs to one resource or object: for labels and suppressions. */
export interface EntityScope {
  start: number;
  end: number;
  /** Logical id or `Kind/namespace/name`. */
  label: string;
  cdkPath?: string;
  k8sObject?: string;
  helmSource?: string;
  /** The CloudFormation resource the range is (its Metadata may suppress rules: engine/suppressions.ts). */
  resource?: MapNode;
  /** The Kubernetes object the range is (its annotations may suppress rules: engine/suppressions.ts). */
  object?: K8sObject;
}

/**
 * A file's scopes sorted by start, answering "which scopes contain this offset" in O(log n + depth)
 * instead of a scan of every scope (a template with thousands of resources, a List of thousands of
 * objects). Scopes are resources and objects: disjoint or nested, so `back` (the nearest earlier
 * scope that ends later) walks outwards through the enclosing ones.
 */
export class ScopeIndex {
  private readonly sorted: EntityScope[];
  /** For each sorted scope, the index of the nearest earlier scope whose end is greater, or -1. */
  private readonly back: Int32Array;

  constructor(scopes: EntityScope[]) {
    // Stable: scopes that start at the same offset keep their order (the later one is the inner one).
    this.sorted = scopes.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start || a.i - b.i).map((x) => x.s);
    this.back = new Int32Array(this.sorted.length);
    const stack: number[] = [];
    for (let i = 0; i < this.sorted.length; i++) {
      const end = this.sorted[i]!.end;
      while (stack.length && this.sorted[stack[stack.length - 1]!]!.end <= end) stack.pop();
      this.back[i] = stack.length ? stack[stack.length - 1]! : -1;
      stack.push(i);
    }
  }

  /** The innermost scope that contains an offset (the one starting last; ends are inclusive). */
  at(offset: number): EntityScope | undefined {
    const i = this.lastContaining(this.lastStartingAtOrBefore(offset), offset);
    return i < 0 ? undefined : this.sorted[i];
  }

  /** Every scope that contains an offset, innermost first. */
  *containing(offset: number): Generator<EntityScope> {
    for (let i = this.lastContaining(this.lastStartingAtOrBefore(offset), offset); i >= 0; i = this.lastContaining(i - 1, offset)) yield this.sorted[i]!;
  }

  private lastStartingAtOrBefore(offset: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.start <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The last scope at or before sorted index i that reaches offset (all of them start at or before it). */
  private lastContaining(i: number, offset: number): number {
    // Scopes between back[i] and i end no later than scope i, so when i does not reach offset, neither do they.
    while (i >= 0 && this.sorted[i]!.end < offset) i = this.back[i]!;
    return i;
  }
}

/** Boot text of an EC2 launcher (`Queryable.bootstrapText`). */
export interface Bootstrap {
  text: string;
  complete: boolean;
  external: boolean;
}

/** Who a role reference is: a role in the model, a role name, or nothing knowable. */
/** Who a role reference is: a role in the model and/or its name; `Unknown` with its reason; undefined when there is no reference. */
export type RoleRef = KnownRole | Unknown | undefined;
/** A role reference that names a role: the role in the model, its name, or both. */
export interface KnownRole {
  role?: Role;
  name?: string;
}

const CFN_ENTITY: Record<string, new (o: Origin, p: Obj) => Entity> = {
  'AWS::ECS::TaskDefinition': TaskDefinition,
  'AWS::ECS::Service': Service,
  'AWS::ECS::Cluster': Cluster,
  'AWS::ECS::CapacityProvider': CapacityProvider,
  'AWS::ECS::ClusterCapacityProviderAssociations': CapacityProviderAssociation,
  'AWS::AutoScaling::AutoScalingGroup': AutoScalingGroup,
  'AWS::EC2::LaunchTemplate': LaunchTemplate,
  'AWS::AutoScaling::LaunchConfiguration': LaunchConfiguration,
  'AWS::EC2::Instance': Ec2Instance,
  'AWS::IAM::InstanceProfile': InstanceProfile,
  'AWS::IAM::Role': Role,
  'AWS::ElasticLoadBalancing::LoadBalancer': ClassicLoadBalancer,
  'AWS::ElasticLoadBalancingV2::TargetGroup': TargetGroup,
  // eks
  'AWS::EKS::Cluster': EksCluster,
  'Custom::AWSCDK-EKS-Cluster': EksCluster,
  'AWS::EKS::Nodegroup': EksNodegroup,
  'AWS::EKS::FargateProfile': EksFargateProfile,
  'Custom::AWSCDK-EKS-FargateProfile': EksFargateProfile,
  'AWS::EKS::Addon': EksAddon,
  'AWS::EKS::PodIdentityAssociation': EksPodIdentityAssociation,
};

/** Lists of entities; the whole run's model and each file's view share this shape. */
export class Entities {
  readonly templates: Template[] = [];
  readonly taskDefinitions: TaskDefinition[] = [];
  readonly services: Service[] = [];
  readonly clusters: Cluster[] = [];
  readonly capacityProviderAssociations: CapacityProviderAssociation[] = [];
  readonly capacityProviders: CapacityProvider[] = [];
  readonly autoScalingGroups: AutoScalingGroup[] = [];
  readonly launchTemplates: LaunchTemplate[] = [];
  readonly launchConfigurations: LaunchConfiguration[] = [];
  readonly instances: Ec2Instance[] = [];
  readonly instanceProfiles: InstanceProfile[] = [];
  readonly roles: Role[] = [];
  readonly classicLoadBalancers: ClassicLoadBalancer[] = [];
  readonly targetGroups: TargetGroup[] = [];
  readonly k8sObjects: K8sObject[] = [];
  readonly workloads: Workload[] = [];
  readonly k8sServices: K8sService[] = [];
  readonly eksctlConfigs: EksctlClusterConfig[] = [];
  // eks: EKS resources (src/model/eks.ts)
  readonly eksClusters: EksCluster[] = [];
  readonly eksNodegroups: EksNodegroup[] = [];
  readonly eksFargateProfiles: EksFargateProfile[] = [];
  readonly eksAddons: EksAddon[] = [];
  readonly eksPodIdentityAssociations: EksPodIdentityAssociation[] = [];
  // k8s: Kubernetes views (each also in k8sObjects)
  readonly ingresses: Ingress[] = [];
  readonly ingressClasses: IngressClass[] = [];
  readonly ingressClassParams: IngressClassParams[] = [];
  readonly storageClasses: StorageClass[] = [];
  readonly persistentVolumeClaims: PersistentVolumeClaim[] = [];
  readonly persistentVolumes: PersistentVolume[] = [];
  readonly serviceAccounts: ServiceAccount[] = [];

  add(e: Entity): void {
    switch (e.kind) {
      case 'TaskDefinition':
        this.taskDefinitions.push(e as TaskDefinition);
        break;
      case 'Service':
        this.services.push(e as Service);
        break;
      case 'Cluster':
        this.clusters.push(e as Cluster);
        break;
      case 'CapacityProviderAssociation':
        this.capacityProviderAssociations.push(e as CapacityProviderAssociation);
        break;
      case 'CapacityProvider':
        this.capacityProviders.push(e as CapacityProvider);
        break;
      case 'AutoScalingGroup':
        this.autoScalingGroups.push(e as AutoScalingGroup);
        break;
      case 'LaunchTemplate':
        this.launchTemplates.push(e as LaunchTemplate);
        break;
      case 'LaunchConfiguration':
        this.launchConfigurations.push(e as LaunchConfiguration);
        break;
      case 'Ec2Instance':
        this.instances.push(e as Ec2Instance);
        break;
      case 'InstanceProfile':
        this.instanceProfiles.push(e as InstanceProfile);
        break;
      case 'Role':
        this.roles.push(e as Role);
        break;
      case 'ClassicLoadBalancer':
        this.classicLoadBalancers.push(e as ClassicLoadBalancer);
        break;
      case 'TargetGroup':
        this.targetGroups.push(e as TargetGroup);
        break;
      case 'Workload':
        this.workloads.push(e as Workload);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sService':
        this.k8sServices.push(e as K8sService);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sObject':
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'EksctlConfig':
        this.eksctlConfigs.push(e as EksctlClusterConfig);
        break;
      // eks
      case 'EksCluster':
        this.eksClusters.push(e as EksCluster);
        break;
      case 'EksNodegroup':
        this.eksNodegroups.push(e as EksNodegroup);
        break;
      case 'EksFargateProfile':
        this.eksFargateProfiles.push(e as EksFargateProfile);
        break;
      case 'EksAddon':
        this.eksAddons.push(e as EksAddon);
        break;
      case 'EksPodIdentityAssociation':
        this.eksPodIdentityAssociations.push(e as EksPodIdentityAssociation);
        break;
      // k8s
      case 'K8sIngress':
        this.ingresses.push(e as Ingress);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sIngressClass':
        this.ingressClasses.push(e as IngressClass);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sIngressClassParams':
        this.ingressClassParams.push(e as IngressClassParams);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sStorageClass':
        this.storageClasses.push(e as StorageClass);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sPersistentVolumeClaim':
        this.persistentVolumeClaims.push(e as PersistentVolumeClaim);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sPersistentVolume':
        this.persistentVolumes.push(e as PersistentVolume);
        this.k8sObjects.push(e as K8sObject);
        break;
      case 'K8sServiceAccount':
        this.serviceAccounts.push(e as ServiceAccount);
        this.k8sObjects.push(e as K8sObject);
        break;
    }
  }

  /** Every container of ECS task definitions and Kubernetes workloads. */
  containers(): ContainerLike[] {
    const out: ContainerLike[] = [];
    for (const td of this.taskDefinitions) out.push(...td.containers);
    for (const w of this.workloads) out.push(...w.containers);
    return out;
  }

  /**
   * eks: every EKS cluster, whatever defines it: CloudFormation clusters whose settings are known
   * (a CDK custom resource's `Config` may not be), then eksctl configs.
   */
  kubernetesClusters(): Array<EksCluster | EksctlClusterConfig> {
    return [...this.eksClusters.filter((c) => c.config !== undefined), ...this.eksctlConfigs];
  }

  /** Every ECS volume with a known EFSVolumeConfiguration, across the task definitions. */
  efsVolumes(): EcsVolume[] {
    return this.taskDefinitions.flatMap((td) => td.efsVolumes());
  }

  /** CloudFormation resources of a type (any resource, modelled or not). */
  resources(type: string): CfnResource[] {
    const out: CfnResource[] = [];
    for (const t of this.templates) for (const r of t.resources.values()) if (r.type === type) out.push(r);
    return out;
  }
}

/** Questions across entities, answered over the whole run (yes / no / unknown). */
export abstract class Queryable extends Entities {
  /** The model of the whole run. */
  abstract readonly all: Model;

  // ------------------------------------------------------------ questions

  /** The entity a property refers to (Ref/GetAtt in its template), of the given class. */
  refTarget<T extends Entity>(prop: Prop, cls: abstract new (...a: never[]) => T): T | Unknown | undefined {
    const r = prop.res;
    if (r.kind === 'absent') return undefined;
    if (r.kind === 'ref') {
      const e = this.all.entityOfResource(r.resource);
      return e instanceof cls ? e : undefined;
    }
    return prop.why;
  }

  /** Who a role property (TaskRoleArn, a Roles item, ...) names. */
  roleRef(prop: Prop): RoleRef {
    const r = prop.res;
    if (r.kind === 'absent') return undefined;
    if (r.kind === 'ref') {
      const e = this.all.entityOfResource(r.resource);
      if (!(e instanceof Role)) return unknown(`${prop.name} refers to a ${r.resource.type}, not a role`);
      if (r.attribute !== undefined && r.attribute !== 'Arn') return unknown(`${prop.name} uses the role's ${r.attribute}`);
      const name = e.roleName.res.kind === 'literal' && !e.roleName.res.pseudo ? e.roleName.str() : undefined;
      return { role: e, ...(name ? { name } : {}) };
    }
    if (r.kind !== 'literal' || typeof r.value !== 'string' || r.value === '') return prop.why;
    const name = roleNameFromArn(r.value);
    if (!name || name.includes('${')) return unknown(`${prop.name} is not a role ARN with a known name`);
    const roles = this.all.roleIndex().get(name);
    return roles && roles.length === 1 ? { role: roles[0]!, name } : { name };
  }

  /** Are two role references the same role? */
  sameRole(a: RoleRef, b: RoleRef): Tri {
    if (a === undefined || b === undefined) return 'no';
    if (isUnknown(a)) return a;
    if (isUnknown(b)) return b;
    if (a.role && b.role && a.role === b.role) return 'yes';
    if (a.name !== undefined && b.name !== undefined) return a.name === b.name ? 'yes' : 'no';
    if (a.role && b.role) return 'no';
    return unknown('only one of the two roles has a known name');
  }

  /** The managed policy ARNs attached to a role, when all are known. */
  managedPolicies(role: Role): string[] | undefined {
    const p = role.managedPolicyArns;
    if (p.absent) return [];
    const items = p.list();
    if (!items) return undefined;
    const out: string[] = [];
    for (const i of items) {
      const s = i.str();
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  }

  /** The task definition a service runs. */
  taskDefinitionOf(service: Service): TaskDefinition | Unknown | undefined {
    return this.all.memo(`taskDefinitionOf`, () => new Map<Service, TaskDefinition | Unknown | undefined>(), (m) => {
      if (!m.has(service)) m.set(service, this.findTaskDefinition(service));
      return m.get(service);
    });
  }

  private findTaskDefinition(service: Service): TaskDefinition | Unknown | undefined {
    return this.taskDefinitionNamed(service.taskDefinition);
  }

  /** The task definition a property names (a Ref, an ARN or `family[:revision]`), as a service's TaskDefinition does. */
  taskDefinitionNamed(p: Prop): TaskDefinition | Unknown | undefined {
    const r = p.res;
    if (r.kind === 'absent') return undefined;
    if (r.kind === 'ref') {
      const e = this.all.entityOfResource(r.resource);
      return e instanceof TaskDefinition ? e : unknown(`${p.name} refers to a ${r.resource.type}`);
    }
    const s = p.str();
    if (s === undefined || r.kind !== 'literal' || r.pseudo) return p.why;
    const family = /task-definition\/([^:/]+)/.exec(s)?.[1] ?? s.split(':')[0]!;
    const found = this.all.familyIndex().get(family);
    return found && found.length === 1 ? found[0]! : unknown(`task definition ${family} is not in the run`);
  }

  /** The cluster a service runs on (undefined: the default cluster, not in the model). */
  clusterOf(service: Service): Cluster | Unknown | undefined {
    const p = service.cluster;
    if (p.absent) return undefined;
    const r = p.res;
    if (r.kind === 'ref') {
      const e = this.all.entityOfResource(r.resource);
      return e instanceof Cluster ? e : unknown(`${p.name} refers to a ${r.resource.type}`);
    }
    const name = p.str();
    if (name === undefined || (r.kind === 'literal' && r.pseudo)) return p.why;
    const short = name.replace(/^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\//, '');
    const hits = this.all.clusters.filter((c) => c.clusterName.str() === short);
    return hits.length === 1 ? hits[0]! : unknown(`cluster ${short} is not in the run`);
  }

  /** Does a reference (Cluster property of an association, ...) name this cluster? */
  namesCluster(prop: Prop, cluster: Cluster): Tri {
    const r = prop.res;
    if (r.kind === 'ref') return this.all.entityOfResource(r.resource) === cluster ? 'yes' : 'no';
    const name = prop.str();
    if (name === undefined || (r.kind === 'literal' && r.pseudo)) return prop.why;
    const own = cluster.clusterName.str();
    if (own === undefined) return cluster.clusterName.absent ? 'no' : cluster.clusterName.why;
    return name.replace(/^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\//, '') === own ? 'yes' : 'no';
  }

  /**
   * The capacity providers a cluster has: from the cluster and every association in the run.
   * Undefined when any of them cannot be known.
   */
  clusterCapacityProviders(cluster: Cluster): Prop[] | undefined {
    const out: Prop[] = [];
    const own = cluster.capacityProviders;
    if (own.present) {
      const items = own.list();
      if (!items) return undefined;
      out.push(...items);
    }
    for (const a of this.all.capacityProviderAssociations) {
      const hit = this.namesCluster(a.cluster, cluster);
      if (isUnknown(hit)) return undefined;
      if (hit === 'no') continue;
      const items = a.capacityProviders.list();
      if (!items) return undefined;
      out.push(...items);
    }
    return out;
  }

  /** Identity of a capacity provider reference: `FARGATE`, a provider entity, or a name. */
  providerKey(prop: Prop): string | CapacityProvider | undefined {
    const r = prop.res;
    if (r.kind === 'ref') {
      const e = this.all.entityOfResource(r.resource);
      return e instanceof CapacityProvider ? e : undefined;
    }
    if (r.kind === 'literal' && !r.pseudo && typeof r.value === 'string') {
      const byName = this.all.capacityProviders.filter((c) => c.name.str() === r.value);
      return byName.length === 1 ? byName[0]! : r.value;
    }
    return undefined;
  }

  /** Does the capacity provider strategy run on Fargate? */
  strategyIsFargate(strategy: Prop): Tri {
    const items = strategy.list();
    if (!items) return strategy.why;
    let u: Unknown | undefined;
    let some = false;
    for (const o of items) {
      const obj = o.obj();
      const cp = obj?.prop('CapacityProvider');
      if (!cp || !cp.known) {
        u ??= cp ? cp.why : o.why;
        continue;
      }
      some = true;
      if (cp.is('FARGATE', 'FARGATE_SPOT')) return 'yes';
    }
    if (u) return u;
    if (!some) return unknown(`${strategy.name} names no capacity provider`);
    return 'no';
  }

  /** Does the service run its tasks on Fargate? */
  isFargate(service: Service): Tri {
    const lt = service.launchType;
    if (lt.present) {
      if (!lt.known) return lt.why;
      return lt.is('FARGATE') ? 'yes' : 'no';
    }
    const strat = service.capacityProviderStrategy;
    if (strat.present) return this.strategyIsFargate(strat);
    const cluster = this.clusterOf(service);
    if (cluster === undefined) return unknown('the service runs on the default cluster, which is not in the run');
    if (isUnknown(cluster)) return cluster;
    const defaults = [cluster.defaultStrategy];
    for (const a of this.all.capacityProviderAssociations) {
      const hit = this.namesCluster(a.cluster, cluster);
      if (isUnknown(hit)) return hit;
      if (hit === 'yes') defaults.push(a.defaultStrategy);
    }
    const present = defaults.filter((d) => d.present);
    if (present.length === 0) return 'no';
    return any(present.map((d) => this.strategyIsFargate(d)));
  }

  /**
   * Does a task definition run on Fargate: its RequiresCompatibilities lists FARGATE, or a service
   * of the run runs it on Fargate? 'no' only when RequiresCompatibilities is known without FARGATE
   * and every service of the run that runs it surely does not (services outside the run are not seen).
   */
  taskRunsOnFargate(td: TaskDefinition): Tri {
    const own = td.requiresFargate();
    if (own === 'yes') return 'yes';
    let answer: Tri = own;
    for (const s of this.servicesRunning(td)) {
      const f = this.isFargate(s);
      if (f === 'yes') return 'yes';
      if (isUnknown(f)) answer = f;
    }
    return answer;
  }

  /** The services of the run that run a task definition (as `taskDefinitionOf` links them). */
  servicesRunning(td: TaskDefinition): Service[] {
    const byTd = this.all.memo('servicesRunning', () => {
      const m = new Map<TaskDefinition, Service[]>();
      for (const s of this.all.services) {
        const t = this.taskDefinitionOf(s);
        if (t instanceof TaskDefinition) push(m, t, s);
      }
      return m;
    });
    return byTd.get(td) ?? [];
  }

  /** The EC2 launchers (launch templates, configurations, instances) of ECS container instances. */
  containerInstanceLaunchers(): InstanceLauncher[] {
    return this.all.memo('containerInstanceLaunchers', () => this.findContainerInstanceLaunchers());
  }

  private findContainerInstanceLaunchers(): InstanceLauncher[] {
    const out = new Set<InstanceLauncher>();
    const backing = new Set<AutoScalingGroup>();
    for (const cp of this.all.capacityProviders) {
      const arn = cp.asgProvider.obj()?.prop('AutoScalingGroupArn');
      if (!arn) continue;
      const asg = this.refTarget(arn, AutoScalingGroup);
      if (asg instanceof AutoScalingGroup) backing.add(asg);
    }
    for (const asg of backing) {
      const l = this.launcherOf(asg);
      if (l) out.add(l);
    }
    for (const l of [...this.all.launchTemplates, ...this.all.launchConfigurations, ...this.all.instances]) {
      if (/ECS_CLUSTER/.test(this.bootstrapText(l)?.text ?? '')) out.add(l);
    }
    return [...out];
  }

  /**
   * What an EC2 launcher runs at boot, as text for pattern searches: its user data and, when that runs
   * cfn-init, the `AWS::CloudFormation::Init` metadata of the resource it names. `complete` is false when
   * a piece is unknown (shown as `${...}`, see `textOf`); `external` when the boot applies configuration
   * the model cannot see (cfn-init of a resource that cannot be followed, Init `sources`/`source` downloads).
   * Undefined without user data.
   */
  bootstrapText(launcher: InstanceLauncher): Bootstrap | undefined {
    return this.all.memo('bootstrapText', () => new Map<InstanceLauncher, Bootstrap | undefined>(), (m) => {
      if (!m.has(launcher)) m.set(launcher, readBootstrap(launcher));
      return m.get(launcher);
    });
  }

  // ---- ecs-1: what the boot of an ECS container instance does (src/model/ecs-extra.ts)
  /** What a launcher's boot does for ECS: joins a cluster, runs Windows, blocks tasks from IMDS (yes/no/unknown). Undefined without user data. */
  ecsInstanceBoot(launcher: InstanceLauncher): EcsInstanceBoot | undefined {
    return this.all.memo('ecsInstanceBoot', () => new Map<InstanceLauncher, EcsInstanceBoot | undefined>(), (m) => {
      if (!m.has(launcher)) m.set(launcher, readEcsInstanceBoot(launcher, this.bootstrapText(launcher)));
      return m.get(launcher);
    });
  }
  // ---- end ecs-1

  /** The launch template or configuration of an Auto Scaling group, where it is in the model. */
  launcherOf(asg: AutoScalingGroup): LaunchTemplate | LaunchConfiguration | undefined {
    const spec = asg.launchTemplateSpec();
    if (spec) {
      for (const key of ['LaunchTemplateId', 'LaunchTemplateName']) {
        const t = this.refTarget(spec.prop(key), LaunchTemplate);
        if (t instanceof LaunchTemplate) return t;
      }
      return undefined;
    }
    const lc = this.refTarget(asg.launchConfigurationName, LaunchConfiguration);
    return lc instanceof LaunchConfiguration ? lc : undefined;
  }

  /**
   * eks: does the cluster have an add-on of this name? CloudFormation clusters: an `AWS::EKS::Addon`
   * of the run names it; eksctl: its `addons` list names it.
   */
  clusterHasAddon(cluster: EksClusterLike, addonName: string): Tri {
    if (cluster instanceof EksctlClusterConfig) return cluster.hasAddon(addonName);
    if (!(cluster instanceof EksCluster)) return unknown('the cluster is not in the model');
    const index = this.all.memo(`eks/addons:${addonName}`, () =>
      indexAddons(this.all.eksClusters, this.all.eksAddons, (p) => (p.res.kind === 'ref' ? this.all.entityOfResource(p.res.resource) : undefined), addonName),
    );
    return addonIn(index, cluster);
  }

  /** The roles an instance profile reference carries (undefined when not knowable). */
  instanceProfileRoles(prop: Prop): RoleRef[] | undefined {
    const r = prop.res;
    let profile: InstanceProfile | undefined;
    if (r.kind === 'ref') {
      const e = this.all.entityOfResource(r.resource);
      if (e instanceof InstanceProfile) profile = e;
    } else if (r.kind === 'literal' && typeof r.value === 'string' && !r.pseudo) {
      const name = r.value.replace(/^arn:[^:]+:iam::[^:]*:instance-profile\/(?:.*\/)?/, '');
      const hits = this.all.profileIndex().get(name);
      if (hits?.length === 1) profile = hits[0];
    }
    if (!profile) return undefined;
    return profile.roles.list()?.map((p) => this.roleRef(p));
  }

  // ------------------------------------------------------------ k8s: questions across Kubernetes objects

  /**
   * The one Kubernetes object of a kind with a name: cluster-scoped when `near` is not given, else in
   * the namespace of `near` (the object that refers to it; see `K8sObject.namespace`). Undefined when
   * the run has none; unknown when several match or the namespace cannot be known.
   */
  k8sObject(kind: string, name: string, near?: K8sObject): K8sObject | Unknown | undefined {
    return lookup(this.all.memo('k8s/object-index', () => buildK8sIndex(this.all.k8sObjects)), kind, name, near);
  }

  /** Every Kubernetes object of a kind with a name, in any namespace. */
  k8sObjectsNamed(kind: string, name: string): readonly K8sObject[] {
    return this.all.memo('k8s/object-index', () => buildK8sIndex(this.all.k8sObjects)).get(kind)?.get(name) ?? [];
  }

  /** Are two Kubernetes objects in the same namespace? (Two objects of one rendered Helm file that set none are.) */
  sameNamespace(a: K8sObject, b: K8sObject): Tri {
    return sameNamespace(a, b);
  }

  /**
   * The workloads of the run that a label selector of `owner` (a Service's `spec.selector`, a
   * PodDisruptionBudget's labels, ...) selects in its namespace, each `yes` or unknown; those it
   * surely does not select are left out. An empty or unknown selector selects nothing here.
   */
  workloadsSelectedBy(owner: K8sObject, selector: Labels): Selected[] {
    return selectWorkloads(this.workloadIndex(), owner, selector);
  }

  /** The Services of the run that surely select a workload's pods. */
  servicesSelecting(w: Workload): readonly K8sService[] {
    return this.all.memo('k8s/services-by-workload', () => servicesByWorkload(this.workloadIndex(), this.all.k8sServices)).get(w) ?? [];
  }

  /** Does a Fargate profile of the run (one that governs the workload's folder) run the workload's pods? */
  fargateProfileOf(w: Workload): FargateMatch {
    return this.all.memo('k8s/fargate-profile-of', () => new Map<Workload, FargateMatch>(), (m) => {
      let v = m.get(w);
      if (!v) m.set(w, (v = matchFargate(this.fargateSelectors(), w)));
      return v;
    });
  }

  /** Every Fargate selector of the run, in the path order of the files that define them. */
  fargateSelectors(): readonly FargateSelector[] {
    return this.all.memo('k8s/fargate-selectors', () => {
      const order = new Map(this.all.files.map((f, i) => [f.file, i]));
      return fargateSelectors(this.all.eksctlConfigs, this.all.eksFargateProfiles, (f) => order.get(f) ?? order.size);
    });
  }

  private workloadIndex(): WorkloadIndex {
    return this.all.memo('k8s/workload-index', () => buildWorkloadIndex(this.all.workloads));
  }

}

/** The model of a whole run: every file's entities, linked across files. */
export class Model extends Queryable {
  get all(): Model {
    return this;
  }

  readonly files: ParsedFile[];
  private readonly memos = new Map<unknown, unknown>();
  private readonly byResource = new Map<CfnResource, Entity>();
  private readonly byFile = new Map<SourceFile, FileView>();
  readonly scopes = new Map<SourceFile, EntityScope[]>();
  private readonly scopeIndexes = new Map<SourceFile, ScopeIndex>();
  private rolesByName: Map<string, Role[]> | undefined;
  private profilesByName: Map<string, InstanceProfile[]> | undefined;
  private taskDefsByFamily: Map<string, TaskDefinition[]> | undefined;
  private readonly formats = new Map<SourceFile, Array<{ start: number; end: number; format: Format }>>();

  constructor(files: ParsedFile[]) {
    super();
    // Files in path order (code-point order, no locale), whatever order the inputs came in: every
    // question that walks the run (first service to use a role, services selecting a pod, ...)
    // then answers the same for the same files.
    this.files = [...files].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
    for (const f of this.files) this.addFile(f);
  }

  private addFile(pf: ParsedFile): void {
    const view = new FileView(this, pf.file);
    this.byFile.set(pf.file, view);
    const scopes: EntityScope[] = [];
    this.scopes.set(pf.file, scopes);
    const add = (e: Entity) => {
      this.add(e);
      view.add(e);
    };
    this.formats.set(pf.file, pf.documents.map((d) => ({ start: d.root.start, end: d.root.end, format: d.format })));
    for (const doc of pf.documents) {
      const base = { file: pf.file, format: doc.format, ...(doc.helmSource ? { helmSource: doc.helmSource } : {}) };
      if (doc.format === 'cloudformation') {
        const t = new Template(pf.file, doc.root, doc.cdk);
        this.templates.push(t);
        view.templates.push(t);
        for (const r of t.resources.values()) {
          const cdkPath = r.cdkPath;
          const origin: Origin = { ...base, logicalId: r.logicalId, resource: r, ...(cdkPath ? { cdkPath } : {}) };
          const ctor = CFN_ENTITY[r.type];
          if (ctor) {
            const e = new ctor(origin, r.props);
            this.byResource.set(r, e);
            add(e);
          }
          scopes.push({ start: r.key.start, end: r.node.end, label: r.logicalId, ...(cdkPath ? { cdkPath } : {}), resource: r.node });
        }
      } else if (doc.format === 'ecs-task-definition') {
        const scope = new PlainScope('ecs-task-definition');
        const td = new TaskDefinition(base, new Obj(doc.root, scope));
        add(td);
        // Findings in task-definition JSON name the family, and the container they are about.
        const family = td.family.str();
        if (family !== undefined) {
          scopes.push({ start: doc.root.start, end: doc.root.end, label: family });
          for (const c of td.containers) {
            const name = c.props.prop('Name').str();
            if (name !== undefined) scopes.push({ start: c.props.node.start, end: c.props.node.end, label: `${family}/${name}` });
          }
        }
      } else if (doc.format === 'kubernetes') {
        const scope = new PlainScope('kubernetes');
        const props = new Obj(doc.root, scope);
        const kind = props.prop('kind').str() ?? '';
        const meta = props.obj('metadata');
        const name = meta?.prop('name').str();
        const namespace = meta?.prop('namespace').str();
        const origin: Origin = { ...base, k8s: { kind, ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) } };
        const View = K8S_VIEWS[kind] ?? K8sObject; // k8s: views of their own
        const e = isWorkloadKind(kind) ? new Workload(origin, props) : kind === 'Service' ? new K8sService(origin, props) : new View(origin, props);
        add(e);
        const label = `${kind}/${namespace ? namespace + '/' : ''}${name ?? '?'}`;
        scopes.push({ start: doc.root.start, end: doc.root.end, label, k8sObject: label, ...(doc.helmSource ? { helmSource: doc.helmSource } : {}), object: e });
      } else if (doc.format === 'eksctl') {
        const config = new EksctlClusterConfig(base, new Obj(doc.root, new PlainScope('eksctl')));
        add(config);
        // eks: findings in an eksctl file name the cluster, as Kubernetes findings name their object.
        const name = config.metadata?.prop('name').str();
        if (name !== undefined) scopes.push({ start: doc.root.start, end: doc.root.end, label: `ClusterConfig/${name}` });
      }
    }
  }

  /**
   * A value computed once per run (an index, a precomputed answer), shared by every file's check.
   * `use` (optional) reads the memoised value, e.g. a per-entity cache map.
   */
  memo<T>(key: unknown, compute: () => T): T;
  memo<T, R>(key: unknown, compute: () => T, use: (value: T) => R): R;
  memo<T, R>(key: unknown, compute: () => T, use?: (value: T) => R): T | R {
    let v = this.memos.get(key) as T | undefined;
    if (v === undefined && !this.memos.has(key)) {
      v = compute();
      this.memos.set(key, v);
    }
    return use ? use(v as T) : (v as T);
  }

  /** The entities defined in one file, with this model behind them. */
  view(file: SourceFile): FileView {
    return this.byFile.get(file) ?? new FileView(this, file);
  }

  /** The format of the document at an offset of a file (how its keys are spelled). */
  formatAt(file: SourceFile, offset: number): Format | undefined {
    const docs = this.formats.get(file);
    if (!docs || docs.length === 0) return undefined;
    for (const d of docs) if (offset >= d.start && offset <= d.end) return d.format;
    return docs[0]!.format;
  }

  /** The scopes of a file, indexed by offset (built once per file, on first use). */
  scopeIndex(file: SourceFile): ScopeIndex {
    let index = this.scopeIndexes.get(file);
    if (!index) this.scopeIndexes.set(file, (index = new ScopeIndex(this.scopes.get(file) ?? [])));
    return index;
  }

  /** The entity a CloudFormation resource became, if it is a modelled type. */
  entityOfResource(resource: CfnResource): Entity | undefined {
    return this.byResource.get(resource);
  }

  roleIndex(): Map<string, Role[]> {
    if (!this.rolesByName) {
      this.rolesByName = new Map();
      for (const role of this.roles) {
        const n = role.roleName;
        if (n.res.kind === 'literal' && !n.res.pseudo && n.str()) push(this.rolesByName, n.str()!, role);
      }
    }
    return this.rolesByName;
  }

  profileIndex(): Map<string, InstanceProfile[]> {
    if (!this.profilesByName) {
      this.profilesByName = new Map();
      for (const p of this.instanceProfiles) {
        const n = p.profileName.str();
        if (n && !(p.profileName.res.kind === 'literal' && p.profileName.res.pseudo)) push(this.profilesByName, n, p);
      }
    }
    return this.profilesByName;
  }

  familyIndex(): Map<string, TaskDefinition[]> {
    if (!this.taskDefsByFamily) {
      this.taskDefsByFamily = new Map();
      for (const td of this.taskDefinitions) {
        const f = td.family.str();
        if (f) push(this.taskDefsByFamily, f, td);
      }
    }
    return this.taskDefsByFamily;
  }
}

/**
 * The entities of one file, as a rule sees them: lists hold this file's entities,
 * questions and `all` reach the whole run.
 */
export class FileView extends Queryable {
  constructor(
    readonly all: Model,
    readonly file: SourceFile,
  ) {
    super();
  }
}

function readBootstrap(l: InstanceLauncher): Bootstrap | undefined {
  const ud = l.userData();
  if (!ud.present) return undefined;
  const own = textOf(ud.node, l.props.scope);
  const out: Bootstrap = { text: own.text, complete: own.complete, external: false };
  const template = l.origin.resource?.template;
  // cfn-init calls, with shell line continuations joined.
  for (const m of own.text.replace(/\\\r?\n/g, ' ').matchAll(/cfn-init\b[^\n]*/g)) {
    const id = /(?:--resource[=\s]+|\s-r\s+)["']?([A-Za-z0-9]+)["']?(?:\s|$)/.exec(m[0])?.[1];
    const res = id !== undefined ? template?.resources.get(id) : undefined;
    const init = res ? new Obj(res.node, res.template).obj('Metadata')?.obj('AWS::CloudFormation::Init') : undefined;
    if (!init) {
      out.external = true;
      continue;
    }
    const parts: string[] = [];
    const visitObj = (o: Obj, depth: number): void => {
      for (const key of o.keys()) {
        if (/^sources?$/i.test(key)) out.external = true;
        const v = o.prop(key);
        // A setting's value (`ECS_CLUSTER: !Ref Cluster` in `env`) stays on its key's line; file
        // contents and commands start their own, as they do on the instance.
        if (!/^(?:content|commands?)$/i.test(key) && !v.obj() && !v.list() && !(v.unknown && isMap(v.node) && v.node.soleKey === 'Fn::If')) {
          const t = textOf(v.node, v.owner.scope);
          parts.push(`${key}: ${t.text}`);
          if (!t.complete) out.complete = false;
          continue;
        }
        parts.push(key);
        visit(v, depth + 1);
      }
    };
    const visit = (v: Prop, depth: number): void => {
      const o = v.obj();
      const items = o ? undefined : v.list();
      const node = v.node;
      const branches = isMap(node) && node.soleKey === 'Fn::If' ? node.get('Fn::If') : undefined;
      if (depth > 30) out.complete = false;
      else if (o) visitObj(o, depth);
      else if (v.unknown && isSeq(branches) && branches.items.length === 3)
        // A condition chooses: read both branches (what either may hold).
        for (const b of branches.items.slice(1)) visit(new Prop(v.owner, v.name, undefined, b), depth + 1);
      else if (items) for (const i of items) visit(i, depth + 1);
      else {
        const t = textOf(v.node, v.owner.scope);
        parts.push(t.text);
        if (!t.complete) out.complete = false;
      }
    };
    visitObj(init, 0);
    out.text += '\n' + parts.join('\n');
  }
  return out;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The role name in a role ARN (`arn:aws:iam::123:role/path/Name` → `Name`), or a bare name. */
export function roleNameFromArn(s: string): string | undefined {
  // The account may be the template's own `${AWS::AccountId}` (a `!Sub` ARN of the stack's account).
  const m = /^arn:[^:]+:iam::(?:[^:]*|\$\{AWS::AccountId\}):role\/(.+)$/.exec(s);
  if (m) return m[1]!.split('/').pop();
  if (s.startsWith('arn:')) return undefined;
  return /^[\w+=,.@-]+$/.test(s) ? s : undefined;
}

export type { Scope };
