import { defineRule, key } from '../../engine/rule.js';
import { some, tri, type Tri } from '../../model/answer.js';
import type { Prop } from '../../model/value.js';

/** Does one ClusterSettings item turn Container Insights on: yes, no (another setting, or off), or unknown? */
function turnsOn(item: Prop): Tri {
  const o = item.obj();
  if (!o) return item.why;
  const name = o.prop('Name');
  if (!name.known) return name.why;
  if (!name.is('containerInsights')) return 'no';
  const value = o.prop('Value');
  if (value.isCI('enabled', 'enhanced', 'disabled')) return tri(!value.isCI('disabled'));
  return value.why;
}

export default defineRule({
  id: 'ecs/container-insights',
  severity: 'info',
  recommended: false,
  description: 'Clusters should enable Container Insights.',
  meta: {
    messages: {
      off: 'Cluster "{{cluster}}" turns Container Insights off (containerInsights: "{{value}}"), so CloudWatch lacks per-task CPU, memory, network and storage metrics; set it to enabled or enhanced.',
      notOn: 'Cluster "{{cluster}}" does not turn on Container Insights, so unless the account default does, CloudWatch lacks per-task metrics; add {{key}} with containerInsights enabled.',
    },
  },
  check({ model, report }) {
    for (const cluster of model.clusters) {
      const settings = cluster.props.prop('ClusterSettings');
      let off: Prop | undefined;
      if (settings.present) {
        const items = settings.list();
        if (!items) continue;
        // On, or a setting that cannot be read: not judged.
        if (some(items, turnsOn) !== 'no') continue;
        for (const i of items) if (i.obj()?.prop('Name').is('containerInsights')) off = i.obj()!.prop('Value');
      }
      if (off) report(off, 'off', { cluster: cluster.label, value: off.str()! });
      else report(cluster, 'notOn', { cluster: cluster.label, key: key('ClusterSettings') });
    }
  },
});
