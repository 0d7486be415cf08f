import { defineRule } from '../../engine/rule.js';
import type { Prop } from '../../model/value.js';
import { eksctlNodeGroups, nodeGroupName } from './lib/cluster.js';

/** A security-group list that restricts SSH: true, false (absent or empty), or undefined (unknown). */
function restricts(prop: Prop): boolean | undefined {
  if (prop.absent) return false;
  const items = prop.list();
  if (!items) return undefined;
  return items.length > 0;
}

export default defineRule({
  id: 'eks/nodegroup-ssh-open',
  severity: 'error',
  description: 'Node group SSH access must be limited to source security groups.',
  check({ model, report }) {
    for (const ng of model.resources('AWS::EKS::Nodegroup')) {
      const ra = ng.props.obj('RemoteAccess');
      if (!ra) continue;
      const key = ra.prop('Ec2SshKey');
      if (!key.surelyPresent) continue;
      if (restricts(ra.prop('SourceSecurityGroups')) !== false) continue;
      report(key, `Node group "${ng.logicalId}" allows SSH with key pair ${key.str() ? `"${key.str()}"` : 'Ec2SshKey'} but sets no RemoteAccess.SourceSecurityGroups, so EKS opens port 22 on its nodes to 0.0.0.0/0; list the security groups allowed to connect in SourceSecurityGroups, or drop RemoteAccess and use SSM Session Manager.`, { atKey: true });
    }
    for (const config of model.eksctlConfigs) {
      const { managed, selfManaged } = eksctlNodeGroups(config);
      for (const ng of [...managed, ...selfManaged]) {
        const sshProp = ng.prop('ssh');
        const ssh = sshProp.obj();
        if (!ssh) continue;
        const allow = ssh.prop('allow');
        if (allow.present && allow.bool() !== true) continue;
        const keyProp = ['publicKeyName', 'publicKeyPath', 'publicKey'].map((k) => ssh.prop(k)).find((p) => p.present);
        if (!allow.present && !keyProp) continue;
        if (restricts(ssh.prop('sourceSecurityGroupIds')) !== false) continue;
        const at = allow.present ? allow : keyProp!;
        report(at, `ClusterConfig "${config.label}" node group "${nodeGroupName(ng)}" allows SSH without ssh.sourceSecurityGroupIds, so port 22 on its nodes is not limited to known security groups (EKS opens it to 0.0.0.0/0 for managed node groups); list the security groups allowed to connect in sourceSecurityGroupIds, or replace SSH with enableSsm: true (SSM Session Manager).`, { atKey: !allow.present });
      }
    }
  },
});
