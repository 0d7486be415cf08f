import { defineRule, key } from '../../engine/rule.js';
import { clusterTitle } from './lib/cluster.js';

const ADDON = 'amazon-cloudwatch-observability';

export default defineRule({
  id: 'eks/container-insights',
  severity: 'info',
  recommended: false,
  description: 'EKS clusters should run the Amazon CloudWatch Observability add-on (Container Insights).',
  meta: {
    messages: {
      noAddonResource: '{{cluster}} has no {{addon}} add-on in this run, so Container Insights collects nothing; add an AWS::EKS::Addon with {{key}}: {{addon}}.',
      notListed: '{{cluster}} lists add-ons without {{addon}}, so Container Insights collects nothing; add "- name: {{addon}}" to {{key}}.',
    },
  },
  check({ model, report }) {
    for (const c of model.kubernetesClusters()) {
      if (model.clusterHasAddon(c, ADDON) !== 'no') continue;
      if (c.source === 'eksctl') report(c.addons, 'notListed', { cluster: clusterTitle(c), addon: ADDON, key: key('addons') }, { atKey: true });
      else report(c.anchor, 'noAddonResource', { cluster: clusterTitle(c), addon: ADDON, key: key('AddonName') });
    }
  },
});
