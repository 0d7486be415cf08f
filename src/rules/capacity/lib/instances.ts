import { isUnknown, unknown, UNKNOWN } from '../../../model/answer.js';
import type { Template } from '../../../model/cfn.js';
import {
  AutoScalingGroup,
  CapacityProvider,
  Cluster,
  Ec2Instance,
  LaunchConfiguration,
  LaunchTemplate,
  type InstanceLauncher,
  type Tri,
} from '../../../model/entities.js';
import type { FileView } from '../../../model/model.js';
import type { Prop } from '../../../model/value.js';
import { isMap, isScalar, isSeq, type Node } from '../../../parsers/tree.js';
import { isSpace, isWordChar, matchOffsets, onSameLine } from '../../../parsers/text-scan.js';

/** The ImageId of a launcher, as a property. */
export function imageIdOf(l: InstanceLauncher): Prop | undefined {
  if (l instanceof LaunchTemplate) return l.data?.prop('ImageId');
  if (l instanceof LaunchConfiguration || l instanceof Ec2Instance) return l.props.prop('ImageId');
  return undefined;
}

/** Is the launcher's AMI an ECS-optimized Amazon Linux/Windows AMI from the public SSM parameters? */
export function ecsOptimizedAmi(l: InstanceLauncher): boolean {
  const p = imageIdOf(l);
  const node = p?.node;
  if (!node) return false;
  const t = l.origin.resource?.template;
  const isEcsPath = (s: string) => /^\/aws\/service\/ecs\/optimized-ami\//.test(s);
  if (isScalar(node) && typeof node.value === 'string') {
    const m = /^\{\{resolve:ssm:([^:}]+)/.exec(node.value);
    return !!m && isEcsPath(m[1]!);
  }
  if (isMap(node) && node.soleKey === 'Ref' && t) {
    const name = isScalar(node.get('Ref')) ? String((node.get('Ref') as { value: unknown }).value) : '';
    const params = t.root.get('Parameters');
    const param = isMap(params) ? params.get(name) : undefined;
    if (!isMap(param)) return false;
    const type = param.get('Type');
    const def = param.get('Default');
    return isScalar(type) && /^AWS::SSM::Parameter::Value</.test(String(type.value)) && isScalar(def) && isEcsPath(String(def.value));
  }
  return false;
}

/**
 * The values ECS_CLUSTER is set to in a launcher's boot text (ecs.config lines, cfn-init env/files,
 * Bottlerocket `[settings.ecs] cluster`, `Fn::Join` pieces with `{ Ref: Cluster }`).
 */
export function clusterSettings(model: FileView, l: InstanceLauncher): { values: string[]; complete: boolean; external: boolean; text: string } | undefined {
  const boot = model.bootstrapText(l);
  if (!boot) return undefined;
  const values: string[] = [];
  for (const m of boot.text.matchAll(/ECS_CLUSTER\s*[=:]\s*["']?([^\s"'\\;&|)<>]+)/g)) values.push(m[1]!);
  values.push(...bottlerocketClusters(boot.text));
  values.push(...joinedRefs(l.userData().node, l.origin.resource?.template));
  return { values: values.filter((v) => v !== '${?}'), complete: boot.complete, external: boot.external, text: boot.text };
}

/** `"ECS_CLUSTER=", { "Ref": "Cluster" }` in an `Fn::Join` of user data: `${Cluster}`. */
function joinedRefs(node: Node | undefined, t: Template | undefined, depth = 0): string[] {
  if (!node || !t || depth > 6 || !isMap(node)) return [];
  const fn = node.soleKey;
  const arg = fn ? node.get(fn) : undefined;
  if (fn === 'Fn::Base64') return joinedRefs(arg, t, depth + 1);
  if (fn !== 'Fn::Join' || !isSeq(arg) || !isSeq(arg.items[1])) return [];
  const items = arg.items[1].items;
  const out: string[] = [];
  items.forEach((item, i) => {
    if (isMap(item)) out.push(...joinedRefs(item, t, depth + 1));
    const next = items[i + 1];
    if (isScalar(item) && typeof item.value === 'string' && /ECS_CLUSTER\s*=\s*["']?$/.test(item.value) && isMap(next) && next.soleKey === 'Ref') {
      const name = next.get('Ref');
      if (isScalar(name)) out.push('${' + String(name.value) + '}');
    }
  });
  return out;
}

/** Does one ECS_CLUSTER value name the cluster? */
function settingNames(value: string, cluster: Cluster, t: Template | undefined): Tri {
  const own = cluster.clusterName;
  const sole = /^\$\{([A-Za-z0-9:]+)\}$/.exec(value);
  if (sole) {
    const name = sole[1]!;
    const res = t?.resources.get(name);
    if (res) {
      if (res === cluster.origin.resource) return 'yes';
      return res.type === 'AWS::ECS::Cluster' ? 'no' : unknown('cannot be known from the run');
    }
    // The cluster named from the same parameter.
    if (t && t.parameters.has(name) && cluster.origin.resource?.template === t) {
      const n = own.node;
      if (isMap(n) && n.soleKey === 'Ref' && isScalar(n.get('Ref')) && String((n.get('Ref') as { value: unknown }).value) === name) return 'yes';
    }
    return unknown('cannot be known from the run');
  }
  if (value.includes('${')) {
    // A name built with pseudo parameters compares as text with the cluster's own (`${AWS::StackName}-cluster`).
    const s = own.res.kind === 'literal' ? own.str() : undefined;
    if (s !== undefined && s === value) return 'yes';
    return unknown('cannot be known from the run');
  }
  if (own.absent) return value === 'default' ? unknown('cannot be known from the run') : 'no';
  const s = own.str();
  if (s === undefined) return unknown('cannot be known from the run');
  if (own.res.kind === 'literal' && own.res.pseudo) return s === value ? 'yes' : unknown('cannot be known from the run');
  return s === value ? 'yes' : 'no';
}

/** Signs that the cluster is set in a way the text does not show (a config copied at boot, Windows, Bottlerocket). */
const HIDDEN_SETTING = /settings\.ecs|Initialize-ECSAgent|ecs\.config"?\s*<|\bsource\b/i;
/** A download (`s3 cp`, `curl`, `wget`, `aws ssm`) and `ecs` later on its line. */
const FETCHES = [/\bs3\s+cp\b/gi, /\bcurl\b/gi, /\bwget\b/gi, /\baws\s+ssm\b/gi];
const hiddenSetting = (text: string) =>
  HIDDEN_SETTING.test(text) ||
  onSameLine(
    text,
    FETCHES.flatMap((re) => matchOffsets(text, re, 'end')).sort((a, b) => a - b),
    matchOffsets(text, /ecs/gi, 'start'),
  );

/**
 * Bottlerocket's `[settings.ecs]` section: `cluster = "name"` before the next `[` (the value may hold one).
 * As `/\[settings\.ecs\][^[]*?\bcluster\s*=\s*["']([^"']+)["']/g`, reading each section once.
 */
function bottlerocketClusters(text: string): string[] {
  const out: string[] = [];
  const head = '[settings.ecs]';
  for (let p = text.indexOf(head); p >= 0; ) {
    const start = p + head.length;
    let stop = text.indexOf('[', start);
    if (stop < 0) stop = text.length;
    let resume = p + 1;
    for (let k = text.indexOf('cluster', start); k >= 0 && k < stop; k = text.indexOf('cluster', k + 1)) {
      if (k > 0 && isWordChar(text.charCodeAt(k - 1))) continue;
      let j = k + 7;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      if (text[j] !== '=') continue;
      j++;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      if (text[j] !== '"' && text[j] !== "'") continue;
      let e = j + 1;
      while (e < text.length && text[e] !== '"' && text[e] !== "'") e++;
      if (e === text.length || e === j + 1) continue;
      out.push(text.slice(j + 1, e));
      resume = e + 1;
      break;
    }
    p = text.indexOf(head, resume);
  }
  return out;
}

/**
 * Do a launcher's instances join this cluster? yes / no (they join another cluster or `default`) / unknown.
 * Without user data, 'no' only for an ECS-optimized AMI (its agent joins `default`).
 */
export function joinsCluster(model: FileView, l: InstanceLauncher, cluster: Cluster): Tri {
  const t = l.origin.resource?.template;
  const settings = clusterSettings(model, l);
  // Is the cluster the one named "default"? Unknown when its name is (a parameter may say "default").
  const name = cluster.clusterName;
  const isDefault: Tri = name.absent ? 'no' : name.str() === undefined ? unknown('cannot be known from the run') : name.is('default') ? 'yes' : 'no';
  if (!settings) {
    if (l.userData().unknown) return unknown('cannot be known from the run');
    if (!ecsOptimizedAmi(l)) return unknown('cannot be known from the run');
    return isDefault;
  }
  if (settings.values.length === 0) {
    if (!settings.complete || settings.external || hiddenSetting(settings.text)) return unknown('cannot be known from the run');
    return isDefault;
  }
  const answers = settings.values.map((v) => settingNames(v, cluster, t));
  if (answers.includes('yes')) return 'yes';
  if (answers.some(isUnknown) || settings.external) return unknown('cannot be known from the run');
  return 'no';
}

export interface Hosting {
  asg: AutoScalingGroup;
  provider: CapacityProvider;
  cluster: Cluster;
}

/**
 * Launchers of Auto Scaling groups that back a capacity provider of a known cluster (once per run):
 * launcher → the group, provider and cluster. A provider associated with more than one cluster, or
 * with clusters that cannot be told, is left out.
 */
export function providerHosting(model: FileView): Map<InstanceLauncher, Hosting[]> {
  return model.all.memo('capacity/lib/instances:hosting', () => {
    const out = new Map<InstanceLauncher, Hosting[]>();
    const clustersOf = new Map<CapacityProvider, Cluster[]>();
    for (const cluster of model.all.clusters) {
      const provided = model.all.clusterCapacityProviders(cluster);
      // A capacity provider serves one cluster: a cluster whose providers cannot be told is skipped.
      if (!provided) continue;
      for (const p of provided) {
        const key = model.all.providerKey(p);
        if (!(key instanceof CapacityProvider)) continue;
        const cur = clustersOf.get(key) ?? [];
        if (!cur.includes(cluster)) clustersOf.set(key, [...cur, cluster]);
      }
    }
    for (const cp of model.all.capacityProviders) {
      const clusters = clustersOf.get(cp);
      if (!clusters || clusters.length !== 1) continue;
      const arn = cp.asgProvider.obj()?.prop('AutoScalingGroupArn');
      const asg = arn ? model.all.refTarget(arn, AutoScalingGroup) : undefined;
      if (!(asg instanceof AutoScalingGroup)) continue;
      const l = model.all.launcherOf(asg);
      if (!l) continue;
      out.set(l, [...(out.get(l) ?? []), { asg, provider: cp, cluster: clusters[0]! }]);
    }
    return out;
  });
}

/** Auto Scaling groups that back a capacity provider of the run (once per run). */
export function backingGroups(model: FileView): Set<AutoScalingGroup> {
  return model.all.memo('capacity/lib/instances:backing', () => {
    const out = new Set<AutoScalingGroup>();
    for (const cp of model.all.capacityProviders) {
      const arn = cp.asgProvider.obj()?.prop('AutoScalingGroupArn');
      const asg = arn ? model.all.refTarget(arn, AutoScalingGroup) : undefined;
      if (asg instanceof AutoScalingGroup) out.add(asg);
    }
    return out;
  });
}
