import { defineRule } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';
import { cfnClusters, versionOf } from './lib/cluster.js';
import { standardVersions, supportStatus, todayUtc } from './lib/versions.js';

/** The problem with a version prop, or undefined when it is supported or unknown. */
function problem(prop: Prop, key: string): string | undefined {
  const v = versionOf(prop);
  if (!v) return undefined;
  const today = todayUtc();
  const s = supportStatus(v.major, v.minor, today);
  const current = standardVersions(today);
  const to = current.length ? `set ${key} to a version in standard support (${current.join(', ')})` : `set ${key} to a version in standard support`;
  if (s.status === 'extended')
    return `Kubernetes ${v.text}, which left EKS standard support on ${s.entry.endOfStandardSupport}: extended support costs extra per cluster hour and ends on ${s.entry.endOfExtendedSupport}, when EKS upgrades the control plane itself; ${to} and upgrade node groups and add-ons with it.`;
  if (s.status === 'ended')
    return `Kubernetes ${v.text}, ${s.entry ? `whose EKS extended support ended on ${s.entry.endOfExtendedSupport}` : 'which is past the end of EKS extended support'}: EKS no longer creates clusters on it and upgrades existing control planes automatically; ${to}.`;
  return undefined;
}

export default defineRule({
  id: 'eks/supported-version',
  severity: 'warning',
  description: 'EKS clusters should run a Kubernetes version in standard support.',
  check({ model, report }) {
    for (const c of cfnClusters(model)) {
      const version = c.config.prop('Version');
      const p = problem(version, c.custom ? 'version' : 'Version');
      if (p) report(version, `EKS cluster "${c.label}" runs ${p}`);
    }
    for (const config of model.eksctlConfigs) {
      const version = config.props.obj('metadata')?.prop('version');
      if (!version) continue;
      const p = problem(version, 'metadata.version');
      if (p) report(version, `ClusterConfig "${config.label}" runs ${p}`);
    }
  },
});
