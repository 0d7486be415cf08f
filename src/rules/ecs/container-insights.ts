import { defineRule } from '../../engine/rule.js';

export default defineRule({
  id: 'ecs/container-insights',
  severity: 'info',
  recommended: false,
  description: 'Clusters should enable Container Insights.',
  check({ model, report }) {
    for (const cluster of model.clusters) {
      const settings = cluster.props.prop('ClusterSettings');
      let off: typeof settings | undefined;
      if (settings.present) {
        const items = settings.list();
        if (!items) continue;
        let judged = true;
        let on = false;
        for (const item of items) {
          const o = item.obj();
          const name = o?.prop('Name');
          if (!o || !name?.known) {
            judged = false;
            continue;
          }
          if (!name.is('containerInsights')) continue;
          const value = o.prop('Value');
          if (value.isCI('enabled', 'enhanced')) on = true;
          else if (value.isCI('disabled')) off = value;
          else judged = false;
        }
        if (on || !judged) continue;
      }
      if (off) {
        report(
          off,
          `Cluster "${cluster.label}" turns Container Insights off (containerInsights: "${off.str() ?? ''}"), so CloudWatch gets only the service-level CPU and memory utilization, without the per-task CPU, memory, network, storage and deployment metrics of Container Insights; set the containerInsights cluster setting to enabled (or enhanced).`,
        );
      } else {
        report(
          cluster,
          `Cluster "${cluster.label}" does not turn on Container Insights, so unless the account default enables it CloudWatch gets only the service-level CPU and memory utilization, without the per-task CPU, memory, network, storage and deployment metrics of Container Insights; add ClusterSettings with Name containerInsights and Value enabled (or enhanced).`,
        );
      }
    }
  },
});
