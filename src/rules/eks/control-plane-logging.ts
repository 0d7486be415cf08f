import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import { clusterTitle } from './lib/cluster.js';

export default defineRule({
  id: 'eks/control-plane-logging',
  severity: 'warning',
  description: 'EKS clusters should send control plane logs, at least the audit log, to CloudWatch.',
  meta: {
    messages: {
      none: '{{cluster}} sends no control plane logs to CloudWatch, so API calls leave no audit trail; enable at least audit, better all five types, in {{key}}.',
      noAudit: '{{cluster}} sends control plane logs {{types}} but not audit, so API calls leave no audit trail; add audit, better all five types, to {{key}}.',
    },
  },
  check({ model, report }) {
    for (const c of model.kubernetesClusters()) {
      if (!c.describesCluster) continue;
      const logs = c.controlPlaneLogging();
      if (isUnknown(logs) || logs.audit) continue;
      const where = key(c.source === 'cloudformation' ? 'Logging.ClusterLogging.EnabledTypes' : c.source === 'cdk-custom-resource' ? 'logging.clusterLogging' : 'cloudWatch.clusterLogging.enableTypes');
      const cluster = clusterTitle(c);
      if (logs.types.length === 0) report(logs.at, 'none', { cluster, key: where }, { atKey: true });
      else report(logs.at, 'noAudit', { cluster, types: logs.types.join(', '), key: where }, { atKey: true });
    }
  },
});
