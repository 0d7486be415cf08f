import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import { clusterTitle } from './lib/cluster.js';

export default defineRule({
  id: 'eks/secrets-encryption',
  severity: 'warning',
  recommended: false,
  description: 'EKS clusters should envelope-encrypt Kubernetes secrets with a customer-managed KMS key.',
  meta: {
    messages: {
      noEncryptionConfig: '{{cluster}} does not encrypt secrets with a KMS key of yours; add {{key}} with {{resources}}: [secrets] and {{keyArn}} set to a customer-managed KMS key.',
      noKeyArn: '{{cluster}} does not encrypt secrets with a KMS key of yours; set {{key}} to a customer-managed KMS key.',
      noSecrets: '{{cluster}} has an {{key}} that does not list secrets; add {{resources}}: [secrets] with {{keyArn}} set to a customer-managed KMS key.',
      secretsWithoutKey: '{{cluster}} lists secrets in {{key}} but names no KMS key; set {{keyArn}} to a customer-managed KMS key.',
    },
  },
  check({ model, report }) {
    for (const c of model.kubernetesClusters()) {
      if (!c.describesCluster || c.onOutpost) continue;
      const enc = c.secretsEncryption();
      if (isUnknown(enc) || enc.encrypted !== 'no') continue;
      const cluster = clusterTitle(c);
      if (c.source === 'eksctl') report(enc.at, 'noKeyArn', { cluster, key: key('secretsEncryption.keyARN') }, { atKey: true });
      else {
        const cfn = c.source === 'cloudformation';
        const keys = { key: key(cfn ? 'EncryptionConfig' : 'encryptionConfig'), resources: key(cfn ? 'Resources' : 'resources'), keyArn: key(cfn ? 'Provider.KeyArn' : 'provider.keyArn') };
        if (enc.why === 'noKey' && enc.item) {
          const provider = enc.item.obj()?.prop(cfn ? 'Provider' : 'provider');
          report(provider?.present ? provider : enc.item, 'secretsWithoutKey', { cluster, ...keys }, { atKey: !!provider?.present });
        } else report(enc.at, enc.why === 'noSecrets' ? 'noSecrets' : 'noEncryptionConfig', { cluster, ...keys }, { atKey: true });
      }
    }
  },
});
