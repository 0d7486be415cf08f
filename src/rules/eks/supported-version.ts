import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import { clusterTitle } from './lib/cluster.js';
import { standardVersions, supportStatus, todayUtc } from './lib/versions.js';

export default defineRule({
  id: 'eks/supported-version',
  severity: 'warning',
  description: 'EKS clusters should run a Kubernetes version in standard support.',
  meta: {
    messages: {
      extended: '{{cluster}} runs Kubernetes {{version}}, in paid EKS extended support since {{endOfStandard}} and until {{endOfExtended}}; set {{key}} to a version in standard support ({{supported}}).',
      ended: '{{cluster}} runs Kubernetes {{version}}, whose EKS extended support ended on {{endOfExtended}}; set {{key}} to a version in standard support ({{supported}}).',
      beforeCalendar: '{{cluster}} runs Kubernetes {{version}}, past the end of EKS extended support; set {{key}} to a version in standard support ({{supported}}).',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowExtendedSupport: { type: 'boolean', description: 'Accept versions in EKS extended support; report only versions past its end.' },
      },
    },
  },
  defaultOptions: { allowExtendedSupport: false },
  check({ model, report, options }) {
    const today = todayUtc();
    const current = standardVersions(today);
    const supported = current.length ? current.join(', ') : 'see the EKS release calendar';
    for (const c of model.kubernetesClusters()) {
      const v = c.kubernetesVersion();
      if (v.kind !== 'known' || !c.version) continue;
      const s = supportStatus(v.value.major, v.value.minor, today);
      const data = {
        cluster: clusterTitle(c),
        version: v.value.text,
        key: key(c.source === 'cloudformation' ? 'Version' : c.source === 'cdk-custom-resource' ? 'version' : 'metadata.version'),
        supported,
      };
      if (isUnknown(s)) continue;
      if (s.status === 'extended') {
        if (options.allowExtendedSupport) continue;
        report(c.version, 'extended', { ...data, endOfStandard: s.entry.endOfStandardSupport, endOfExtended: s.entry.endOfExtendedSupport });
      } else if (s.status === 'ended') {
        if (s.entry) report(c.version, 'ended', { ...data, endOfExtended: s.entry.endOfExtendedSupport });
        else report(c.version, 'beforeCalendar', data);
      }
    }
  },
});
