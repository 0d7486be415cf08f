import { defineRule } from '../../engine/rule.js';
import type { Obj } from '../../model/value.js';
import { cfnClusters, declaresCluster } from './lib/cluster.js';

/** Does an EncryptionConfig list cover secrets with a KMS key? undefined when it cannot be known. */
function encryptsSecrets(items: Obj[] | undefined, unknownItems: boolean): boolean | undefined {
  if (!items) return undefined;
  let unknown = unknownItems;
  for (const item of items) {
    const resources = item.prop('Resources').list();
    if (!resources) {
      unknown = true;
      continue;
    }
    const names = resources.map((r) => r.str());
    if (names.includes('secrets')) {
      const key = item.obj('Provider')?.prop('KeyArn');
      if (key?.present) return true;
      if (item.prop('Provider').present && !item.obj('Provider')) unknown = true;
    } else if (names.includes(undefined)) unknown = true;
  }
  return unknown ? undefined : false;
}

export default defineRule({
  id: 'eks/secrets-encryption',
  severity: 'warning',
  recommended: false,
  description: 'EKS clusters should envelope-encrypt Kubernetes secrets with a customer-managed KMS key.',
  check({ model, report }) {
    for (const c of cfnClusters(model)) {
      if (c.config.prop('OutpostConfig').present) continue;
      const enc = c.config.prop('EncryptionConfig');
      if (enc.present) {
        const list = enc.list();
        const items = list?.map((p) => p.obj());
        const ok = encryptsSecrets(items?.filter((o): o is Obj => o !== undefined), !!items?.includes(undefined));
        if (ok !== false) continue;
      }
      report(enc, `EKS cluster "${c.label}" has no EncryptionConfig for "secrets": secrets are encrypted only with an AWS-owned key that you cannot control or audit; add EncryptionConfig with Resources: [secrets] and Provider.KeyArn set to a customer-managed KMS key.`, { atKey: enc.present });
    }
    for (const config of model.eksctlConfigs) {
      if (!declaresCluster(config)) continue;
      // Local clusters on AWS Outposts have their own endpoint and encryption constraints.
      if (config.props.prop('outpost').present) continue;
      const se = config.props.prop('secretsEncryption');
      if (se.present) {
        const o = se.obj();
        if (!o || o.prop('keyARN').present) continue;
      }
      report(se.present ? se : config, `ClusterConfig "${config.label}" sets no secretsEncryption.keyARN: Kubernetes secrets are encrypted only with an AWS-owned key that you cannot control or audit; set secretsEncryption.keyARN to a customer-managed KMS key.`, { atKey: true });
    }
  },
});
