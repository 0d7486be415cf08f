import { any, unknown } from '../../model/answer.js';
import { defineRule } from '../../engine/rule.js';
import { byCodePoint } from '../../parsers/text-scan.js';
import { CapacityProvider, Cluster, type Tri } from '../../model/entities.js';
import type { Prop } from '../../model/value.js';

type Key = string | CapacityProvider;

/** The literal name a provider entity is created with, if known. */
function nameOf(cp: CapacityProvider): string | undefined {
  const n = cp.name;
  return n.res.kind === 'literal' && !n.res.pseudo ? n.str() : undefined;
}

/** Do two provider identities denote the same provider? */
function same(a: Key, b: Key): Tri {
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 'yes' : 'no';
  if (a instanceof CapacityProvider && b instanceof CapacityProvider) {
    if (a === b) return 'yes';
    const na = nameOf(a);
    const nb = nameOf(b);
    return na !== undefined && nb !== undefined ? (na === nb ? 'yes' : 'no') : unknown('cannot be known from the run');
  }
  const entity = (a instanceof CapacityProvider ? a : b) as CapacityProvider;
  const name = (typeof a === 'string' ? a : b) as string;
  // A capacity provider you create cannot be named with the reserved "fargate" prefix.
  if (name === 'FARGATE' || name === 'FARGATE_SPOT') return 'no';
  const own = nameOf(entity);
  return own === undefined ? unknown('cannot be known from the run') : own === name ? 'yes' : 'no';
}

function display(key: Key, prop: Prop): string {
  if (typeof key === 'string') return key;
  return nameOf(key) ?? prop.str() ?? key.label;
}

export default defineRule({
  id: 'capacity/provider-not-associated',
  severity: 'error',
  description: 'A service may only use capacity providers associated with its cluster.',
  check({ model, report }) {
    for (const service of model.services) {
      const items = service.capacityProviderStrategy.list();
      if (!items?.length) continue;
      const cluster = model.clusterOf(service);
      if (!(cluster instanceof Cluster)) continue;
      const provided = model.clusterCapacityProviders(cluster);
      if (!provided) continue;
      const keys: Key[] = [];
      let unknown = false;
      for (const p of provided) {
        const k = model.providerKey(p);
        if (k === undefined) unknown = true;
        else keys.push(k);
      }
      if (unknown) continue;
      for (const item of items) {
        const cp = item.obj()?.prop('CapacityProvider');
        if (!cp) continue;
        const key = model.providerKey(cp);
        if (key === undefined) continue;
        // A Managed Instances provider is created for one cluster (ClusterName); leave it alone.
        if (key instanceof CapacityProvider && key.props.prop('ClusterName').present) continue;
        const answers = keys.map((k) => same(key, k));
        if (any(answers) !== 'no') continue;
        const have = keys.map((k, i) => display(k, provided[i]!)).sort(byCodePoint);
        report(
          cp,
          `Service "${service.label}" uses capacity provider "${display(key, cp)}", which its cluster "${cluster.label}" does not have (${have.length ? `it has ${have.map((h) => `"${h}"`).join(', ')}` : 'it has none'}); add the provider to the cluster's CapacityProviders or an AWS::ECS::ClusterCapacityProviderAssociations, or use one the cluster has.`,
        );
      }
    }
  },
});
