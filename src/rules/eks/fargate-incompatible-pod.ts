import { defineRule, key, type MessageData, type ReportOptions, type Target } from '../../engine/rule.js';
import type { Workload } from '../../model/entities.js';
import { PersistentVolumeClaim, StorageClass } from '../../model/k8s.js';
import type { FileView } from '../../model/model.js';
import type { Obj, Prop } from '../../model/value.js';
import { profileLabel } from './lib/fargate.js';
import { classBackend, type Backend } from './lib/storage.js';

/** Storage backends (eks/lib/storage.ts) whose volumes Fargate pods cannot mount. */
const BLOCK_BACKENDS: Partial<Record<Backend, string>> = {
  ebs: 'Amazon EBS',
  'ebs-in-tree': 'Amazon EBS',
  'fsx-lustre': 'Amazon FSx for Lustre',
  'fsx-openzfs': 'Amazon FSx for OpenZFS',
};

/** The storage a storage class name provisions (EBS/FSx), when the class is in the run. */
function blockStorage(model: FileView, cls: Prop): string | undefined {
  const name = cls.str();
  if (!name) return undefined;
  const sc = model.k8sObject('StorageClass', name);
  const backend = sc instanceof StorageClass ? classBackend(sc) : undefined;
  return backend ? BLOCK_BACKENDS[backend] : undefined;
}

const MESSAGES = {
  daemonSet: '{{workload}} is a DaemonSet on {{profile}}, and Fargate runs no DaemonSets: run the agent as a sidecar, or move the pods to a node group.',
  hostNetwork: '{{workload}} runs on {{profile}}, which rejects {{key}}: true: remove it, or move the pods to a node group.',
  privileged: '{{workload}} runs on {{profile}}, which rejects privileged containers (container "{{container}}"): remove {{key}}, or move the pods to a node group.',
  hostPort: '{{workload}} runs on {{profile}}, which rejects host ports (container "{{container}}" asks for {{port}}): remove {{key}} and use a Service.',
  gpu: '{{workload}} runs on {{profile}}, which has no GPUs (container "{{container}}" {{kind}} nvidia.com/gpu): move the pods to a node group with GPU instances.',
  hostPath: '{{workload}} runs on {{profile}}, which rejects hostPath volumes (volume "{{volume}}"): use emptyDir, a ConfigMap, a Secret or Amazon EFS.',
  ebsVolume: '{{workload}} runs on {{profile}}, which cannot mount Amazon EBS volumes (volume "{{volume}}"): use Amazon EFS, or move the pods to a node group.',
  claimStorage: '{{workload}} runs on {{profile}}, which cannot mount {{storage}} volumes (claim "{{claim}}" of class "{{class}}"): use Amazon EFS, or move the pods to a node group.',
  templateStorage: '{{workload}} runs on {{profile}}, which cannot mount {{storage}} volumes (claim template "{{claim}}" of class "{{class}}"): use Amazon EFS instead.',
} as const;

type Report = (target: Target, messageId: keyof typeof MESSAGES, data: MessageData, options?: ReportOptions) => void;

export default defineRule<Record<string, never>, keyof typeof MESSAGES>({
  id: 'eks/fargate-incompatible-pod',
  severity: 'error',
  description: 'Pods scheduled on Fargate cannot use features Fargate does not support.',
  meta: { messages: MESSAGES },
  check({ model, report }) {
    for (const w of model.workloads) {
      const spec = w.podSpec;
      if (!spec) continue;
      const match = model.fargateProfileOf(w);
      if (match.answer !== 'yes' || !match.selector) continue;
      const base = { workload: `${w.objectKind} "${w.label}"`, profile: profileLabel(match.selector) };

      if (w.objectKind === 'DaemonSet') report(w.props.prop('kind'), 'daemonSet', base);

      const hostNetwork = spec.prop('hostNetwork');
      if (hostNetwork.bool() === true) report(hostNetwork, 'hostNetwork', { ...base, key: key('hostNetwork') });

      for (const c of w.containers) {
        const priv = c.privileged;
        if (priv.bool() === true) report(priv, 'privileged', { ...base, container: c.name, key: key('securityContext.privileged') });
        for (const port of c.props.prop('ports').objects()) {
          const hp = port.prop('hostPort');
          const n = hp.num();
          if (n !== undefined && n > 0) report(hp, 'hostPort', { ...base, container: c.name, port: n, key: key('hostPort') }, { atKey: true });
        }
        const res = c.props.obj('resources');
        for (const kind of ['limits', 'requests']) {
          const gpu = res?.obj(kind)?.prop('nvidia.com/gpu');
          const count = gpu?.num();
          if (gpu && count !== undefined && count > 0) {
            report(gpu, 'gpu', { ...base, container: c.name, kind }, { atKey: true });
            break;
          }
        }
      }

      for (const v of spec.prop('volumes').objects()) volumeFindings(model, w, v, base, report);
      if (w.objectKind === 'StatefulSet') {
        for (const t of w.props.obj('spec')?.prop('volumeClaimTemplates').objects() ?? []) {
          const cls = t.obj('spec')?.prop('storageClassName');
          const storage = cls ? blockStorage(model, cls) : undefined;
          if (cls && storage) report(cls, 'templateStorage', { ...base, storage, claim: t.obj('metadata')?.prop('name').str() ?? '?', class: cls.str() ?? '?' });
        }
      }
    }
  },
});

function volumeFindings(model: FileView, w: Workload, v: Obj, base: MessageData, report: Report): void {
  const volume = v.prop('name').str() ?? '?';
  const hostPath = v.prop('hostPath');
  if (hostPath.present) {
    report(hostPath, 'hostPath', { ...base, volume }, { atKey: true });
    return;
  }
  const ebs = v.prop('awsElasticBlockStore');
  if (ebs.present) {
    report(ebs, 'ebsVolume', { ...base, volume }, { atKey: true });
    return;
  }
  const claim = v.obj('persistentVolumeClaim')?.prop('claimName');
  const claimName = claim?.str();
  if (!claim || !claimName) return;
  const pvc = model.k8sObject('PersistentVolumeClaim', claimName, w);
  const cls = pvc instanceof PersistentVolumeClaim ? pvc.storageClassName : undefined;
  const storage = cls ? blockStorage(model, cls) : undefined;
  if (cls && storage) report(claim, 'claimStorage', { ...base, storage, claim: claimName, class: cls.str() ?? '?' });
}
