import { defineRule } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';
import { cfnClusters, declaresCluster } from './lib/cluster.js';

const ALL = 'api, audit, authenticator, controllerManager, scheduler';

/** The log types a list of Props names; undefined when any cannot be known. */
function known(items: Prop[]): string[] | undefined {
  const out: string[] = [];
  for (const i of items) {
    const s = i.str();
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

export default defineRule({
  id: 'eks/control-plane-logging',
  severity: 'warning',
  description: 'EKS clusters should send control plane logs, at least the audit log, to CloudWatch.',
  check({ model, report }) {
    for (const c of cfnClusters(model)) {
      const logging = c.config.prop('Logging');
      let types: string[] = [];
      let where: Prop = logging;
      if (logging.present) {
        const cl = logging.obj()?.prop('ClusterLogging');
        if (!cl) continue;
        if (c.custom && cl.present) {
          // CreateCluster request shape: clusterLogging: [{ enabled, types: [...] }].
          const entries = cl.list();
          if (!entries) continue;
          let unknown = false;
          for (const e of entries) {
            const o = e.obj();
            const enabled = o?.prop('enabled');
            const t = o?.prop('types').list();
            if (!o || !t || (enabled?.present && enabled.bool() === undefined)) {
              unknown = true;
              continue;
            }
            if (enabled?.bool() === false) continue;
            const k = known(t);
            if (!k) unknown = true;
            else types.push(...k);
          }
          if (unknown) continue;
          where = cl;
        } else if (!c.custom) {
          const clObj = cl.obj();
          if (cl.present && !clObj) continue;
          const et = clObj?.prop('EnabledTypes');
          if (et?.present) {
            const items = et.list();
            if (!items) continue;
            const k: string[] = [];
            let unknown = false;
            for (const i of items) {
              const t = i.obj()?.prop('Type').str();
              if (t === undefined) unknown = true;
              else k.push(t);
            }
            if (unknown) continue;
            types = k;
            where = et;
          } else where = cl.present ? cl : logging;
        }
      }
      const what = c.custom ? 'logging.clusterLogging' : 'Logging.ClusterLogging.EnabledTypes';
      if (types.length === 0) {
        report(where, `EKS cluster "${c.label}" sends no control plane logs to CloudWatch, so API calls to the cluster leave no audit trail; enable at least the audit log, better all five types (${ALL}), in ${what}.`, { atKey: true });
      } else if (!types.includes('audit')) {
        report(where, `EKS cluster "${c.label}" enables control plane logs ${types.map((t) => `"${t}"`).join(', ')} but not "audit", so API calls to the cluster leave no audit trail; add audit (better all five types: ${ALL}) to ${what}.`, { atKey: true });
      }
    }

    for (const config of model.eksctlConfigs) {
      if (!declaresCluster(config)) continue;
      const cw = config.props.prop('cloudWatch');
      const cl = cw.obj()?.prop('clusterLogging');
      const et = cl?.obj()?.prop('enableTypes');
      if (cw.present && !cw.obj()) continue;
      if (cl?.present && !cl.obj()) continue;
      let types: string[] = [];
      if (et?.present) {
        const items = et.list();
        if (!items) continue;
        const k = known(items);
        if (!k) continue;
        types = k;
      }
      if (types.includes('*') || types.includes('all') || types.includes('audit')) continue;
      const where = et?.present ? et : cl?.present ? cl : cw.present ? cw : undefined;
      const msg =
        types.length === 0
          ? `ClusterConfig "${config.label}" sends no control plane logs to CloudWatch, so API calls to the cluster leave no audit trail; set cloudWatch.clusterLogging.enableTypes to at least ["audit"], better ["*"] for all five types (${ALL}).`
          : `ClusterConfig "${config.label}" enables control plane logs ${types.map((t) => `"${t}"`).join(', ')} but not "audit", so API calls to the cluster leave no audit trail; add "audit" to cloudWatch.clusterLogging.enableTypes, better ["*"] for all five types.`;
      report(where ?? config, msg, { atKey: true });
    }
  },
});
