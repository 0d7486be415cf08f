import { defineRule } from '../../engine/rule.js';
import type { Workload } from '../../model/entities.js';
import type { FileView } from '../../model/model.js';
import type { Obj, Prop } from '../../model/value.js';
import { describeSelector, fargateProfileOf, findK8s, namespaceOf } from './lib/fargate.js';
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
  const sc = findK8s(model, 'StorageClass', name);
  const backend = sc ? classBackend(sc) : undefined;
  return backend ? BLOCK_BACKENDS[backend] : undefined;
}

export default defineRule({
  id: 'eks/fargate-incompatible-pod',
  severity: 'error',
  description: 'Pods scheduled on Fargate cannot use features Fargate does not support.',
  check({ model, report }) {
    for (const w of model.workloads) {
      const spec = w.podSpec;
      if (!spec) continue;
      const match = fargateProfileOf(model, w);
      if (match.answer !== 'yes' || !match.selector) continue;
      const who = `${w.objectKind} "${w.label}" runs on ${describeSelector(match.selector)}`;
      const fix = 'run it on a node group instead (change its namespace or labels so no Fargate profile selects it)';

      if (w.objectKind === 'DaemonSet')
        report(w.props.prop('kind'), `${who}, and Fargate does not run DaemonSets (each Fargate pod gets its own micro-VM, there is no node to run a daemon on); run the agent as a sidecar container, or ${fix}.`);

      const hostNetwork = spec.prop('hostNetwork');
      if (hostNetwork.bool() === true) report(hostNetwork, `${who}, and Fargate rejects pods with hostNetwork: true; remove hostNetwork, or ${fix}.`);

      for (const c of w.containers) {
        const priv = c.privileged;
        if (priv.bool() === true) report(priv, `${who}, and Fargate does not run privileged containers (container "${c.name}" sets privileged: true); drop privileged, or ${fix}.`);
        for (const port of c.props.prop('ports').objects()) {
          const hp = port.prop('hostPort');
          const n = hp.num();
          if (n !== undefined && n > 0) report(hp, `${who}, and Fargate rejects pods with a hostPort (container "${c.name}" asks for host port ${n}); remove hostPort and reach the pod through a Service, or ${fix}.`, { atKey: true });
        }
        const res = c.props.obj('resources');
        for (const kind of ['limits', 'requests']) {
          const gpu = res?.obj(kind)?.prop('nvidia.com/gpu');
          const count = gpu?.num();
          if (gpu && count !== undefined && count > 0) {
            report(gpu, `${who}, and Fargate has no GPUs (container "${c.name}" ${kind} nvidia.com/gpu); ${fix} with GPU instances.`, { atKey: true });
            break;
          }
        }
      }

      for (const v of spec.prop('volumes').objects()) volumeFindings(model, w, v, who, fix, report);
      if (w.objectKind === 'StatefulSet') {
        for (const t of w.props.obj('spec')?.prop('volumeClaimTemplates').objects() ?? []) {
          const cls = t.obj('spec')?.prop('storageClassName');
          const kind = cls ? blockStorage(model, cls) : undefined;
          if (cls && kind) report(cls, `${who}, and Fargate pods cannot mount ${kind} volumes (volume claim template "${t.obj('metadata')?.prop('name').str() ?? '?'}" uses storage class "${cls.str()}"); use Amazon EFS (efs.csi.aws.com) for persistent storage, or ${fix}.`);
        }
      }
    }
  },
});

function volumeFindings(model: FileView, w: Workload, v: Obj, who: string, fix: string, report: (t: Prop, m: string, o?: { atKey?: boolean }) => void): void {
  const name = v.prop('name').str() ?? '?';
  const hostPath = v.prop('hostPath');
  if (hostPath.present) {
    report(hostPath, `${who}, and Fargate rejects hostPath volumes (volume "${name}"); use emptyDir, a ConfigMap/Secret or Amazon EFS, or ${fix}.`, { atKey: true });
    return;
  }
  const ebs = v.prop('awsElasticBlockStore');
  if (ebs.present) {
    report(ebs, `${who}, and Fargate pods cannot mount Amazon EBS volumes (volume "${name}"); use Amazon EFS for persistent storage, or ${fix}.`, { atKey: true });
    return;
  }
  const claim = v.obj('persistentVolumeClaim')?.prop('claimName');
  const claimName = claim?.str();
  const ns = namespaceOf(w);
  if (!claim || !claimName || ns === undefined) return;
  const pvc = findK8s(model, 'PersistentVolumeClaim', claimName, ns);
  const cls = pvc?.props.obj('spec')?.prop('storageClassName');
  const kind = cls ? blockStorage(model, cls) : undefined;
  if (cls && kind) report(claim, `${who}, and Fargate pods cannot mount ${kind} volumes (volume "${name}" claims "${claimName}" of storage class "${cls.str()}"); use Amazon EFS (efs.csi.aws.com) for persistent storage, or ${fix}.`);
}
