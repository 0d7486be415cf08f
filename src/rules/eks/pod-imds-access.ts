import { defineRule, key } from '../../engine/rule.js';
import { LaunchTemplate } from '../../model/entities.js';

export default defineRule({
  id: 'eks/pod-imds-access',
  severity: 'warning',
  description: 'Pods should not reach the node\'s instance metadata and role.',
  meta: {
    messages: {
      eksctlNodeGroup: 'Node group "{{nodeGroup}}" of eksctl cluster "{{cluster}}" lets pods reach the node role\'s credentials (hop limit 2): set {{key}} to true and give pods their own roles.',
      hopLimit: 'Launch template "{{launchTemplate}}" of node group "{{nodeGroup}}" sets {{key}} to {{hops}}, so pods can use the node role: set it to 1.',
      imdsV1: 'Launch template "{{launchTemplate}}" of node group "{{nodeGroup}}" allows IMDSv1 ({{key}}: optional), so pods can use the node role: set {{key}} to required.',
      hostNetwork: '{{workload}} uses {{key}}: true, so its pods reach the node role\'s credentials whatever the hop limit: remove it unless this is a node agent.',
    },
  },
  check({ model, report }) {
    // eksctl node groups: eksctl's launch templates set a metadata hop limit of 2.
    for (const cfg of model.eksctlConfigs) {
      for (const group of ['nodeGroups', 'managedNodeGroups']) {
        for (const ng of cfg.props.prop(group).objects()) {
          if (ng.prop('launchTemplate').present) continue; // the user's own launch template decides
          const disable = ng.prop('disablePodIMDS');
          if (disable.present && disable.bool() !== false) continue; // true, or unknown
          const name = ng.prop('name');
          report(disable.present ? disable : name.present ? name : ng.anchor, 'eksctlNodeGroup', { nodeGroup: name.str() ?? 'unnamed', cluster: cfg.label, key: key('disablePodIMDS') });
        }
      }
    }

    // CloudFormation managed node groups with a launch template of the template.
    const seen = new Set<LaunchTemplate>();
    for (const ng of model.eksNodegroups) {
      const spec = ng.launchTemplate;
      if (!spec) continue;
      let lt: LaunchTemplate | undefined;
      for (const k of ['Id', 'Name']) {
        const t = model.refTarget(spec.prop(k), LaunchTemplate);
        if (t instanceof LaunchTemplate) lt = t;
      }
      if (!lt || seen.has(lt)) continue;
      seen.add(lt);
      const opts = lt.data?.obj('MetadataOptions');
      if (!opts) continue;
      const endpoint = opts.prop('HttpEndpoint');
      if (endpoint.present && !endpoint.isCI('enabled')) continue;
      const hops = opts.prop('HttpPutResponseHopLimit');
      const n = hops.num();
      const tokens = opts.prop('HttpTokens');
      const data = { launchTemplate: lt.label, nodeGroup: ng.label };
      if (n !== undefined && n > 1) report(hops, 'hopLimit', { ...data, key: key('HttpPutResponseHopLimit'), hops: n });
      else if (tokens.isCI('optional')) report(tokens, 'imdsV1', { ...data, key: key('HttpTokens') });
    }

    // Pods on the host network reach the metadata service whatever the node's settings.
    for (const w of model.workloads) {
      const hostNetwork = w.podSpec?.prop('hostNetwork');
      if (!hostNetwork || hostNetwork.bool() !== true) continue;
      if (model.fargateProfileOf(w).answer === 'yes') continue; // eks/fargate-incompatible-pod reports it
      // kube-system holds the cluster's node components (VPC CNI, kube-proxy, CSI node plugins) that need the host network;
      // an unknown namespace (Helm output, a placeholder) may be kube-system.
      const ns = w.namespace;
      if (ns.kind !== 'known' || ns.value === 'kube-system') continue;
      report(hostNetwork, 'hostNetwork', { workload: `${w.objectKind} "${w.label}"`, key: key('hostNetwork') });
    }
  },
});
