import { isScalar, type Node, type SourceFile } from '../parsers/tree.js';
import type { Format } from '../parsers/index.js';
import type { CfnResource } from './cfn.js';
import { Obj, Prop } from './value.js';
import { known, some, unknown, type Tri, type Unknown, type Value } from './answer.js';

/** Where an entity was defined. */
export interface Origin {
  file: SourceFile;
  format: Format;
  /** CloudFormation logical id. */
  logicalId?: string;
  resource?: CfnResource;
  /** CDK construct path (`aws:cdk:path`). */
  cdkPath?: string;
  /** Kubernetes object identity. */
  k8s?: { kind: string; name?: string; namespace?: string };
  /** Helm's `# Source:` path for rendered output. */
  helmSource?: string;
}

export abstract class Entity {
  abstract readonly kind: string;
  constructor(
    readonly origin: Origin,
    /** Properties (CloudFormation `Properties`, the task definition, the Kubernetes object). */
    readonly props: Obj,
  ) {}

  /** How messages name this entity: logical id, family or object name. */
  get label(): string {
    return this.origin.logicalId ?? this.origin.k8s?.name ?? 'unnamed';
  }

  /** Where a finding about the entity as a whole (or something it lacks) belongs. */
  get anchor(): Node {
    return this.props.anchor;
  }

  get file(): SourceFile {
    return this.origin.file;
  }
}

// ---------------------------------------------------------------- ECS

/** Anything that runs a container image: an ECS container definition or a Kubernetes container. */
export interface ContainerLike {
  readonly owner: Entity;
  readonly name: string;
  readonly props: Obj;
  readonly image: Prop;
  /** Command-line pieces (ECS command + entryPoint; Kubernetes command + args). */
  commandParts(): Prop[];
  /** Linux capabilities the container adds. */
  addedCapabilities(): Prop[];
  /** Host device paths exposed to the container. */
  hostDevices(): Prop[];
  readonly privileged: Prop;
}

export class TaskDefinition extends Entity {
  readonly kind = 'TaskDefinition';
  readonly containers: Container[];
  readonly volumes: EcsVolume[];

  constructor(origin: Origin, props: Obj) {
    super(origin, props);
    this.containers = props.prop('ContainerDefinitions').objects().map((o) => new Container(this, o));
    this.volumes = props.prop('Volumes').objects().map((o) => new EcsVolume(this, o));
  }

  override get label(): string {
    return this.origin.logicalId ?? this.family.str() ?? 'task definition';
  }
  override get anchor(): Node {
    if (this.origin.format === 'cloudformation') return this.props.anchor;
    const fam = this.props.prop('family');
    return fam.key ?? this.props.anchor;
  }

  get family(): Prop {
    return this.props.prop('Family');
  }
  get taskRole(): Prop {
    return this.props.prop('TaskRoleArn');
  }
  get executionRole(): Prop {
    return this.props.prop('ExecutionRoleArn');
  }
  get networkMode(): Prop {
    return this.props.prop('NetworkMode');
  }
  get requiresCompatibilities(): Prop {
    return this.props.prop('RequiresCompatibilities');
  }
  get cpu(): Prop {
    return this.props.prop('Cpu');
  }
  get memory(): Prop {
    return this.props.prop('Memory');
  }
  /** Volumes with a known EFSVolumeConfiguration mapping (not removed or chosen by a condition). */
  efsVolumes(): EcsVolume[] {
    return this.volumes.filter((v) => v.efs.obj() !== undefined);
  }
  /** `FARGATE` appears in RequiresCompatibilities: yes / no / unknown. */
  requiresFargate(): Tri {
    const rc = this.requiresCompatibilities;
    if (rc.absent) return 'no';
    const items = rc.list();
    if (!items) return rc.why;
    return some(items, (i) => (i.is('FARGATE') ? 'yes' : i.known ? 'no' : i.why));
  }
  /**
   * Does the task run Windows containers? From RuntimePlatform.OperatingSystemFamily (WINDOWS_* / LINUX);
   * without it, from Windows-only signs: a gMSA `credentialspec:` docker security option, a Windows
   * base image (servercore, nanoserver, mcr.microsoft.com/windows, .NET Framework), a PowerShell or cmd.exe command.
   */
  windows(): Tri {
    const rp = this.props.prop('RuntimePlatform');
    if (rp.present) {
      const o = rp.obj();
      if (!o) return rp.why;
      const os = o.prop('OperatingSystemFamily');
      if (os.present) {
        const s = os.str();
        if (s === undefined) return os.why;
        return s.toUpperCase().startsWith('WINDOWS') ? 'yes' : 'no';
      }
    }
    const raw = (p: Prop) => (isScalar(p.node) && typeof p.node.value === 'string' ? p.node.value : '');
    for (const c of this.containers) {
      if ((c.props.prop('DockerSecurityOptions').list() ?? []).some((p) => /^credentialspec:/i.test(raw(p)))) return 'yes';
      if (/mcr\.microsoft\.com\/(?:windows|dotnet\/framework)|servercore|nanoserver|:ltsc20\d\d/i.test(raw(c.image))) return 'yes';
      const first = c.commandParts()[0];
      if (first && /^(?:powershell(?:\.exe)?|cmd(?:\.exe)?|[A-Za-z]:\\)/i.test(raw(first).trim())) return 'yes';
    }
    return 'no';
  }
}

export class Container implements ContainerLike {
  constructor(
    readonly owner: TaskDefinition,
    readonly props: Obj,
  ) {}
  get name(): string {
    return this.props.prop('Name').str() ?? 'unnamed';
  }
  /** How messages name the container: its Name quoted, or its position when the name is not known (`#2`). */
  get label(): string {
    const n = this.props.prop('Name').str();
    return n !== undefined ? `"${n}"` : `#${this.owner.containers.indexOf(this) + 1}`;
  }
  get image(): Prop {
    return this.props.prop('Image');
  }
  get privileged(): Prop {
    return this.props.prop('Privileged');
  }
  commandParts(): Prop[] {
    return [...(this.props.prop('EntryPoint').list() ?? []), ...(this.props.prop('Command').list() ?? [])];
  }
  addedCapabilities(): Prop[] {
    return this.props.obj('LinuxParameters')?.obj('Capabilities')?.prop('Add').list() ?? [];
  }
  hostDevices(): Prop[] {
    return (this.props.obj('LinuxParameters')?.prop('Devices').objects() ?? []).map((d) => d.prop('HostPath'));
  }
}

export class EcsVolume {
  constructor(
    readonly taskDefinition: TaskDefinition,
    readonly props: Obj,
  ) {}
  get name(): string {
    return this.props.prop('Name').str() ?? 'unnamed';
  }
  /** `EFSVolumeConfiguration` / `efsVolumeConfiguration`, as a property (present or not). */
  get efs(): Prop {
    return this.props.prop('EFSVolumeConfiguration');
  }
}

export class Service extends Entity {
  readonly kind = 'Service';
  get cluster(): Prop {
    return this.props.prop('Cluster');
  }
  get taskDefinition(): Prop {
    return this.props.prop('TaskDefinition');
  }
  get launchType(): Prop {
    return this.props.prop('LaunchType');
  }
  get capacityProviderStrategy(): Prop {
    return this.props.prop('CapacityProviderStrategy');
  }
  get loadBalancers(): Obj[] {
    return this.props.prop('LoadBalancers').objects();
  }
  get platformVersion(): Prop {
    return this.props.prop('PlatformVersion');
  }
}

export class Cluster extends Entity {
  readonly kind = 'Cluster';
  get clusterName(): Prop {
    return this.props.prop('ClusterName');
  }
  get capacityProviders(): Prop {
    return this.props.prop('CapacityProviders');
  }
  get defaultStrategy(): Prop {
    return this.props.prop('DefaultCapacityProviderStrategy');
  }
}

/** `AWS::ECS::ClusterCapacityProviderAssociations`. */
export class CapacityProviderAssociation extends Entity {
  readonly kind = 'CapacityProviderAssociation';
  get cluster(): Prop {
    return this.props.prop('Cluster');
  }
  get capacityProviders(): Prop {
    return this.props.prop('CapacityProviders');
  }
  get defaultStrategy(): Prop {
    return this.props.prop('DefaultCapacityProviderStrategy');
  }
}

export class CapacityProvider extends Entity {
  readonly kind = 'CapacityProvider';
  get name(): Prop {
    return this.props.prop('Name');
  }
  get asgProvider(): Prop {
    return this.props.prop('AutoScalingGroupProvider');
  }
}

// ---------------------------------------------------------------- EC2 / Auto Scaling / IAM / ELB

/** Something that launches EC2 instances with an instance profile and user data. */
export interface InstanceLauncher extends Entity {
  instanceProfile(): Prop;
  userData(): Prop;
}

export class AutoScalingGroup extends Entity {
  readonly kind = 'AutoScalingGroup';
  get newInstancesProtectedFromScaleIn(): Prop {
    return this.props.prop('NewInstancesProtectedFromScaleIn');
  }
  /** The launch template specification (direct or through a mixed instances policy). */
  launchTemplateSpec(): Obj | undefined {
    return (
      this.props.obj('LaunchTemplate') ??
      this.props.obj('MixedInstancesPolicy')?.obj('LaunchTemplate')?.obj('LaunchTemplateSpecification')
    );
  }
  get launchConfigurationName(): Prop {
    return this.props.prop('LaunchConfigurationName');
  }
}

export class LaunchTemplate extends Entity implements InstanceLauncher {
  readonly kind = 'LaunchTemplate';
  get data(): Obj | undefined {
    return this.props.obj('LaunchTemplateData');
  }
  instanceProfile(): Prop {
    const p = this.data?.prop('IamInstanceProfile');
    if (!p) return this.props.prop('LaunchTemplateData');
    const o = p.obj();
    if (!o) return p;
    const arn = o.prop('Arn');
    return arn.present ? arn : o.prop('Name');
  }
  userData(): Prop {
    return this.data?.prop('UserData') ?? this.props.prop('LaunchTemplateData');
  }
}

export class LaunchConfiguration extends Entity implements InstanceLauncher {
  readonly kind = 'LaunchConfiguration';
  instanceProfile(): Prop {
    return this.props.prop('IamInstanceProfile');
  }
  userData(): Prop {
    return this.props.prop('UserData');
  }
}

export class Ec2Instance extends Entity implements InstanceLauncher {
  readonly kind = 'Ec2Instance';
  instanceProfile(): Prop {
    return this.props.prop('IamInstanceProfile');
  }
  userData(): Prop {
    return this.props.prop('UserData');
  }
}

export class InstanceProfile extends Entity {
  readonly kind = 'InstanceProfile';
  get roles(): Prop {
    return this.props.prop('Roles');
  }
  get profileName(): Prop {
    return this.props.prop('InstanceProfileName');
  }
}

export class Role extends Entity {
  readonly kind = 'Role';
  get roleName(): Prop {
    return this.props.prop('RoleName');
  }
  get managedPolicyArns(): Prop {
    return this.props.prop('ManagedPolicyArns');
  }
}

export class ClassicLoadBalancer extends Entity {
  readonly kind = 'ClassicLoadBalancer';
}

/** `AWS::ElasticLoadBalancingV2::TargetGroup`. */
export class TargetGroup extends Entity {
  readonly kind = 'TargetGroup';
  /** `instance` (the default when absent), `ip`, `lambda` or `alb`. */
  get targetType(): Prop {
    return this.props.prop('TargetType');
  }
}

// ---------------------------------------------------------------- Kubernetes and eksctl

export class K8sObject extends Entity {
  readonly kind: string = 'K8sObject';
  get objectKind(): string {
    return this.origin.k8s?.kind ?? '';
  }
  /** `spec`, when it is a mapping. */
  get spec(): Obj | undefined {
    return this.props.obj('spec');
  }
  /** A field of `spec`; the (absent or unreadable) `spec` itself when there is no spec mapping. */
  protected specProp(name: string): Prop {
    return this.spec?.prop(name) ?? this.props.prop('spec');
  }
  get metadata(): Obj | undefined {
    return this.props.obj('metadata');
  }
  override get anchor(): Node {
    const name = this.metadata?.prop('name');
    return name?.node ?? this.props.prop('kind').node ?? this.props.anchor;
  }
  /** Annotation value as a property (present or absent) of the object's metadata. */
  annotation(name: string): Prop | undefined {
    const ann = this.metadata?.obj('annotations');
    if (!ann) return undefined;
    const pair = ann.node.pair(name);
    return new Prop(ann, name, pair?.key, pair?.value);
  }
  /** `metadata.name` (absent, unknown or known). */
  get name(): Prop {
    return this.metadata?.prop('name') ?? this.props.prop('metadata');
  }
  /**
   * The namespace the object is applied to: `metadata.namespace`; when absent, `default` (what
   * `kubectl apply` uses without `-n`), except in rendered Helm output (`# Source:`), where it is
   * the release's namespace, chosen at install time: unknown. A placeholder is unknown. (For
   * cluster-scoped kinds the answer is meaningless; lookups of those ignore it.)
   */
  get namespace(): Value<string> {
    const ns = this.metadata?.prop('namespace');
    if (!ns || ns.absent) return this.origin.helmSource ? unknown(`the namespace of the Helm release (${this.objectKind} "${this.label}" sets none)`) : known('default');
    const s = ns.str();
    return s !== undefined ? known(s) : ns.why;
  }
  /** The object's own labels (`metadata.labels`). */
  get labels(): Labels {
    return labelsOf(this.metadata?.prop('labels'));
  }
}

/** Labels by key, each a known value or unknown (a placeholder); unknown as a whole when the map cannot be read. */
export type Labels = ReadonlyMap<string, string | Unknown> | Unknown;

/** The labels of a map property (`metadata.labels`, `spec.selector`): absent → none; not a map → unknown. */
export function labelsOf(p: Prop | undefined): Labels {
  if (!p || p.absent) return new Map();
  const o = p.obj();
  if (!o) return p.why;
  const out = new Map<string, string | Unknown>();
  for (const k of o.keys()) {
    const v = o.prop(k);
    out.set(k, v.str() ?? v.why);
  }
  return out;
}

const POD_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function isWorkloadKind(kind: string): boolean {
  return kind in POD_PATHS;
}

/** A Kubernetes object that runs pods. */
export class Workload extends K8sObject {
  override readonly kind = 'Workload';
  readonly podSpec: Obj | undefined;
  readonly containers: K8sContainer[];

  constructor(origin: Origin, props: Obj) {
    super(origin, props);
    let cur: Obj | undefined = props;
    for (const k of POD_PATHS[origin.k8s!.kind] ?? []) cur = cur?.obj(k);
    this.podSpec = cur;
    this.containers = [];
    for (const key of ['initContainers', 'containers', 'ephemeralContainers'])
      for (const o of cur?.prop(key).objects() ?? []) this.containers.push(new K8sContainer(this, o));
  }

  /** The pod template's metadata (undefined for a bare Pod). */
  get podTemplateMetadata(): Obj | undefined {
    if (this.objectKind === 'Pod') return undefined;
    let cur: Obj | undefined = this.props;
    const path = POD_PATHS[this.objectKind]!;
    for (const k of path.slice(0, -1)) cur = cur?.obj(k);
    return cur?.obj('metadata');
  }

  /** The labels of the pods it creates: the pod template's (a bare Pod's own); unknown without a pod template. */
  get podLabels(): Labels {
    if (this.objectKind === 'Pod') return this.labels;
    const meta = this.podTemplateMetadata;
    return meta ? labelsOf(meta.prop('labels')) : unknown(`${this.objectKind} "${this.label}" has no readable pod template metadata`);
  }

  /** The pod's volumes by name. */
  volume(name: string): Obj | undefined {
    for (const v of this.podSpec?.prop('volumes').objects() ?? []) if (v.prop('name').str() === name) return v;
    return undefined;
  }
}

export class K8sContainer implements ContainerLike {
  constructor(
    readonly owner: Workload,
    readonly props: Obj,
  ) {}
  get name(): string {
    return this.props.prop('name').str() ?? 'unnamed';
  }
  get image(): Prop {
    return this.props.prop('image');
  }
  get privileged(): Prop {
    return this.props.obj('securityContext')?.prop('privileged') ?? this.props.prop('securityContext');
  }
  commandParts(): Prop[] {
    return [...(this.props.prop('command').list() ?? []), ...(this.props.prop('args').list() ?? [])];
  }
  addedCapabilities(): Prop[] {
    return this.props.obj('securityContext')?.obj('capabilities')?.prop('add').list() ?? [];
  }
  hostDevices(): Prop[] {
    const out: Prop[] = [];
    for (const m of this.props.prop('volumeMounts').objects()) {
      const vol = this.owner.volume(m.prop('name').str() ?? '');
      const path = vol?.obj('hostPath')?.prop('path');
      if (path && path.str()?.startsWith('/dev/')) out.push(path);
    }
    return out;
  }
}

export class K8sService extends K8sObject {
  override readonly kind = 'K8sService';
  /** `spec.type` (ClusterIP when absent). */
  get type(): Prop {
    return this.specProp('type');
  }
  /** `spec.loadBalancerClass`. */
  get loadBalancerClass(): Prop {
    return this.specProp('loadBalancerClass');
  }
  /** `spec.selector`: the labels of the pods it sends traffic to (none: endpoints managed by hand). */
  get selector(): Prop {
    return this.specProp('selector');
  }
  /** `spec.ports` items. */
  get ports(): Obj[] {
    return this.spec?.prop('ports').objects() ?? [];
  }
}

/** An eksctl `ClusterConfig`. */
export class EksctlConfig extends Entity {
  readonly kind = 'EksctlConfig';
  override get label(): string {
    return this.props.obj('metadata')?.prop('name').str() ?? 'cluster';
  }
  override get anchor(): Node {
    return this.props.obj('metadata')?.prop('name').node ?? this.props.prop('kind').node ?? this.props.anchor;
  }
}

// ---------------------------------------------------------------- answers

/** The answer to a question across entities. Rules report only on a definite one. */
export type { Tri } from './answer.js';
