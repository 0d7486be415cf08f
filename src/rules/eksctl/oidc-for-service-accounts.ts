import { defineRule } from '../../engine/rule.js';
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
  check({ model, report }) {
    for (const cfg of model.eksctlConfigs) {
      const iam = cfg.props.obj('iam');
      const cluster = cfg.label;

      const sas = nonEmpty(iam?.prop('serviceAccounts'));
      if (iam && sas) {
        const oidc = iam.prop('withOIDC');
        if (oidc.absent || oidc.bool() === false) {
          report(
            oidc.present ? oidc : sas,
            `eksctl cluster "${cluster}" declares iam.serviceAccounts but ${oidc.present ? 'sets iam.withOIDC: false' : 'does not set iam.withOIDC: true'}, so eksctl creates no IAM OIDC provider and refuses the service accounts (their roles trust that provider); set iam.withOIDC: true, or use iam.podIdentityAssociations instead.`,
            { atKey: !oidc.present },
          );
        }
      }

      // Pod identity associations: the agent must run on the nodes (EKS Auto Mode has it built in).
      const auto = cfg.props.obj('autoModeConfig')?.prop('enabled');
      if (auto && !auto.absent && auto.bool() !== false) continue;
      const addons = cfg.props.prop('addons');
      let users: Prop | undefined = nonEmpty(iam?.prop('podIdentityAssociations'));
      let what = 'iam.podIdentityAssociations';
      const addonItems = addons.absent ? [] : addons.list();
      if (!addonItems) continue; // unknown add-on list
      const names: string[] = [];
      let unknownName = false;
      for (const a of addonItems) {
        const o = a.obj();
        const name = o?.prop('name');
        const n = name?.str();
        if (n === undefined) unknownName = true;
        else names.push(n);
        if (!users && o) {
          const ids = nonEmpty(o.prop('podIdentityAssociations'));
          const useDefault = o.prop('useDefaultPodIdentityAssociations');
          if (ids) {
            users = ids;
            what = `the podIdentityAssociations of add-on "${n ?? '?'}"`;
          } else if (useDefault.bool() === true) {
            users = useDefault;
            what = `useDefaultPodIdentityAssociations of add-on "${n ?? '?'}"`;
          }
        }
      }
      if (!users || unknownName || names.includes(AGENT)) continue;
      report(
        users,
        `eksctl cluster "${cluster}" declares ${what} but not the ${AGENT} add-on, so unless the cluster already has it, no agent on the nodes hands the pods their credentials; add "- name: ${AGENT}" to addons.`,
        { atKey: true },
      );
    }
  },
});
