import { defineRule, key } from '../../engine/rule.js';
import { tri, type Tri } from '../../model/answer.js';
import type { Prop } from '../../model/value.js';

/** Does a security-group list restrict SSH? No when absent or empty. */
function restricts(prop: Prop): Tri {
  if (prop.absent) return 'no';
  const items = prop.list();
  if (!items) return prop.why;
  return tri(items.length > 0);
}

export default defineRule({
  id: 'eks/nodegroup-ssh-open',
  severity: 'error',
  description: 'Node group SSH access must be limited to source security groups.',
  meta: {
    messages: {
      openWithKeyPair: 'Node group "{{nodeGroup}}" allows SSH with key pair "{{keyPair}}" from 0.0.0.0/0; set {{sourceGroups}} to the security groups allowed to connect.',
      open: 'Node group "{{nodeGroup}}" allows SSH ({{sshKey}}) from 0.0.0.0/0; set {{sourceGroups}} to the security groups allowed to connect.',
      eksctlOpen: 'ClusterConfig "{{config}}" node group "{{nodeGroup}}" allows SSH not limited to security groups; set {{sourceGroups}} to those allowed to connect, or use {{ssm}}: true.',
    },
  },
  check({ model, report }) {
    for (const ng of model.eksNodegroups) {
      const ra = ng.remoteAccess;
      if (!ra) continue;
      const sshKey = ra.prop('Ec2SshKey');
      if (!sshKey.surelyPresent) continue;
      if (restricts(ra.prop('SourceSecurityGroups')) !== 'no') continue;
      const data = { nodeGroup: ng.label, sourceGroups: key('RemoteAccess.SourceSecurityGroups') };
      const keyPair = sshKey.str();
      if (keyPair) report(sshKey, 'openWithKeyPair', { ...data, keyPair }, { atKey: true });
      else report(sshKey, 'open', { ...data, sshKey: key('RemoteAccess.Ec2SshKey') }, { atKey: true });
    }
    for (const config of model.eksctlConfigs) {
      for (const ng of [...config.managedNodeGroups, ...config.nodeGroups]) {
        const ssh = ng.ssh.obj();
        if (!ssh) continue;
        const allow = ssh.prop('allow');
        if (allow.present && allow.bool() !== true) continue;
        const keyProp = ['publicKeyName', 'publicKeyPath', 'publicKey'].map((k) => ssh.prop(k)).find((p) => p.present);
        if (!allow.present && !keyProp) continue;
        if (restricts(ssh.prop('sourceSecurityGroupIds')) !== 'no') continue;
        const data = { config: config.label, nodeGroup: ng.label, sourceGroups: key('ssh.sourceSecurityGroupIds'), ssm: key('ssh.enableSsm') };
        report(allow.present ? allow : keyProp!, 'eksctlOpen', data, { atKey: !allow.present });
      }
    }
  },
});
