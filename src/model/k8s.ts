/**
 * The Kubernetes model: views of the objects rules read (Ingress, IngressClass, StorageClass,
 * PersistentVolume(Claim), ServiceAccount; `Workload`, `K8sService` and `K8sObject` live in
 * entities.ts), the EKS resources that place pods (Fargate profiles, managed node groups), and the
 * questions across objects: the object index by (kind, namespace, name), "are these in the same
 * namespace", and "which workloads does this selector select".
 *
 * Namespaces: `K8sObject.namespace` is the one answer (absent → `default`; absent in rendered Helm
 * output → the release's namespace, unknown). Two objects of one rendered Helm file that both leave
 * it out are in the same namespace (one release), whatever it is.
 */
import { dirname, sep } from 'node:path';
import { wildcardMatch } from '../engine/glob.js';
import type { SourceFile } from '../parsers/tree.js';
import { any, isUnknown, tri, unknown, type Tri, type Unknown } from './answer.js';
import { Entity, K8sObject, labelsOf, type EksctlConfig, type K8sService, type Labels, type Origin, type Workload } from './entities.js';
import type { Obj, Prop } from './value.js';
import type { EksFargateProfile } from './eks.js';

// ---------------------------------------------------------------- views

/** `networking.k8s.io/v1` (and `extensions/v1beta1`) Ingress. */
export class Ingress extends K8sObject {
  override readonly kind = 'K8sIngress';
  /** `spec.ingressClassName`. */
  get ingressClassName(): Prop {
    return this.specProp('ingressClassName');
  }
  /** The deprecated `kubernetes.io/ingress.class` annotation (undefined without annotations). */
  get classAnnotation(): Prop | undefined {
    return this.annotation('kubernetes.io/ingress.class');
  }
  /** The backend Service names (`service.name`, v1beta1 `serviceName`) of the default backend and every path. */
  backendServiceNames(): Prop[] {
    const spec = this.spec;
    if (!spec) return [];
    const out: Prop[] = [];
    const add = (backend: Prop | undefined) => {
      const b = backend?.obj();
      if (!b) return;
      const v1 = b.obj('service')?.prop('name');
      if (v1 && v1.present) out.push(v1);
      else if (b.prop('serviceName').present) out.push(b.prop('serviceName'));
    };
    add(spec.prop('defaultBackend'));
    add(spec.prop('backend'));
    for (const rule of spec.prop('rules').objects()) for (const path of rule.obj('http')?.prop('paths').objects() ?? []) add(path.prop('backend'));
    return out;
  }
}

/** `IngressClass` (cluster-scoped). */
export class IngressClass extends K8sObject {
  override readonly kind = 'K8sIngressClass';
  /** `spec.controller` (`ingress.k8s.aws/alb`, ...). */
  get controller(): Prop {
    return this.specProp('controller');
  }
  /** `spec.parameters` (a reference to IngressClassParams or another kind). */
  get parameters(): Prop {
    return this.specProp('parameters');
  }
  /** Annotated `ingressclass.kubernetes.io/is-default-class: "true"`. */
  get isDefault(): boolean {
    return this.annotation('ingressclass.kubernetes.io/is-default-class')?.is('true') === true;
  }
}

/** The AWS Load Balancer Controller's `IngressClassParams` (cluster-scoped). */
export class IngressClassParams extends K8sObject {
  override readonly kind = 'K8sIngressClassParams';
  /** `spec.scheme` (`internal`, `internet-facing`). */
  get scheme(): Prop {
    return this.specProp('scheme');
  }
  /** `spec.targetType` (`ip`, `instance`). */
  get targetType(): Prop {
    return this.specProp('targetType');
  }
}

/** `storage.k8s.io/v1` StorageClass (cluster-scoped). Its fields sit at the top level, not under `spec`. */
export class StorageClass extends K8sObject {
  override readonly kind = 'K8sStorageClass';
  get provisioner(): Prop {
    return this.props.prop('provisioner');
  }
  /** `parameters`, when it is a mapping. */
  get parameters(): Obj | undefined {
    return this.props.obj('parameters');
  }
  get volumeBindingMode(): Prop {
    return this.props.prop('volumeBindingMode');
  }
  get reclaimPolicy(): Prop {
    return this.props.prop('reclaimPolicy');
  }
  get allowVolumeExpansion(): Prop {
    return this.props.prop('allowVolumeExpansion');
  }
  /** Annotated `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation). */
  get isDefault(): boolean {
    return ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'].some((a) => this.annotation(a)?.is('true') === true);
  }
}

/** `PersistentVolumeClaim`. */
export class PersistentVolumeClaim extends K8sObject {
  override readonly kind = 'K8sPersistentVolumeClaim';
  /** `spec.storageClassName` (absent: the default class; `""`: no class, a pre-provisioned volume). */
  get storageClassName(): Prop {
    return this.specProp('storageClassName');
  }
  get accessModes(): Prop {
    return this.specProp('accessModes');
  }
  get volumeName(): Prop {
    return this.specProp('volumeName');
  }
  get volumeMode(): Prop {
    return this.specProp('volumeMode');
  }
}

/** `PersistentVolume` (cluster-scoped). */
export class PersistentVolume extends K8sObject {
  override readonly kind = 'K8sPersistentVolume';
  get storageClassName(): Prop {
    return this.specProp('storageClassName');
  }
  get accessModes(): Prop {
    return this.specProp('accessModes');
  }
  /** `spec.csi`, when it is a mapping (`driver`, `volumeHandle`, ...). */
  get csi(): Obj | undefined {
    return this.spec?.obj('csi');
  }
  /** `spec.claimRef`, when it is a mapping. */
  get claimRef(): Obj | undefined {
    return this.spec?.obj('claimRef');
  }
}

/** `ServiceAccount`. */
export class ServiceAccount extends K8sObject {
  override readonly kind = 'K8sServiceAccount';
  /** The IRSA annotation `eks.amazonaws.com/role-arn` (undefined without annotations). */
  get roleArn(): Prop | undefined {
    return this.annotation('eks.amazonaws.com/role-arn');
  }
}

/** Kubernetes kinds with a view of their own (besides workloads and Services). */
export const K8S_VIEWS: Record<string, typeof K8sObject> = {
  Ingress,
  IngressClass,
  IngressClassParams,
  StorageClass,
  PersistentVolumeClaim,
  PersistentVolume,
  ServiceAccount,
};

// ---------------------------------------------------------------- EKS resources that place pods

// ---------------------------------------------------------------- questions across objects

/**
 * Where two objects' namespaces can be compared: the known namespace, or, for an object of rendered
 * Helm output that sets none, its file (one render is one release); undefined when unknown.
 */
export function namespaceKey(o: K8sObject): string | undefined {
  const ns = o.namespace;
  if (ns.kind === 'known') return ns.value;
  const own = o.metadata?.prop('namespace');
  if (o.origin.helmSource && (!own || own.absent)) return `\u0000helm release of ${o.file.path}`;
  return undefined;
}

/** Are two objects in the same namespace? */
export function sameNamespace(a: K8sObject, b: K8sObject): Tri {
  const ka = namespaceKey(a);
  const kb = namespaceKey(b);
  if (ka !== undefined && kb !== undefined) return tri(ka === kb);
  const u = ka === undefined ? a.namespace : b.namespace;
  return isUnknown(u) ? u : unknown('the namespace cannot be known');
}

/** Do labels carry every required label (each equal)? Empty requirements select everything. */
export function labelsMatch(required: Labels, labels: Labels): Tri {
  if (isUnknown(required)) return required;
  if (required.size === 0) return 'yes';
  if (isUnknown(labels)) return labels;
  let answer: Tri = 'yes';
  for (const [key, want] of required) {
    if (!labels.has(key)) return 'no';
    const have = labels.get(key)!;
    if (isUnknown(want)) answer = want;
    else if (isUnknown(have)) answer = have;
    else if (have !== want) return 'no';
  }
  return answer;
}

/** Kubernetes objects of the run by kind, then name (every namespace). */
export type K8sIndex = Map<string, Map<string, K8sObject[]>>;

export function buildK8sIndex(objects: readonly K8sObject[]): K8sIndex {
  const out: K8sIndex = new Map();
  for (const o of objects) {
    const name = o.name.str();
    if (name === undefined) continue;
    let byName = out.get(o.objectKind);
    if (!byName) out.set(o.objectKind, (byName = new Map()));
    const l = byName.get(name);
    if (l) l.push(o);
    else byName.set(name, [o]);
  }
  return out;
}

/**
 * The one object of a kind with a name: cluster-scoped when `near` is undefined, else in the
 * namespace of `near` (the object that refers to it). Undefined when there is none; unknown when
 * several match or the namespace cannot be known.
 */
export function lookup(index: K8sIndex, kind: string, name: string, near?: K8sObject): K8sObject | Unknown | undefined {
  let hits = index.get(kind)?.get(name);
  if (!hits) return undefined;
  if (near) {
    const key = namespaceKey(near);
    if (key === undefined) {
      const ns = near.namespace;
      return isUnknown(ns) ? ns : unknown('the namespace cannot be known');
    }
    hits = hits.filter((o) => namespaceKey(o) === key);
  }
  if (hits.length === 0) return undefined;
  if (hits.length === 1) return hits[0];
  return unknown(`${hits.length} ${kind} objects named "${name}" in the run`);
}

/**
 * Workloads of the run by namespace key, then by known pod label (`key`, `value`); those whose labels
 * are unknown (as a whole or a value) are kept apart: any selector may select them.
 */
export interface WorkloadIndex {
  byNamespace: Map<string, { all: Workload[]; byLabel: Map<string, Workload[]>; uncertain: Workload[]; position: Map<Workload, number> }>;
}

export function buildWorkloadIndex(workloads: readonly Workload[]): WorkloadIndex {
  const byNamespace: WorkloadIndex['byNamespace'] = new Map();
  for (const w of workloads) {
    const k = namespaceKey(w);
    if (k === undefined) continue;
    let ns = byNamespace.get(k);
    if (!ns) byNamespace.set(k, (ns = { all: [], byLabel: new Map(), uncertain: [], position: new Map() }));
    ns.position.set(w, ns.all.length);
    ns.all.push(w);
    const labels = w.podLabels;
    if (isUnknown(labels)) {
      ns.uncertain.push(w);
      continue;
    }
    let uncertain = false;
    for (const [key, value] of labels) {
      if (isUnknown(value)) {
        uncertain = true;
        continue;
      }
      const pair = `${key}\u0000${value}`;
      const l = ns.byLabel.get(pair);
      if (l) l.push(w);
      else ns.byLabel.set(pair, [w]);
    }
    if (uncertain) ns.uncertain.push(w);
  }
  return { byNamespace };
}

/** A workload a selector selects, and how sure that is. */
export interface Selected {
  workload: Workload;
  answer: Tri;
}

/**
 * The workloads a label selector of `owner` (a Service's `spec.selector`, ...) selects in its
 * namespace, each `yes` or unknown (those it surely does not select are left out). An empty or
 * unknown selector, or an unknown namespace, selects nothing here.
 */
export function selectWorkloads(index: WorkloadIndex, owner: K8sObject, selector: Labels): Selected[] {
  if (isUnknown(selector) || selector.size === 0) return [];
  const key = namespaceKey(owner);
  if (key === undefined) return [];
  const ns = index.byNamespace.get(key);
  if (!ns) return [];
  // Candidates: the workloads with the selector's first known label, and those whose labels are uncertain.
  let candidates = ns.all;
  for (const [k, v] of selector) {
    if (isUnknown(v)) continue;
    const sure = ns.byLabel.get(`${k}\u0000${v}`) ?? [];
    candidates = ns.uncertain.length ? [...new Set([...sure, ...ns.uncertain])].sort((a, b) => ns.position.get(a)! - ns.position.get(b)!) : sure;
    break;
  }
  const out: Selected[] = [];
  for (const w of candidates) {
    const a = labelsMatch(selector, w.podLabels);
    if (a !== 'no') out.push({ workload: w, answer: a });
  }
  return out;
}

/**
 * The Services that surely select each workload (selector fully known, every label equal to a known
 * pod label, same namespace). Services without a selector have endpoints managed by hand.
 */
export function servicesByWorkload(index: WorkloadIndex, services: readonly K8sService[]): Map<Workload, K8sService[]> {
  const out = new Map<Workload, K8sService[]>();
  for (const s of services) {
    const sel = s.selector;
    if (!sel.present) continue;
    for (const { workload, answer } of selectWorkloads(index, s, labelsOf(sel))) {
      if (answer !== 'yes') continue;
      const l = out.get(workload);
      if (l) l.push(s);
      else out.set(workload, [s]);
    }
  }
  return out;
}

// ---------------------------------------------------------------- which Fargate profile runs a workload

/** One selector of a Fargate profile. */
export interface FargateSelector {
  /** Profile name (or logical id) for messages. */
  profile: string;
  /** Namespace pattern (`*` and `?` wildcards), or unknown. */
  namespace: string | Unknown;
  /** Required pod labels (a list of `{Key, Value}` or a map), or unknown. */
  labels: Labels;
  /**
   * The folder the profile governs: the folder of the file that defines it (for a CDK assembly,
   * the folder that holds `cdk.out`). Only manifests in it or below it are matched, so unrelated
   * projects linted in one run do not borrow each other's profiles.
   */
  root: string;
  /** The file that defines it. */
  file: SourceFile;
}

/** A workload's Fargate profile: yes (with the selector that matches), no, or unknown. */
export interface FargateMatch {
  answer: Tri;
  /** The matching selector, when the answer is `yes`. */
  selector?: FargateSelector;
}

/** The folder a cluster definition governs (see `FargateSelector.root`). */
export function governedFolder(path: string): string {
  let dir = dirname(path);
  const parts = dir.split(sep);
  const cdk = parts.lastIndexOf('cdk.out');
  if (cdk > 0) dir = parts.slice(0, cdk).join(sep);
  return dir.endsWith(sep) ? dir : dir + sep;
}

/** Required labels from a list of `{Key, Value}` (CloudFormation) or a map (eksctl, CDK). */
function requiredLabels(p: Prop): Labels {
  if (p.absent) return new Map();
  const items = p.list();
  if (!items) return labelsOf(p);
  const out = new Map<string, string | Unknown>();
  for (const i of items) {
    const o = i.obj();
    if (!o) return i.why;
    const key = o.prop('Key');
    const k = key.str();
    if (k === undefined) return key.why;
    const value = o.prop('Value');
    out.set(k, value.str() ?? value.why);
  }
  return out;
}

function readSelectors(profile: string, root: string, file: SourceFile, selectors: Prop | undefined, namespaceKey: string, labelsKey: string, out: FargateSelector[]): void {
  if (!selectors || selectors.absent) return;
  const items = selectors.list();
  if (!items) {
    out.push({ profile, root, file, namespace: selectors.why, labels: selectors.why });
    return;
  }
  for (const item of items) {
    const s = item.obj();
    if (!s) {
      out.push({ profile, root, file, namespace: item.why, labels: item.why });
      continue;
    }
    const ns = s.prop(namespaceKey);
    out.push({ profile, root, file, namespace: ns.str() ?? ns.why, labels: requiredLabels(s.prop(labelsKey)) });
  }
}

/**
 * Every Fargate selector of the run (eksctl `fargateProfiles`, `AWS::EKS::FargateProfile`, CDK's
 * profile resource), in the order of the files that define them (path order), then as written.
 */
export function fargateSelectors(eksctlConfigs: readonly EksctlConfig[], profiles: readonly EksFargateProfile[], fileOrder: (f: SourceFile) => number): FargateSelector[] {
  const out: FargateSelector[] = [];
  for (const cfg of eksctlConfigs) {
    const list = cfg.props.prop('fargateProfiles');
    if (list.absent) continue;
    const root = governedFolder(cfg.file.path);
    const items = list.list();
    if (!items) {
      out.push({ profile: 'unknown', root, file: cfg.file, namespace: list.why, labels: list.why });
      continue;
    }
    for (const p of items) {
      const o = p.obj();
      if (!o) out.push({ profile: 'unknown', root, file: cfg.file, namespace: p.why, labels: p.why });
      else readSelectors(o.prop('name').str() ?? 'unnamed', root, cfg.file, o.prop('selectors'), 'namespace', 'labels', out);
    }
  }
  for (const fp of profiles) {
    const root = governedFolder(fp.file.path);
    const name = fp.profileName.str() ?? fp.label;
    if (!fp.config) out.push({ profile: fp.label, root, file: fp.file, namespace: unknown(`Config of ${fp.label} is not a mapping`), labels: unknown(`Config of ${fp.label} is not a mapping`) });
    else readSelectors(name, root, fp.file, fp.selectors, 'Namespace', 'Labels', out);
  }
  const order = out.map((_, i) => i).sort((a, b) => fileOrder(out[a]!.file) - fileOrder(out[b]!.file) || a - b);
  return order.map((i) => out[i]!);
}

/** Does a Fargate selector of the run (one governing the workload's folder) match the workload's pods? */
export function matchFargate(selectors: readonly FargateSelector[], w: Workload): FargateMatch {
  const path = w.file.path;
  const ns = w.namespace;
  const labels = w.podLabels;
  const answers: Tri[] = [];
  for (const s of selectors) {
    if (!path.startsWith(s.root)) continue;
    if (isUnknown(s.namespace)) {
      answers.push(s.namespace);
      continue;
    }
    if (ns.kind !== 'known') {
      answers.push(isUnknown(ns) ? ns : unknown('the namespace cannot be known'));
      continue;
    }
    if (!wildcardMatch(s.namespace, ns.value, { questionMark: true })) continue;
    const a = labelsMatch(s.labels, labels);
    if (a === 'yes') return { answer: 'yes', selector: s };
    answers.push(a);
  }
  return { answer: any(answers) };
}
