/**
 * Kubernetes storage on EKS: StorageClasses, PersistentVolumes and claims, and how a claim
 * resolves to the storage behind it across the files of a run. Shared by the eks/ storage rules,
 * and the one place they read storage objects from (through `K8sObject.props`).
 */
import type { Target } from '../../../engine/rule.js';
import { isUnknown, unknown, type Unknown } from '../../../model/answer.js';
import { Workload, type K8sObject } from '../../../model/entities.js';
import type { FileView, Model } from '../../../model/model.js';
import { Prop, type Obj } from '../../../model/value.js';

/** The storage a provisioner or CSI driver stands for. */
export type Backend = 'ebs' | 'ebs-in-tree' | 'efs' | 'fsx-lustre' | 'fsx-openzfs' | 'ontap' | 's3';

export const IN_TREE_EBS = 'kubernetes.io/aws-ebs';
export const EBS_CSI = 'ebs.csi.aws.com';

const BACKENDS: Record<string, Backend> = {
  [EBS_CSI]: 'ebs',
  [IN_TREE_EBS]: 'ebs-in-tree',
  'efs.csi.aws.com': 'efs',
  'fsx.csi.aws.com': 'fsx-lustre',
  'fsx.openzfs.csi.aws.com': 'fsx-openzfs',
  'csi.trident.netapp.io': 'ontap',
  's3.csi.aws.com': 's3',
};

export function backendOf(provisioner: string | undefined): Backend | undefined {
  return provisioner === undefined ? undefined : BACKENDS[provisioner];
}

export function isEbs(b: Backend | undefined): b is 'ebs' | 'ebs-in-tree' {
  return b === 'ebs' || b === 'ebs-in-tree';
}

/** Backends whose volumes many nodes can mount read-write at once (ONTAP depends on its backend: not listed). */
export function isSharedFileBackend(b: Backend | undefined): boolean {
  return b === 'efs' || b === 'fsx-lustre' || b === 'fsx-openzfs' || b === 's3';
}

export const BACKEND_NAME: Record<Backend, string> = {
  ebs: 'EBS',
  'ebs-in-tree': 'EBS (in-tree)',
  efs: 'EFS',
  'fsx-lustre': 'FSx for Lustre',
  'fsx-openzfs': 'FSx for OpenZFS',
  ontap: 'FSx for NetApp ONTAP',
  s3: 'Mountpoint for Amazon S3',
};

// ---------------------------------------------------------------- StorageClasses

export function isStorageClass(o: K8sObject): boolean {
  return o.objectKind === 'StorageClass' && /^storage\.k8s\.io\//.test(o.props.prop('apiVersion').str() ?? '');
}

/** The StorageClasses of the file being checked. */
export function fileStorageClasses(model: FileView): K8sObject[] {
  return model.k8sObjects.filter(isStorageClass);
}

export function provisioner(sc: K8sObject): Prop {
  return sc.props.prop('provisioner');
}

export function classBackend(sc: K8sObject): Backend | undefined {
  return backendOf(provisioner(sc).str());
}

/** The class's `parameters` map, when present and a mapping. */
export function parameters(sc: K8sObject): Obj | undefined {
  return sc.props.obj('parameters');
}

/**
 * A parameter of a class (keys looked up ignoring case, as the EBS CSI driver reads them): absent
 * when the class has no `parameters`; unknown when `parameters` is not a known mapping.
 */
export function parameter(sc: K8sObject, name: string): Prop | Unknown {
  const params = sc.props.prop('parameters');
  if (params.absent) return new Prop(sc.props, name, undefined, undefined); // absent: the class has no parameters
  return params.obj()?.prop(name) ?? params.why;
}

/** Every parameter of a class as written, in order (empty without a `parameters` mapping). */
export function parameterEntries(sc: K8sObject): Prop[] {
  return parameters(sc)?.entries() ?? [];
}

/** Where to report something a class (or its parameters) lacks: the `parameters` key, else the class name. */
export function missingAt(sc: K8sObject): Target {
  const params = sc.props.prop('parameters');
  return params.key ?? sc.anchor;
}

/** The class's `volumeBindingMode`. */
export function volumeBindingMode(sc: K8sObject): Prop {
  return sc.props.prop('volumeBindingMode');
}

/** Name of a class for messages. */
export function className(sc: K8sObject): string {
  return sc.metadata?.prop('name').str() ?? sc.label;
}

// ---------------------------------------------------------------- run-wide index

interface StorageIndex {
  classesByName: Map<string, K8sObject[]>;
  /** Classes annotated as the default class. */
  defaults: K8sObject[];
  /** Some class's default-class annotation is unknown: the default cannot be known. */
  defaultUnknown: boolean;
  pvsByName: Map<string, K8sObject[]>;
  /** Classes named by some PersistentVolume's spec.storageClassName (static binding). */
  pvClassNames: Set<string>;
  claimsByName: Map<string, K8sObject[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export function storageIndex(all: Model): StorageIndex {
  return all.memo('eks/lib/storage:index', () => {
    const idx: StorageIndex = { classesByName: new Map(), defaults: [], defaultUnknown: false, pvsByName: new Map(), pvClassNames: new Set(), claimsByName: new Map() };
    for (const o of all.k8sObjects) {
      const name = o.metadata?.prop('name').str();
      if (isStorageClass(o)) {
        if (name !== undefined) push(idx.classesByName, name, o);
        for (const a of DEFAULT_ANNOTATIONS) {
          const ann = o.annotation(a);
          if (!ann?.present) continue;
          if (ann.unknown) idx.defaultUnknown = true;
          else if (ann.str() === 'true') idx.defaults.push(o);
        }
      } else if (o.objectKind === 'PersistentVolume') {
        if (name !== undefined) push(idx.pvsByName, name, o);
        const cls = o.props.obj('spec')?.prop('storageClassName').str();
        if (cls) idx.pvClassNames.add(cls);
      } else if (o.objectKind === 'PersistentVolumeClaim') {
        if (name !== undefined) push(idx.claimsByName, name, o);
      }
    }
    return idx;
  });
}

// ---------------------------------------------------------------- PersistentVolumes

/** The PersistentVolumes of the file being checked. */
export function filePersistentVolumes(model: FileView): K8sObject[] {
  return model.k8sObjects.filter((o) => o.objectKind === 'PersistentVolume');
}

/** A PersistentVolume's `spec`, when a known mapping. */
export function pvSpec(pv: K8sObject): Obj | undefined {
  return pv.props.obj('spec');
}

/** A PersistentVolume's in-tree `spec.awsElasticBlockStore` source, when present. */
export function inTreeEbsSource(pv: K8sObject): Prop | undefined {
  const src = pvSpec(pv)?.prop('awsElasticBlockStore');
  return src?.present ? src : undefined;
}

/** A workload's pod volumes that use the in-tree `awsElasticBlockStore` source: the volume's name and the source. */
export function inTreeEbsVolumes(w: Workload): { name: string; source: Prop }[] {
  const out: { name: string; source: Prop }[] = [];
  for (const v of w.podSpec?.prop('volumes').objects() ?? []) {
    const source = v.prop('awsElasticBlockStore');
    if (source.present) out.push({ name: v.prop('name').str() ?? '?', source });
  }
  return out;
}

/** The storage behind a PersistentVolume: its CSI driver, or the in-tree EBS source. */
export function pvBackend(pv: K8sObject): Backend | undefined {
  const spec = pv.props.obj('spec');
  if (!spec) return undefined;
  if (spec.prop('awsElasticBlockStore').present) return 'ebs-in-tree';
  const csi = spec.obj('csi');
  const backend = backendOf(csi?.prop('driver').str());
  if (backend === 'ebs') {
    // Node-local volumes (`local-ebs://dev/xvdbz`): a device pre-attached to every node, mountable on all of them.
    const handle = csi?.prop('volumeHandle').str();
    if (handle === undefined || handle.startsWith('local-ebs://')) return undefined;
  }
  return backend;
}

// ---------------------------------------------------------------- claims

/** A PersistentVolumeClaim object, or a StatefulSet's volumeClaimTemplate. */
export interface Claim {
  /** The object reported on (the claim, or the StatefulSet). */
  owner: K8sObject;
  spec: Obj;
  name: string;
  /** `PersistentVolumeClaim "data"` or `StatefulSet "db" claim template "data"`. */
  label: string;
  /** Where a finding about the claim as a whole belongs: its name. */
  anchor: Target;
}

/** The claims of the file being checked. */
export function fileClaims(model: FileView): Claim[] {
  const out: Claim[] = [];
  for (const o of model.k8sObjects) {
    if (o.objectKind === 'PersistentVolumeClaim') {
      const spec = o.props.obj('spec');
      const name = o.metadata?.prop('name').str() ?? o.label;
      if (spec) out.push({ owner: o, spec, name, label: `PersistentVolumeClaim "${name}"`, anchor: o.anchor });
    } else if (o instanceof Workload && o.objectKind === 'StatefulSet') {
      for (const t of o.props.obj('spec')?.prop('volumeClaimTemplates').objects() ?? []) {
        const spec = t.obj('spec');
        const nameProp = t.obj('metadata')?.prop('name');
        const name = nameProp?.str() ?? 'unnamed';
        if (spec) out.push({ owner: o, spec, name, label: `StatefulSet "${o.label}" claim template "${name}"`, anchor: nameProp?.node ?? t.anchor });
      }
    }
  }
  return out;
}

/** What a claim is backed by, when the run tells. */
export type ClaimStorage =
  | { via: 'class'; sc: K8sObject; backend: Backend | undefined; /** the class came from the default-class annotation */ byDefault: boolean }
  | { via: 'pv'; pv: K8sObject; backend: Backend | undefined };

/** How many objects of the run carry a name: none, one, or several (then which one cannot be known). */
function one<T>(found: T[] | undefined, what: string): T | Unknown {
  if (found?.length === 1) return found[0]!;
  return unknown(found && found.length > 1 ? `${found.length} objects of the run are ${what}` : `no object of the run is ${what}`);
}

/**
 * The storage a claim gets: the PersistentVolume it names (`volumeName`), else the StorageClass it names
 * (`storageClassName`), else the run's one default class. Unknown when that cannot be told: a placeholder,
 * a name no object of the run has (or several objects have), no single default class, or `storageClassName: ""`
 * without a volume (bound by a controller outside the run).
 */
export function claimStorage(all: Model, spec: Obj): ClaimStorage | Unknown {
  const idx = storageIndex(all);
  const volumeName = spec.prop('volumeName');
  if (volumeName.present) {
    const n = volumeName.str();
    if (n === undefined) return volumeName.why;
    const pv = one(idx.pvsByName.get(n), `PersistentVolume "${n}"`);
    return isUnknown(pv) ? pv : { via: 'pv', pv, backend: pvBackend(pv) };
  }
  const cls = spec.prop('storageClassName');
  if (cls.present) {
    const n = cls.str();
    if (n === undefined) return cls.why;
    if (n === '') return unknown('storageClassName is "" and no volumeName binds the claim');
    const sc = one(idx.classesByName.get(n), `StorageClass "${n}"`);
    return isUnknown(sc) ? sc : { via: 'class', sc, backend: classBackend(sc), byDefault: false };
  }
  if (idx.defaultUnknown) return unknown('a default-class annotation of the run cannot be known');
  const sc = one(idx.defaults, 'the default StorageClass');
  return isUnknown(sc) ? sc : { via: 'class', sc, backend: classBackend(sc), byDefault: true };
}

/** One access mode a claim or volume asks for, and where it is written. */
export interface AccessMode {
  mode: string;
  prop: Prop;
}

/** The access modes of a claim or volume spec; unknown when the list or an item is. */
export function accessModes(spec: Obj): AccessMode[] | Unknown {
  const modes = spec.prop('accessModes');
  const list = modes.list();
  if (!list) return modes.why;
  const out: AccessMode[] = [];
  for (const p of list) {
    const s = p.str();
    if (s === undefined) return p.why;
    out.push({ mode: s, prop: p });
  }
  return out;
}

/** A claim's or volume's `volumeMode` (`Filesystem` by default, or `Block`). */
export function volumeMode(spec: Obj): Prop {
  return spec.prop('volumeMode');
}

/** A pod volume that mounts a claim (`persistentVolumeClaim.claimName`) with known volume and claim names. */
export interface ClaimVolume {
  /** The pod volume's name. */
  name: string;
  claimName: Prop;
  /** The claim's name. */
  claim: string;
  /** `persistentVolumeClaim.readOnly`. */
  readOnly: Prop;
}

/** The workload's pod volumes that mount a claim (volumes whose names cannot be known are left out). */
export function claimVolumes(w: Workload): ClaimVolume[] {
  const out: ClaimVolume[] = [];
  for (const v of w.podSpec?.prop('volumes').objects() ?? []) {
    const pvc = v.obj('persistentVolumeClaim');
    const claimName = pvc?.prop('claimName');
    const claim = claimName?.str();
    const name = v.prop('name').str();
    if (!pvc || !claimName || claim === undefined || name === undefined) continue;
    out.push({ name, claimName, claim, readOnly: pvc.prop('readOnly') });
  }
  return out;
}

/**
 * The claim named by a workload's pod, matched by name and a namespace that does not disagree:
 * undefined when none, unknown when several match.
 */
export function claimNamed(all: Model, workload: K8sObject, name: string): K8sObject | Unknown | undefined {
  const candidates = storageIndex(all).claimsByName.get(name) ?? [];
  const ns = workload.metadata?.prop('namespace');
  const wns = ns?.present ? ns.str() : undefined;
  const matching = candidates.filter((c) => {
    const cp = c.metadata?.prop('namespace');
    const cns = cp?.present ? cp.str() : undefined;
    if (ns?.present && ns.unknown) return true;
    if (cp?.present && cp.unknown) return true;
    return wns === undefined || cns === undefined || wns === cns;
  });
  if (matching.length === 0) return undefined;
  return matching.length === 1 ? matching[0] : unknown(`${matching.length} PersistentVolumeClaims of the run are named "${name}"`);
}

/** The `spec` of a claim object, when a known mapping. */
export function claimSpec(claim: K8sObject): Obj | undefined {
  return claim.props.obj('spec');
}
