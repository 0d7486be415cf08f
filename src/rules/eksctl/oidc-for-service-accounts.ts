import { defineRule, key } from '../../engine/rule.js';
import { isUnknown } from '../../model/answer.js';
import type { Prop } from '../../model/value.js';

const AGENT = 'eks-pod-identity-agent';

/** A list property with at least one item (undefined when absent, empty or unknown). */
function nonEmpty(p: Prop | undefined): Prop | undefined {
  const items = p?.list();
  return items && items.length > 0 ? p : undefined;
}

export default defineRule({
  id: 'eksctl/oidc-for-service-accounts',
  severity: 'error',
  description: 'IAM service accounts need the cluster\'s OIDC provider; pod identity associations need the agent add-on.',
  meta: {
    messages: {
      noOidc: 'ClusterConfig "{{config}}" declares {{serviceAccounts}} without {{withOIDC}}: true, so eksctl creates no OIDC provider and refuses them; set it, or use {{podIdentity}}.',
      oidcOff: 'ClusterConfig "{{config}}" declares {{serviceAccounts}} but sets {{withOIDC}}: false, so eksctl creates no OIDC provider and refuses them; set it to true, or use {{podIdentity}}.',
      noAgent: 'ClusterConfig "{{config}}" declares {{what}} but no {{agent}} add-on; add "- name: {{agent}}" to {{addons}}.',
    },
  },
  check({ model, report }) {
    for (const cfg of model.eksctlConfigs) {
      const iam = cfg.iam;
      const keys = { serviceAccounts: key('iam.serviceAccounts'), withOIDC: key('iam.withOIDC'), podIdentity: key('iam.podIdentityAssociations') };

      const sas = nonEmpty(iam?.prop('serviceAccounts'));
      if (iam && sas) {
        const oidc = iam.prop('withOIDC');
        if (oidc.absent) report(sas, 'noOidc', { config: cfg.label, ...keys }, { atKey: true });
        else if (oidc.bool() === false) report(oidc, 'oidcOff', { config: cfg.label, ...keys });
      }

      // Pod identity associations: the agent must run on the nodes (EKS Auto Mode has it built in).
      const auto = cfg.autoMode;
      if (auto && !auto.absent && auto.bool() !== false) continue;
      const addons = cfg.addonList();
      if (isUnknown(addons)) continue;
      let users: Prop | undefined = nonEmpty(iam?.prop('podIdentityAssociations'));
      let what = 'iam.podIdentityAssociations';
      let has = false;
      let unknownName = false;
      for (const a of addons) {
        if (isUnknown(a)) {
          unknownName = true;
          continue;
        }
        const n = a.name.str();
        if (n === undefined) unknownName = true;
        else if (n === AGENT) has = true;
        if (users) continue;
        const ids = nonEmpty(a.podIdentityAssociations);
        if (ids) {
          users = ids;
          what = `the podIdentityAssociations of add-on "${n ?? '?'}"`;
        } else if (a.useDefaultPodIdentityAssociations.bool() === true) {
          users = a.useDefaultPodIdentityAssociations;
          what = `useDefaultPodIdentityAssociations of add-on "${n ?? '?'}"`;
        }
      }
      if (!users || unknownName || has) continue;
      report(users, 'noAgent', { config: cfg.label, what, agent: AGENT, addons: key('addons') }, { atKey: true });
    }
  },
});
