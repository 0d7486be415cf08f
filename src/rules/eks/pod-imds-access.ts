import { defineRule } from '../../engine/rule.js';
import { LaunchTemplate } from '../../model/entities.js';
import { fargateProfileOf, namespaceOf } from './lib/fargate.js';

const RISK = 'so any pod can read the node role\'s credentials from 169.254.169.254 and act as the node (a node role typically reads every ECR repository of the account and describes the account\'s EC2 resources)';

export default defineRule({
  id: 'eks/pod-imds-access',
  severity: 'warning',
  description: 'Pods should not reach the node\'s instance metadata and role.',
  check({ model, report }) {
    // eksctl node groups: eksctl's launch templates set a metadata hop limit of 2.
    for (const cfg of model.eksctlConfigs) {
      for (const key of ['nodeGroups', 'managedNodeGroups']) {
        for (const ng of cfg.props.prop(key).objects()) {
          if (ng.prop('launchTemplate').present) continue; // the user's own launch template decides
          const disable = ng.prop('disablePodIMDS');
          if (disable.present && disable.bool() !== false) continue; // true, or unknown
          const name = ng.prop('name');
          const label = name.str() ?? 'unnamed';
          report(
            disable.present ? disable : name.present ? name : ng.anchor,
            `Node group "${label}" of eksctl cluster "${cfg.label}" does not set disablePodIMDS: true, and the launch template eksctl creates allows two metadata hops (HttpPutResponseHopLimit: 2), ${RISK}; set disablePodIMDS: true and give pods their own roles through EKS Pod Identity or IRSA.`,
          );
        }
      }
    }

    // CloudFormation managed node groups with a launch template of the template.
    const seen = new Set<LaunchTemplate>();
    for (const ng of model.resources('AWS::EKS::Nodegroup')) {
      const spec = ng.props.obj('LaunchTemplate');
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
      if (n !== undefined && n > 1) {
        report(
          hops,
          `Launch template "${lt.label}" of EKS node group "${ng.logicalId}" sets HttpPutResponseHopLimit: ${n}, which lets IMDSv2 tokens reach pod network namespaces, ${RISK}; set HttpPutResponseHopLimit: 1 with HttpTokens: required (pods that need AWS access get their own role through EKS Pod Identity or IRSA).`,
        );
      } else if (tokens.isCI('optional')) {
        report(
          tokens,
          `Launch template "${lt.label}" of EKS node group "${ng.logicalId}" allows IMDSv1 (HttpTokens: optional), which the hop limit does not restrict, ${RISK}; set HttpTokens: required with HttpPutResponseHopLimit: 1.`,
        );
      }
    }

    // Pods on the host network reach the metadata service whatever the node's settings.
    for (const w of model.workloads) {
      const hostNetwork = w.podSpec?.prop('hostNetwork');
      if (!hostNetwork || hostNetwork.bool() !== true) continue;
      if (fargateProfileOf(model, w).answer === 'yes') continue; // eks/fargate-incompatible-pod reports it
      // kube-system holds the cluster's node components (VPC CNI, kube-proxy, CSI node plugins) that need the host network;
      // an unknown namespace (Helm output, a placeholder) may be kube-system.
      const ns = namespaceOf(w);
      if (ns === undefined || ns === 'kube-system') continue;
      report(
        hostNetwork,
        `${w.objectKind} "${w.label}" uses hostNetwork: true, so its pods share the node's network namespace and reach the instance metadata service whatever the hop limit or disablePodIMDS say, ${RISK}; remove hostNetwork unless this is a node agent that needs it.`,
      );
    }
  },
});
