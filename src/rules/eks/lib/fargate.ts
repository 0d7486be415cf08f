import { isUnknown, UNKNOWN, type Unknown } from '../../../model/answer.js';
/**
 * Which EKS Fargate profile runs a Kubernetes workload: profiles from eksctl `ClusterConfig`
 * (`fargateProfiles[].selectors[]`), CloudFormation `AWS::EKS::FargateProfile` and CDK's
 * `Custom::AWSCDK-EKS-FargateProfile`, matched against the workloads' namespaces and pod labels.
 * Indexes are built once per run (`model.all.memo`).
 */
import { dirname, sep } from 'node:path';
import type { K8sObject, Tri, Workload } from '../../../model/entities.js';
import type { FileView, Model } from '../../../model/model.js';
import type { Obj, Prop } from '../../../model/value.js';
import { wildcardMatch } from '../../../engine/glob.js';
import { byCodePoint } from '../../../parsers/text-scan.js';

/** One selector of a Fargate profile; `undefined` parts are unknown. */
export interface FargateSelector {
  /** Profile name (or logical id) for messages. */
  profile: string;
  /** Namespace pattern (`*` and `?` wildcards); undefined when unknown. */
  namespace: string | undefined;
  /** Required pod labels; undefined when unknown (a value is undefined when that value is unknown). */
  labels: Array<{ key: string; value: string | undefined }> | undefined;
  /**
   * The folder the profile governs: the folder of the file that defines it (for a CDK assembly,
   * the folder that holds `cdk.out`). Only manifests in it or below it are matched, so unrelated
   * projects linted in one run do not borrow each other's profiles.
   */
  root: string;
}

/** The folder a cluster definition governs (see `FargateSelector.root`). */
export function governedFolder(path: string): string {
  let dir = dirname(path);
  const parts = dir.split(sep);
  const cdk = parts.lastIndexOf('cdk.out');
  if (cdk > 0) dir = parts.slice(0, cdk).join(sep);
  return dir.endsWith(sep) ? dir : dir + sep;
}

export interface FargateMatch {
  answer: Tri;
  /** The matching selector, when the answer is 'yes'. */
  selector?: FargateSelector;
}

// ------------------------------------------------------------------ Kubernetes helpers

/** A pod's labels: known labels by key (a value is undefined when unknown), or 'unknown'. */
export type Labels = Map<string, string | undefined> | Unknown;

/** Labels of a map property (`metadata.labels`, `spec.selector`); absent → empty; not a map → 'unknown'. */
export function labelsOf(p: Prop | undefined): Labels {
  if (!p || p.absent) return new Map();
  const o = p.obj();
  if (!o) return p.why;
  const out = new Map<string, string | undefined>();
  for (const k of o.keys()) out.set(k, o.prop(k).str());
  return out;
}

/** The namespace an object is applied to: its own, `default` when absent, unknown for Helm output (the release namespace). */
export function namespaceOf(o: K8sObject): string | undefined {
  const ns = o.metadata?.prop('namespace');
  if (!ns || ns.absent) return o.origin.helmSource ? undefined : 'default';
  return ns.str();
}

/** The labels of the pods a workload creates. */
export function podLabels(w: Workload): Labels {
  const meta = w.objectKind === 'Pod' ? w.metadata : w.podTemplateMetadata;
  if (!meta) return w.objectKind === 'Pod' ? new Map() : UNKNOWN;
  return labelsOf(meta.prop('labels'));
}

/** Do the pod labels carry every required label? */
export function labelsMatch(required: Array<{ key: string; value: string | undefined }>, labels: Labels): Tri {
  if (required.length === 0) return 'yes';
  if (isUnknown(labels)) return UNKNOWN;
  let answer: Tri = 'yes';
  for (const { key, value } of required) {
    if (!labels.has(key)) return 'no';
    const have = labels.get(key);
    if (value === undefined || have === undefined) answer = UNKNOWN;
    else if (have !== value) return 'no';
  }
  return answer;
}

/** A Fargate namespace pattern (`*`, `?`) against a namespace. */
export function namespaceMatches(pattern: string, ns: string): boolean {
  return wildcardMatch(pattern, ns, { questionMark: true });
}

// ------------------------------------------------------------------ profiles of the run

/** Required labels from a list of `{Key, Value}` (CloudFormation) or a map (eksctl, CDK). */
function selectorLabels(p: Prop): FargateSelector['labels'] {
  if (p.absent) return [];
  const items = p.list();
  if (items) {
    const out: Array<{ key: string; value: string | undefined }> = [];
    for (const i of items) {
      const o = i.obj();
      const key = o?.prop('Key').str();
      if (!o || key === undefined) return undefined;
      out.push({ key, value: o.prop('Value').str() });
    }
    return out;
  }
  const m = labelsOf(p);
  if (isUnknown(m)) return undefined;
  return [...m].map(([key, value]) => ({ key, value }));
}

function selectorsOf(profile: string, root: string, selectors: Prop, out: FargateSelector[]): void {
  if (selectors.absent) return;
  const items = selectors.list();
  if (!items) {
    out.push({ profile, root, namespace: undefined, labels: undefined });
    return;
  }
  for (const item of items) {
    const s = item.obj();
    if (!s) {
      out.push({ profile, root, namespace: undefined, labels: undefined });
      continue;
    }
    out.push({ profile, root, namespace: s.prop('Namespace').str(), labels: selectorLabels(s.prop('Labels')) });
  }
}

/**
 * Every Fargate selector of the run, by the path of the file that defines it (then as written), so the
 * profile a message names does not depend on the order the files were given in.
 */
export function fargateSelectors(model: FileView | Model): FargateSelector[] {
  return model.all.memo('eks/fargate-selectors', () => {
    const all = model.all;
    const out: FargateSelector[] = [];
    const files: string[] = [];
    const from = (path: string) => {
      while (files.length < out.length) files.push(path);
    };
    for (const cfg of all.eksctlConfigs) {
      const profiles = cfg.props.prop('fargateProfiles');
      if (profiles.absent) continue;
      const root = governedFolder(cfg.file.path);
      const items = profiles.list();
      if (!items) {
        out.push({ profile: 'unknown', root, namespace: undefined, labels: undefined });
        from(cfg.file.path);
        continue;
      }
      for (const p of items) {
        const o = p.obj();
        if (!o) {
          out.push({ profile: 'unknown', root, namespace: undefined, labels: undefined });
          continue;
        }
        selectorsOf(o.prop('name').str() ?? 'unnamed', root, o.prop('selectors'), out);
      }
      from(cfg.file.path);
    }
    for (const r of all.resources('AWS::EKS::FargateProfile')) {
      selectorsOf(r.props.prop('FargateProfileName').str() ?? r.logicalId, governedFolder(r.template.file.path), r.props.prop('Selectors'), out);
      from(r.template.file.path);
    }
    for (const r of all.resources('Custom::AWSCDK-EKS-FargateProfile')) {
      const root = governedFolder(r.template.file.path);
      const config: Obj | undefined = r.props.obj('Config');
      if (!config) out.push({ profile: r.logicalId, root, namespace: undefined, labels: undefined });
      else selectorsOf(config.prop('fargateProfileName').str() ?? r.logicalId, root, config.prop('selectors'), out);
      from(r.template.file.path);
    }
    const order = out.map((_, i) => i).sort((a, b) => byCodePoint(files[a]!, files[b]!) || a - b);
    return order.map((i) => out[i]!);
  });
}

/** Does a Fargate profile of the run match the workload's pods? Memoized per workload. */
export function fargateProfileOf(model: FileView, w: Workload): FargateMatch {
  return model.all.memo('eks/fargate-profile-of', () => new Map<Workload, FargateMatch>(), (m) => {
    let v = m.get(w);
    if (!v) {
      v = matchWorkload(fargateSelectors(model), w);
      m.set(w, v);
    }
    return v;
  });
}

function matchWorkload(selectors: FargateSelector[], w: Workload): FargateMatch {
  const path = w.file.path;
  const mine = selectors.filter((s) => path.startsWith(s.root));
  if (mine.length === 0) return { answer: 'no' };
  const ns = namespaceOf(w);
  const labels = podLabels(w);
  let unknown = false;
  for (const s of mine) {
    if (s.namespace === undefined || ns === undefined) {
      unknown = true;
      continue;
    }
    if (!namespaceMatches(s.namespace, ns)) continue;
    if (s.labels === undefined) {
      unknown = true;
      continue;
    }
    const l = labelsMatch(s.labels, labels);
    if (l === 'yes') return { answer: 'yes', selector: s };
    if (isUnknown(l)) unknown = true;
  }
  return { answer: unknown ? UNKNOWN : 'no' };
}

/** How a message names the selector that matched. */
export function describeSelector(s: FargateSelector): string {
  const labels = s.labels?.length ? ` and labels ${s.labels.map((l) => `${l.key}=${l.value}`).join(', ')}` : '';
  return `Fargate profile "${s.profile}" (namespace "${s.namespace}"${labels})`;
}

// ------------------------------------------------------------------ Kubernetes indexes of the run

/** Kubernetes objects of the run by kind, then `namespace/name` (cluster-scoped: `name`). */
export function k8sIndex(model: FileView): Map<string, Map<string, K8sObject[]>> {
  return model.all.memo('eks/k8s-index', () => {
    const out = new Map<string, Map<string, K8sObject[]>>();
    for (const o of model.all.k8sObjects) {
      const name = o.metadata?.prop('name').str();
      if (name === undefined) continue;
      const byName = out.get(o.objectKind) ?? new Map<string, K8sObject[]>();
      out.set(o.objectKind, byName);
      const ns = o.metadata?.prop('namespace');
      const keys = [name];
      if (ns && ns.present) {
        const n = ns.str();
        if (n !== undefined) keys.push(`${n}/${name}`);
      } else keys.push(`default/${name}`);
      for (const k of keys) {
        const l = byName.get(k) ?? [];
        l.push(o);
        byName.set(k, l);
      }
    }
    return out;
  });
}

/** The single object of a kind with that name (namespaced when `ns` is given), or undefined. */
export function findK8s(model: FileView, kind: string, name: string, ns?: string): K8sObject | undefined {
  const hits = k8sIndex(model).get(kind)?.get(ns !== undefined ? `${ns}/${name}` : name);
  return hits && hits.length === 1 ? hits[0] : undefined;
}

/** Workloads of the run whose pods a label selector selects, with the answer for each (namespace known). */
export function selectedWorkloads(model: FileView, ns: string, selector: Map<string, string | undefined>): Array<{ w: Workload; answer: Tri }> {
  const byNs = model.all.memo('eks/workloads-by-namespace', () => {
    const m = new Map<string, Workload[]>();
    for (const w of model.all.workloads) {
      const n = namespaceOf(w);
      if (n === undefined) continue;
      const l = m.get(n) ?? [];
      l.push(w);
      m.set(n, l);
    }
    return m;
  });
  const required = [...selector].map(([key, value]) => ({ key, value }));
  const out: Array<{ w: Workload; answer: Tri }> = [];
  if (required.length === 0) return out;
  for (const w of byNs.get(ns) ?? []) {
    const a = labelsMatch(required, podLabels(w));
    if (a !== 'no') out.push({ w, answer: a });
  }
  return out;
}
